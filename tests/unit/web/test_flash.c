/* The flash message: set by web_flash() as a cookie, read back by the next page and
 * shown by the layout. A long Vietnamese message is shortened on a character boundary
 * and still shows, instead of being dropped as invalid UTF-8. */
#include <stdlib.h>

#include "check.h"
#include "core/app.h"
#include "text/text.h"
#include "web/render.h"
#include "web/template.h"

/* Sets the flash on a fresh request and returns the cookie value (malloc'd). */
static char *flash_cookie(const char *kind, const char *message)
{
    struct app app = {0};
    struct req r = {0};
    r.app = &app;
    arena_init(&r.arena);
    web_flash(&r, kind, message);
    char *value = NULL;
    for (int i = 0; i < r.nheaders; i++) {
        const char *v = r.headers[i].value;
        if (!strcmp(r.headers[i].key, "Set-Cookie") && !strncmp(v, "qlvb_flash=", 11))
            value = strndup(v + 11, strcspn(v + 11, ";"));
    }
    arena_release(&r.arena);
    return value;
}

/* The layout's flash box as the next page renders it. */
static char *shown(json_t *flash)
{
    json_t *ctx = json_pack("{s:s,s:O}", "title", "Trang chủ", "flash", flash);
    struct buf out = BUF_INIT(1 << 16);
    char *html = tmpl_render("layout_head", ctx, &out) == RES_OK ? buf_detach(&out, NULL) : NULL;
    buf_release(&out);
    json_decref(ctx);
    return html;
}

TEST(short_message_round_trips)
{
    const char *msg = "Đã lưu thông tin cơ quan.";
    char *cookie = flash_cookie("success", msg);
    CHECK(cookie != NULL);
    json_t *f = web_flash_parse(cookie);
    CHECK(f != NULL);
    CHECK_STR(json_string_value(json_object_get(f, "kind")), "success");
    CHECK_STR(json_string_value(json_object_get(f, "message")), msg);
    char *html = shown(f);
    CHECK(html && strstr(html, "<div class=\"flash flash-success\" role=\"status\">Đã lưu thông "
                               "tin cơ quan.</div>"));
    free(html);
    json_decref(f);
    free(cookie);
}

/* The budget is 300 bytes with the 3-byte "…": 297 for the text, and it ends inside
 * the "ệ" (bytes 296–298) of a long Vietnamese message. */
TEST(long_vietnamese_message_is_cut_on_a_character_and_still_shows)
{
    char msg[700];
    memset(msg, 'a', 294);
    snprintf(msg + 294, sizeof(msg) - 294, "%s",
             " hệ thống quản lý văn bản và điều hành của Ủy ban nhân dân tỉnh Lạng Sơn");
    CHECK(strlen(msg) > WEB_FLASH_MAX);
    char *cookie = flash_cookie("error", msg);
    CHECK(cookie != NULL);
    json_t *f = cookie ? web_flash_parse(cookie) : NULL;
    CHECK(f != NULL); /* valid UTF-8: not dropped */
    const char *m = json_string_value(json_object_get(f, "message"));
    CHECK(m && strlen(m) <= WEB_FLASH_MAX);
    CHECK(m && text_valid_utf8(m, strlen(m)));
    CHECK(m && strlen(m) == 296 + 3);
    CHECK(m && !strncmp(m, msg, 296));
    CHECK(m && !strcmp(m + 296, "…"));
    char *html = shown(f);
    CHECK(html && strstr(html, "flash flash-error"));
    CHECK(html && strstr(html, "aaaa h…</div>"));
    free(html);
    json_decref(f);
    free(cookie);

    /* Decomposed text keeps each letter whole with its marks. */
    memset(msg, 'a', 292);
    snprintf(msg + 292, sizeof(msg) - 292, "%s", " he\xCC\xA3\xCC\x82 tho\xCC\x82\xCC\x81ng");
    cookie = flash_cookie("success", msg);
    f = cookie ? web_flash_parse(cookie) : NULL;
    m = json_string_value(json_object_get(f, "message"));
    CHECK(m && !strcmp(m + 292, " h…")); /* e + two marks (294–298) stay together */
    json_decref(f);
    free(cookie);
}

TEST(malformed_cookies_show_nothing)
{
    CHECK(web_flash_parse(NULL) == NULL);
    CHECK(web_flash_parse("") == NULL);
    CHECK(web_flash_parse("success") == NULL);
    CHECK(web_flash_parse(".4869") == NULL);
    CHECK(web_flash_parse("success.zz") == NULL);
    CHECK(web_flash_parse("success.e1bb") == NULL); /* half of "ệ" */
    CHECK(web_flash_parse("averyveryverylongkind.41") == NULL);
    json_t *f = web_flash_parse("success.e1bb87");
    CHECK(f && !strcmp(json_string_value(json_object_get(f, "message")), "ệ"));
    json_decref(f);
}

int main(void)
{
    if (tmpl_init() != RES_OK)
        return 1;
    RUN(short_message_round_trips);
    RUN(long_vietnamese_message_is_cut_on_a_character_and_still_shows);
    RUN(malformed_cookies_show_nothing);
    tmpl_shutdown();
    return CHECK_DONE("test_flash");
}
