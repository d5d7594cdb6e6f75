/* The HTTP server: libmicrohttpd with an epoll thread pool. The access handler is
 * called at least twice per request: first for the headers (we only set up the
 * request context), then with body chunks, then once more with no data — only then
 * is the response queued, which keeps connections alive (answering on the first call
 * forces Connection: close). SIGTERM stops accepting, lets in-flight requests
 * finish, then stops the daemon. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/agency.h"
#include "core/authz.h"
#include "core/session.h"
#include "db/db.h"
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

static atomic_int inflight;
static atomic_uint_fast64_t request_seq;
static uint32_t request_prefix; /* random per process, so ids differ across restarts */

static const char *CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                         "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                         "base-uri 'none'";

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

/* qlvb-<abbr>.<domain>[:port] → the agency whose host label it is. */
static void resolve_host_agency(struct req *r)
{
    const char *host = req_header(r, "Host");
    if (!host || strncmp(host, "qlvb-", 5) != 0)
        return;
    char label[64];
    size_t n = strcspn(host, ".:");
    if (n >= sizeof(label))
        return;
    memcpy(label, host, n);
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

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
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
        if (path_matched) {
            resp_header(r, "Allow", allow);
            resp_error(r, 405, "Phương thức không được hỗ trợ",
                       arena_printf(&r->arena, "Địa chỉ này chỉ nhận: %s.", allow));
        } else {
            resp_error(r, 404, "Không tìm thấy trang", "Địa chỉ bạn truy cập không tồn tại.");
        }
        return;
    }
    resolve_host_agency(r);
    result_t auth = authenticate(r);
    if (auth != RES_OK) {
        resp_result(r, auth); /* 503 */
        return;
    }
    if (r->authed && r->host_agency_id && r->actor.membership_id &&
        r->actor.agency_id != r->host_agency_id) {
        r->authed = false; /* a session of another agency is not valid on this host */
    }
    if (!(rt->flags & RT_PUBLIC)) {
        if (!r->authed) {
            if (r->is_api || strcmp(r->method, "GET") != 0)
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
        if (!token && !r->is_api)
            token = req_form(r, "_csrf");
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
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
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
static long body_limit(struct req *r)
{
    bool path_matched = false;
    char allow[64];
    const struct route *rt = router_match(routes, route_count, r->method, r->path, NULL,
                                          &path_matched, allow, sizeof(allow));
    long limit = r->app->cfg.max_body;
    if (rt && (rt->flags & RT_UPLOAD) && r->app->cfg.max_upload > limit)
        limit = r->app->cfg.max_upload;
    return limit;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)version;
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
        r->body_limit = body_limit(r);
        buf_init(&r->body, (size_t)r->body_limit);
        buf_init(&r->out, RESPONSE_MAX);
        client_address(r);
        atomic_fetch_add(&inflight, 1);
        *con_cls = r;
        /* A declared body over the limit is refused before it is read: the one case
         * where we answer on the first call (MHD then closes the connection, which
         * is what we want for a client sending too much). */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t declared;
        if (cl && str_to_i64(cl, 0, INT64_MAX, &declared) == RES_OK && declared > r->body_limit) {
            too_large(r);
            return queue(r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Chunked bodies past the limit: discard the rest, answer 413 at the end. */
        if (!r->body_too_large && buf_append(&r->body, upload_data, *upload_data_size) != RES_OK) {
            r->body_too_large = true;
            buf_release(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->body_too_large) {
        too_large(r);
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
    (void)cls;
    (void)conn;
    struct req *r = *con_cls;
    if (!r)
        return;
    double ms = clock_mono_ms() - r->start_ms;
    log_info("req=%s method=%s path=\"%.200s\" status=%d dur_ms=%.2f user=%s agency=%lld "
             "client=%s%s",
             r->id, r->method, r->path, r->status, ms, r->authed ? r->actor.login : "-",
             (long long)r->actor.agency_id, r->client_addr,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    buf_release(&r->body);
    buf_release(&r->out);
    arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&inflight, 1);
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
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (inet_pton(AF_INET, app->cfg.listen_host, &addr4.sin_addr) == 1) {
        addr4.sin_family = AF_INET;
        addr4.sin_port = htons((uint16_t)app->cfg.port);
        sa = (const struct sockaddr *)&addr4;
    } else if (inet_pton(AF_INET6, app->cfg.listen_host, &addr6.sin6_addr) == 1) {
        addr6.sin6_family = AF_INET6;
        addr6.sin6_port = htons((uint16_t)app->cfg.port);
        sa = (const struct sockaddr *)&addr6;
        flags |= MHD_USE_IPv6;
    } else {
        log_error("msg=\"listen address must be a numeric IPv4 or IPv6 address\" host=%s",
                  app->cfg.listen_host);
        return 2;
    }
    int threads = app->cfg.threads > 0 ? app->cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    struct MHD_Daemon *d =
        MHD_start_daemon(flags, (uint16_t)app->cfg.port, NULL, NULL, access_handler, app,
                         MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.connection_timeout,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_EXTERNAL_LOGGER,
                         mhd_log, NULL, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (!d) {
        log_error("msg=\"cannot listen\" host=%s port=%d", app->cfg.listen_host, app->cfg.port);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char db_safe[sizeof(app->cfg.db_url)];
    db_url_redact(app->cfg.db_url, db_safe, sizeof(db_safe));
    log_info("msg=\"listening\" url=http://%s:%u threads=%d db=%s", app->cfg.listen_host,
             di ? di->port : (unsigned)app->cfg.port, threads, db_safe);

    int sig = 0;
    sigwait(&set, &sig);
    log_info("msg=\"shutting down\" signal=%d inflight=%d", sig, atomic_load(&inflight));
    MHD_quiesce_daemon(d); /* stop accepting; keep serving open connections */
    double deadline = clock_mono_ms() + SHUTDOWN_GRACE_MS;
    while (atomic_load(&inflight) > 0 && clock_mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    log_info("msg=\"stopped\"");
    return 0;
}
