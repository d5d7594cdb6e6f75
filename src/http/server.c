/* The HTTP server: libmicrohttpd, one epoll daemon per worker thread, fed by one accept
 * thread (http/accept.c: round-robin, server-wide connection limits). The access handler is
 * called at least twice per request: first for the headers (we only set up the
 * request context), then with body chunks, then once more with no data — only then
 * is the response queued, which keeps connections alive (answering on the first call
 * forces Connection: close). SIGTERM stops accepting, lets in-flight requests
 * finish, then stops the daemon. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/agency.h"
#include "core/authz.h"
#include "core/session.h"
#include "db/db.h"
#include "http/accept.h"
#include "http/http.h"
#include "http/router.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

#define RESPONSE_MAX      (64u * 1024 * 1024)
#define PATH_MAX_LEN      2048
#define SHUTDOWN_GRACE_MS 10000
#define MAX_WORKERS       256
#define BODY_SPILL        (1024u * 1024) /* bodies past this go to a temporary file */
#define BODY_MIN_RATE     8192           /* bytes/s a body upload must keep up after... */
#define BODY_RATE_GRACE   30             /* ...this many seconds, or it is cut off */

static atomic_int inflight;
static atomic_llong body_memory; /* bytes held by in-memory request bodies */

static void header_deadline(struct MHD_Connection *conn, struct app *app);
static atomic_uint_fast64_t request_seq;
static uint32_t request_prefix; /* random per process, so ids differ across restarts */

static const char *CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                         "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                         "base-uri 'none'";
/* The same policy for a file the site's own pages show in a frame (req.frame_same_origin). */
static const char *CSP_FRAME_SELF =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'";

static void client_address(struct req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->client_addr[0] = '\0';
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client_addr,
                      sizeof(r->client_addr));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client_addr,
                      sizeof(r->client_addr));
    }
    if (r->app->cfg.trust_proxy) {
        const char *xff = req_header(r, "X-Forwarded-For");
        if (xff && *xff) {
            size_t n = strcspn(xff, ", ");
            if (n && n < sizeof(r->client_addr)) {
                memcpy(r->client_addr, xff, n);
                r->client_addr[n] = '\0';
            }
        }
    }
}

/* A Host header is one name or address with an optional port: letters, digits,
 * '.', '-', or an IPv6 literal in brackets. Anything else (a list "a, b", spaces,
 * user info) is refused: the host chooses the agency, so it must be unambiguous. */
static bool host_valid(const char *h)
{
    size_t n = strlen(h);
    if (!n || n > 255)
        return false;
    const char *p = h;
    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end || end == p + 1)
            return false;
        for (const char *q = p + 1; q < end; q++)
            if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
                return false;
        p = end + 1;
    } else {
        while (*p && *p != ':') {
            if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
                return false;
            p++;
        }
        if (p == h)
            return false;
    }
    if (*p == ':') {
        p++;
        if (!*p || strlen(p) > 5)
            return false;
        for (; *p; p++)
            if (!isdigit((unsigned char)*p))
                return false;
    }
    return *p == '\0';
}

/* qlvb-<abbr>.<domain>[:port] → the agency whose host label it is; host names are
 * case-insensitive (RFC 9110), so the label is compared in lower case. */
static void resolve_host_agency(struct req *r)
{
    const char *host = req_header(r, "Host");
    if (!host || strncasecmp(host, "qlvb-", 5) != 0)
        return;
    char label[64];
    size_t n = strcspn(host, ".:");
    if (n >= sizeof(label))
        return;
    for (size_t i = 0; i < n; i++)
        label[i] = (char)tolower((unsigned char)host[i]);
    label[n] = '\0';
    int64_t id;
    if (agency_by_host_label(r->app, label, &id) == RES_OK)
        r->host_agency_id = id;
}

/* RES_OK, or why a presented session could not be checked at all (database down):
 * that must not look like an expired session. */
static result_t authenticate(struct req *r)
{
    const char *token = NULL;
    const char *auth = req_header(r, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
        r->bearer = true;
    } else {
        token = req_cookie(r, "qlvb_session");
    }
    if (!token)
        return RES_OK;
    struct session_info info;
    result_t res = session_resolve(r->app, token, r->client_addr, &r->actor, &info);
    if (res == RES_OK) {
        r->authed = true;
        str_copy(r->csrf, info.csrf, sizeof(r->csrf));
    } else {
        r->bearer = false;
    }
    return res == RES_DB || res == RES_RECONNECT || res == RES_BUSY ? res : RES_OK;
}

