/* resp_error: problem+json for the API; for the web, the HTML renderer the web layer
 * installs (http does not know the web layer), or plain text when none is installed. */
#include "check.h"
#include "http/http.h"

static int calls, last_status;
static const char *last_title, *last_detail;

static void fake_page(struct req *r, int status, const char *title, const char *detail)
{
    calls++;
    last_status = status;
    last_title = title;
    last_detail = detail;
    resp_text(r, status, "text/html; charset=utf-8", "<p>x</p>", 8);
}

static void req_open(struct req *r, bool api)
{
    memset(r, 0, sizeof(*r));
    arena_init(&r->arena);
    buf_init(&r->out, 1 << 20);
    memcpy(r->id, "test", 5);
    r->is_api = api;
}

static void req_close(struct req *r)
{
    buf_release(&r->out);
    arena_release(&r->arena);
}

TEST(api_errors_are_problem_json)
{
    struct req r;
    req_open(&r, true);
    resp_set_html_error(fake_page);
    calls = 0;
    resp_error(&r, 404, "Không tìm thấy", "Không có.");
    CHECK_INT(calls, 0);
    CHECK_INT(r.status, 404);
    CHECK_STR(r.content_type, "application/problem+json; charset=utf-8");
    CHECK(strstr(buf_str(&r.out), "\"type\":\"urn:qlvb:problem:not_found\"") != NULL);
    CHECK(strstr(buf_str(&r.out), "\"title\":\"Không tìm thấy\"") != NULL);
    req_close(&r);
}

TEST(web_errors_go_to_the_installed_page)
{
    struct req r;
    req_open(&r, false);
    resp_set_html_error(fake_page);
    calls = 0;
    resp_result(&r, RES_FORBIDDEN);
    CHECK_INT(calls, 1);
    CHECK_INT(last_status, 403);
    CHECK_STR(last_title, "Không có quyền");
    CHECK_STR(last_detail, "Bạn không có quyền thực hiện thao tác này.");
    CHECK_INT(r.status, 403);
    CHECK_STR(r.content_type, "text/html; charset=utf-8");
    req_close(&r);
}

TEST(web_errors_without_a_page_are_plain_text)
{
    struct req r;
    req_open(&r, false);
    resp_set_html_error(NULL);
    calls = 0;
    resp_error(&r, 422, "Không đọc được tài liệu", NULL);
    CHECK_INT(calls, 0);
    CHECK_INT(r.status, 422);
    CHECK_STR(r.content_type, "text/plain; charset=utf-8");
    CHECK_STR(buf_str(&r.out), "Không đọc được tài liệu\n");
    req_close(&r);
}

int main(void)
{
    RUN(api_errors_are_problem_json);
    RUN(web_errors_go_to_the_installed_page);
    RUN(web_errors_without_a_page_are_plain_text);
    return CHECK_DONE("test_response");
}