/* The host's agency and the session, once per request: on the first call for routes
 * that need a session (so an upload is refused before its body is read), else at
 * dispatch. */
static result_t identify(struct req *r)
{
    if (r->identified)
        return r->ident_res;
    r->identified = true;
    resolve_host_agency(r);
    r->ident_res = authenticate(r);
    if (r->authed && r->host_agency_id && r->actor.membership_id &&
        r->actor.agency_id != r->host_agency_id)
        r->authed = false; /* a session of another agency is not valid on this host */
    return r->ident_res;
}

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Query parameters are checked before any handler runs, so a bad one is a 400 with
 * the parameter named (docs/api.md) rather than silently dropped by req_query: text
 * must be valid UTF-8 without control characters and at most QUERY_MAX bytes; page
 * numbers, limits and ids must be decimal integers in range. */
#define QUERY_MAX 1000

struct query_check {
    struct verrs errs;
    bool numbers; /* API: page, limit and ids must be numbers; pages answer a bad
                   * filter with their default view instead (audit page) */
};

static bool query_is_number(const char *key)
{
    static const char *const keys[] = {"page", "limit", "per_page", "offset", "before"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    size_t n = strlen(key);
    return n > 3 && strcmp(key + n - 3, "_id") == 0;
}

static enum MHD_Result check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    struct query_check *qc = cls;
    struct verrs *e = &qc->errs;
    if (!key || !text_valid_utf8(key, strlen(key)) || strlen(key) > 64) {
        verrs_add(e, "query", "Tên tham số không hợp lệ.");
        return MHD_YES;
    }
    if (!value)
        return MHD_YES;
    size_t n = strlen(value);
    if (n > QUERY_MAX) {
        verrs_add(e, key, "Giá trị quá dài (tối đa %d byte).", QUERY_MAX);
        return MHD_YES;
    }
    if (!text_valid_utf8(value, n)) {
        verrs_add(e, key, "Giá trị chứa ký tự không hợp lệ (không phải UTF-8 hoặc có ký tự NUL).");
        return MHD_YES;
    }
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            verrs_add(e, key, "Giá trị chứa ký tự điều khiển.");
            return MHD_YES;
        }
    int64_t v;
    if (n && qc->numbers && query_is_number(key) &&
        str_to_i64(value, 1, strcmp(key, "page") == 0 ? 100000 : 9007199254740991LL, &v) != RES_OK)
        verrs_add(e, key, "Phải là số nguyên dương%s.",
                  strcmp(key, "page") == 0 ? " từ 1 đến 100000" : "");
    return MHD_YES;
}

static bool query_ok(struct req *r)
{
    struct query_check qc = {.numbers = r->is_api};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_query_arg, &qc);
    const struct verrs e = qc.errs;
    if (!e.count)
        return true;
    if (r->is_api) {
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, &e);
    } else {
        char detail[sizeof(e.items[0].field) + sizeof(e.items[0].message) + 32];
        snprintf(detail, sizeof(detail), "Tham số %s: %s", e.items[0].field, e.items[0].message);
        resp_error(r, 400, "Tham số không hợp lệ", detail);
    }
    return false;
}

static void dispatch(struct req *r)
{
    r->is_api = str_starts_with(r->path, "/api/");
    if (strlen(r->path) > PATH_MAX_LEN || !text_valid_utf8(r->path, strlen(r->path))) {
        resp_error(r, 400, "Địa chỉ không hợp lệ",
                   "Đường dẫn quá dài hoặc chứa ký tự không hợp lệ.");
        return;
    }
    bool path_matched = false;
    char allow[64];
    const struct route *rt = router_match(routes, route_count, r->method, r->path, r, &path_matched,
                                          allow, sizeof(allow));
    if (!rt) {
        /* A signed-in user's error page keeps their menu and name. */
        (void)identify(r);
        if (path_matched) {
            resp_header(r, "Allow", allow);
            resp_error(r, 405, "Phương thức không được hỗ trợ",
                       arena_printf(&r->arena, "Địa chỉ này chỉ nhận: %s.", allow));
        } else {
            resp_error(r, 404, "Không tìm thấy trang", "Địa chỉ bạn truy cập không tồn tại.");
        }
        return;
    }
    if (!query_ok(r))
        return;
    result_t auth = identify(r);
    if (auth != RES_OK) {
        resp_result(r, auth); /* 503 */
        return;
    }
    if (!(rt->flags & RT_PUBLIC)) {
        if (!r->authed) {
            if (r->is_api || (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
                resp_error(r, 401, "Chưa đăng nhập",
                           "Phiên làm việc không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập.");
            else
                resp_redirect(r, "/login");
            return;
        }
        if (r->actor.must_change_password && !(rt->flags & RT_PASSWORD_CHANGE)) {
            if (r->is_api)
                resp_problem(r, 403, "password_change_required", "Cần đổi mật khẩu",
                             "Bạn phải đổi mật khẩu trước khi tiếp tục (POST /api/v1/me/password).",
                             NULL);
            else
                resp_redirect(r, "/password");
            return;
        }
        /* Who acts installation-wide, with or without a post, is the policy's. */
        if (!(rt->flags & RT_NO_AGENCY) && !r->actor.membership_id &&
            authz_check(&r->actor, AZ_ANY_AGENCY, 0) != RES_OK) {
            if (r->is_api)
                resp_problem(r, 409, "agency_required", "Chưa chọn cơ quan làm việc",
                             "Chọn cơ quan làm việc trước (POST /api/v1/me/agency).", NULL);
            else
                resp_redirect(r, "/choose-agency");
            return;
        }
    }
    if (unsafe_method(r->method) && r->authed && !r->bearer && !(rt->flags & RT_NO_CSRF)) {
        const char *token = req_header(r, "X-CSRF-Token");
        if (!token && !r->is_api) {
            token = req_form(r, "_csrf");
            if (!token && req_form_bad(r)) {
                /* The form itself is unreadable: say why, not "CSRF missing". */
                resp_error(r, 400, "Dữ liệu không hợp lệ", req_form_error(r));
                return;
            }
        }
        if (!token || !str_eq_ct(token, r->csrf)) {
            resp_error(
                r, 403, "Yêu cầu không hợp lệ",
                "Mã chống giả mạo (CSRF) thiếu hoặc sai. Vui lòng tải lại trang và thử lại.");
            return;
        }
    }
    rt->fn(r);
    if (!r->responded)
        resp_error(r, 500, "Lỗi hệ thống", "Yêu cầu không được xử lý.");
}

static enum MHD_Result queue(struct req *r)
{
    size_t len = 0;
    char *data = buf_detach(&r->out, &len);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", r->frame_same_origin ? "SAMEORIGIN" : "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            r->frame_same_origin ? CSP_FRAME_SELF : CSP);
    if (r->app->cfg.secure_cookies)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    bool cache_set = false;
    for (int i = 0; i < r->nheaders; i++) {
        MHD_add_response_header(resp, r->headers[i].key, r->headers[i].value);
        if (strcasecmp(r->headers[i].key, "Cache-Control") == 0)
            cache_set = true;
    }
    if (!cache_set)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->responded = true;
    return ret;
}

static void too_large(struct req *r)
{
    char detail[160];
    r->is_api = str_starts_with(r->path, "/api/");
    long limit = r->body_limit;
    if (limit >= 1024 * 1024)
        snprintf(detail, sizeof(detail), "Dung lượng gửi lên vượt quá giới hạn %ld MB.",
                 limit / (1024 * 1024));
    else
        snprintf(detail, sizeof(detail), "Dung lượng gửi lên vượt quá giới hạn %ld byte.", limit);
    resp_error(r, 413, "Dữ liệu quá lớn", detail);
}

/* Routes that take documents accept max_upload bytes; everything else max_body. */
static long body_limit(struct req *r, const struct route **route)
{
    bool path_matched = false;
    char allow[64];
    const struct route *rt = router_match(routes, route_count, r->method, r->path, NULL,
                                          &path_matched, allow, sizeof(allow));
    *route = rt;
    long limit = r->app->cfg.max_body;
    if (rt && (rt->flags & RT_UPLOAD) && r->app->cfg.max_upload > limit)
        limit = r->app->cfg.max_upload;
    return limit;
}

/* Counts n more bytes of in-memory body against the installation-wide cap. */
static bool body_memory_take(struct req *r, size_t n)
{
    long long now = atomic_fetch_add(&body_memory, (long long)n) + (long long)n;
    if (now > r->app->cfg.body_memory) {
        atomic_fetch_sub(&body_memory, (long long)n);
        return false;
    }
    r->body_counted += n;
    return true;
}

static void body_memory_give_back(struct req *r)
{
    if (r->body_counted)
        atomic_fetch_sub(&body_memory, (long long)r->body_counted);
    r->body_counted = 0;
}

/* Moves the body to an unlinked temporary file (what is in memory so far, then every
 * later chunk): a large upload costs disk, not memory. */
static bool body_spill(struct req *r)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/qlvb-body-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        log_error("msg=\"cannot create a temporary file for a request body\" errno=%d", errno);
        return false;
    }
    unlink(path);
    r->body_fd = fd;
    r->body_spilled = true;
    r->body_file_len = 0;
    if (r->body.len) {
        if (write(fd, r->body.data, r->body.len) != (ssize_t)r->body.len)
            return false;
        r->body_file_len = r->body.len;
    }
    buf_release(&r->body);
    body_memory_give_back(r);
    return true;
}

/* false: the chunk could not be kept (disk full, memory cap): the request fails. */
static bool body_store(struct req *r, const char *data, size_t n)
{
    if (!r->body_spilled && r->body.len + n > BODY_SPILL && !body_spill(r))
        return false;
    if (r->body_spilled) {
        size_t done = 0;
        while (done < n) {
            ssize_t w = write(r->body_fd, data + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return false;
            done += (size_t)w;
        }
        r->body_file_len += n;
        return true;
    }
    if (!body_memory_take(r, n)) {
        r->body_busy = true;
        return false;
    }
    return buf_append(&r->body, data, n) == RES_OK;
}

static void too_busy(struct req *r)
{
    r->is_api = str_starts_with(r->path, "/api/");
    resp_header(r, "Retry-After", "5");
    resp_error(r, 503, "Hệ thống đang bận",
               "Máy chủ đang nhận quá nhiều dữ liệu cùng lúc. Vui lòng thử lại sau ít giây.");
}

static void bad_request(struct req *r, const char *detail)
{
    r->is_api = str_starts_with(r->path, "/api/");
    resp_error(r, 400, "Yêu cầu không hợp lệ", detail);
}

struct header_count {
    int n;
    const char *first;
    bool differ;
};

static enum MHD_Result count_content_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                            const char *value)
{
    (void)kind;
    struct header_count *h = cls;
    if (strcasecmp(key, "Content-Length") != 0)
        return MHD_YES;
    if (h->n++ == 0)
        h->first = value;
    else if (strcmp(h->first, value ? value : "") != 0)
        h->differ = true;
    return MHD_YES;
}

/* What is wrong with the request head, or NULL: HTTP/1.1 without Host, a Host that is
 * not one name, conflicting Content-Length headers, a Content-Length next to chunked
 * transfer encoding (the ways a proxy and this server could read one request as two). */
static const char *head_problem(struct req *r, const char *version)
{
    const char *host = req_header(r, "Host");
    if (!host && strcmp(version, "HTTP/1.1") == 0)
        return "Thiếu tiêu đề Host (bắt buộc với HTTP/1.1).";
    if (host && !host_valid(host))
        return "Tiêu đề Host không hợp lệ: phải là đúng một tên máy chủ.";
    struct header_count h = {0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_content_length, &h);
    if (h.differ)
        return "Có nhiều tiêu đề Content-Length khác nhau.";
    const char *te = req_header(r, "Transfer-Encoding");
    if (h.n && te)
        return "Không được gửi cùng lúc Content-Length và Transfer-Encoding.";
    if (strchr(r->path, '\xff'))
        return "Đường dẫn chứa ký tự NUL (%00).";
    return NULL;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    struct app *app = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        arena_init(&r->arena);
        r->app = app;
        r->conn = conn;
        r->method = arena_strdup(&r->arena, method);
        r->path = arena_strdup(&r->arena, url);
        r->start_ms = clock_mono_ms();
        snprintf(r->id, sizeof(r->id), "%08x%08x", request_prefix,
                 (unsigned)(atomic_fetch_add(&request_seq, 1) & 0xffffffffu));
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                  (unsigned)app->cfg.connection_timeout);
        const struct route *rt = NULL;
        r->body_limit = body_limit(r, &rt);
        r->body_fd = -1;
        buf_init(&r->body, (size_t)r->body_limit);
        buf_init(&r->out, RESPONSE_MAX);
        client_address(r);
        atomic_fetch_add(&inflight, 1);
        *con_cls = r;
        /* The cases below answer on the first call, before the body is read (MHD then
         * closes the connection, which is what we want for such a client). */
        const char *problem = head_problem(r, version);
        if (problem) {
            bad_request(r, problem);
            return queue(r);
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
        int64_t declared = 0;
        if (cl && str_to_i64(cl, 0, INT64_MAX, &declared) != RES_OK) {
            bad_request(r, "Tiêu đề Content-Length không hợp lệ.");
            return queue(r);
        }
        if (declared > r->body_limit) {
            too_large(r);
            return queue(r);
        }
        /* A body for a route that needs a session is only read from someone signed in:
         * an anonymous upload costs no memory, disk or time. */
        if (rt && !(rt->flags & RT_PUBLIC) && (declared > 0 || te)) {
            result_t res = identify(r);
            if (res != RES_OK) {
                r->is_api = str_starts_with(r->path, "/api/");
                resp_result(r, res);
                return queue(r);
            }
            if (!r->authed) {
                r->is_api = str_starts_with(r->path, "/api/");
                resp_error(r, 401, "Chưa đăng nhập",
                           "Phiên làm việc không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập.");
                return queue(r);
            }
        }
        if (declared > (int64_t)BODY_SPILL) {
            if (!body_spill(r)) {
                too_busy(r);
                return queue(r);
            }
        } else if (declared > 0 && atomic_load(&body_memory) + declared > r->app->cfg.body_memory) {
            too_busy(r);
            return queue(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* A body trickling in slower than BODY_MIN_RATE after the grace period holds a
         * connection for nothing: close it. */
        double secs = (clock_mono_ms() - r->start_ms) / 1000.0;
        size_t got = r->body.len + r->body_file_len + *upload_data_size;
        if (secs > BODY_RATE_GRACE && (double)got < secs * BODY_MIN_RATE) {
            log_warn("req=%s msg=\"request body too slow, connection closed\" bytes=%zu "
                     "secs=%.0f client=%s",
                     r->id, got, secs, r->client_addr);
            return MHD_NO;
        }
        /* Past the limit (chunked bodies), or over the memory cap: discard the rest,
         * answer at the end. */
        if (!r->body_too_large && !r->body_busy) {
            if (got > (size_t)r->body_limit) {
                r->body_too_large = true;
            } else if (!body_store(r, upload_data, *upload_data_size)) {
                if (!r->body_busy)
                    r->body_busy = true;
            }
            if (r->body_too_large || r->body_busy) {
                buf_release(&r->body);
                body_memory_give_back(r);
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->body_too_large) {
        too_large(r);
        return queue(r);
    }
    if (r->body_busy) {
        too_busy(r);
        return queue(r);
    }
    if (r->responded)
        return MHD_YES;
    dispatch(r);
    return queue(r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct req *r = *con_cls;
    if (!r)
        return;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        header_deadline(conn, cls); /* idle until the next request head */
    double ms = clock_mono_ms() - r->start_ms;
    log_info("req=%s method=%s path=\"%.200s\" status=%d dur_ms=%.2f user=%s agency=%lld "
             "client=%s%s",
             r->id, r->method, r->path, r->status, ms, r->authed ? r->actor.login : "-",
             (long long)r->actor.agency_id, r->client_addr,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    buf_release(&r->body);
    body_memory_give_back(r);
    if (r->body_map)
        munmap(r->body_map, r->body_file_len);
    if (r->body_spilled)
        close(r->body_fd);
    buf_release(&r->out);
    arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&inflight, 1);
}

static int hex_digit(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* MHD's percent-decoding of the path and query, except that %00 becomes 0xFF, a byte
 * never valid in UTF-8: a NUL would cut the text short unseen (/app.css%00.png), this
 * way the request is refused (head_problem, req_query). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            int v = hex_digit(p[1]) << 4 | hex_digit(p[2]);
            *w++ = v ? (char)v : (char)0xff;
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* A connection gets header_timeout seconds to send its request head (new, or idle
 * between requests); while a request is read and answered, connection_timeout. Idle
 * sockets thus cannot hold connection slots for long. */
static void header_deadline(struct MHD_Connection *conn, struct app *app)
{
    MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                              (unsigned)app->cfg.header_timeout);
}

static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                              enum MHD_ConnectionNotificationCode toe)
{
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        header_deadline(conn, cls);
        acceptor_connection_started(conn, socket_ctx);
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        acceptor_connection_closed(socket_ctx);
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("component=mhd msg=\"%s\"", msg);
}

int server_run(struct app *app)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* MHD threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);

    rand_bytes(&request_prefix, sizeof(request_prefix));
    struct sockaddr_in addr4 = {0};
    struct sockaddr_in6 addr6 = {0};
    const struct sockaddr *sa;
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET;
    socklen_t salen;
    if (inet_pton(AF_INET, app->cfg.listen_host, &addr4.sin_addr) == 1) {
        addr4.sin_family = AF_INET;
        addr4.sin_port = htons((uint16_t)app->cfg.port);
        sa = (const struct sockaddr *)&addr4;
        salen = sizeof(addr4);
    } else if (inet_pton(AF_INET6, app->cfg.listen_host, &addr6.sin6_addr) == 1) {
        addr6.sin6_family = AF_INET6;
        addr6.sin6_port = htons((uint16_t)app->cfg.port);
        sa = (const struct sockaddr *)&addr6;
        salen = sizeof(addr6);
        flags |= MHD_USE_IPv6;
    } else {
        log_error("msg=\"listen address must be a numeric IPv4 or IPv6 address\" host=%s",
                  app->cfg.listen_host);
        return 2;
    }
    /* By default 4 per core, 16 to 64: a request's thread blocks on the disk (a file's
     * fsync, the commit's sync) and on the writer's turn, so with one per core the
     * cores idle while the threads wait — 32 clients registering got 600-750/s on 2
     * cores' 2 threads, 1,110-1,250/s on 16, as on 32 (bench/register.sh). */
    int threads = app->cfg.threads;
    if (threads <= 0) {
        long per_core = 4 * sysconf(_SC_NPROCESSORS_ONLN);
        threads = per_core < 16 ? 16 : per_core > 64 ? 64 : (int)per_core;
    }
    if (threads > MAX_WORKERS)
        threads = MAX_WORKERS;
    /* Behind a proxy every connection comes from the proxy: the per-address limit
     * is the proxy's job then. */
    unsigned per_ip = app->cfg.trust_proxy ? 0 : (unsigned)app->cfg.per_ip_connections;
    /* One daemon per worker, each its own epoll thread; the limits are the acceptor's
     * (server-wide), a daemon's own connection limit only a backstop. */
    static struct MHD_Daemon *workers[MAX_WORKERS];
    int started = 0;
    for (; started < threads; started++) {
        workers[started] = MHD_start_daemon(
            flags, 0, NULL, NULL, access_handler, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.connection_timeout,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
            completed, app, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, app,
            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
        if (!workers[started])
            break;
    }
    unsigned port = 0;
    if (started < threads ||
        acceptor_start(sa, salen, workers, threads, (unsigned)app->cfg.max_connections, per_ip,
                       &port) != RES_OK) {
        log_error("msg=\"cannot listen\" host=%s port=%d", app->cfg.listen_host, app->cfg.port);
        for (int i = 0; i < started; i++)
            MHD_stop_daemon(workers[i]);
        return 1;
    }
    char db_safe[sizeof(app->cfg.db_url)];
    db_url_redact(app->cfg.db_url, db_safe, sizeof(db_safe));
    log_info("msg=\"listening\" url=http://%s:%u threads=%d db=%s", app->cfg.listen_host, port,
             threads, db_safe);

    int sig = 0;
    sigwait(&set, &sig);
    log_info("msg=\"shutting down\" signal=%d inflight=%d", sig, atomic_load(&inflight));
    acceptor_stop(); /* stop accepting; keep serving open connections */
    double deadline = clock_mono_ms() + SHUTDOWN_GRACE_MS;
    while (atomic_load(&inflight) > 0 && clock_mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < threads; i++)
        MHD_stop_daemon(workers[i]);
    log_info("msg=\"stopped\"");
    return 0;
}
