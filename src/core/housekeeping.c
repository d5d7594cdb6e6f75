/* Handlers of the built-in periodic jobs. Each is idempotent (it deletes what is
 * expired at the time it runs), so a retry or a second node running it is harmless. */
#include "core/housekeeping.h"

#include <stdio.h>

#include "blob/blob.h"
#include "core/notify.h"
#include "core/session.h"
#include "core/sign_draft.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "util/clock.h"

static result_t sweep_drafts(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    int64_t n = 0;
    result_t r = sign_draft_sweep(ctx, clock_now(), &n);
    if (r == RES_OK)
        snprintf(msg, size, "Đã xóa %lld bản nháp ký số hết hạn", (long long)n);
    return r;
}

static result_t sweep_sessions(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    int64_t n = 0;
    result_t r = session_sweep(ctx, clock_now(), &n);
    if (r == RES_OK)
        snprintf(msg, size, "Đã xóa %lld phiên đăng nhập hết hạn", (long long)n);
    return r;
}

static result_t sweep_blobs(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    struct app *app = ctx;
    struct db_conn *c = db_conn(app->db);
    struct blob_sweep_report rep;
    if (!c)
        return RES_DB;
    if (!app->blobs) {
        snprintf(msg, size, "Chưa cấu hình kho tệp");
        return RES_OK;
    }
    result_t r = blob_sweep(app->blobs, c, clock_now(), app->cfg.blob_grace, &rep);
    if (r == RES_OK)
        snprintf(msg, size, "Đã xóa %lld tệp, %lld bản ghi tệp và %lld tệp tạm không còn dùng",
                 (long long)rep.files_removed, (long long)rep.rows_removed,
                 (long long)rep.tmp_removed);
    return r;
}

/* Retention of notifications: read ones older than cfg.notify_keep_days (unread ones
 * stay until their recipient reads them). */
static result_t sweep_notifications(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    struct app *app = ctx;
    int days = app->cfg.notify_keep_days > 0 ? app->cfg.notify_keep_days : 90;
    int64_t n = 0;
    result_t r = notify_sweep(app, clock_now() - (int64_t)days * 86400, &n);
    if (r == RES_OK)
        snprintf(msg, size, "Đã xóa %lld thông báo đã đọc quá %d ngày", (long long)n, days);
    return r;
}

/* The planner's statistics (db_optimize), refreshed every hour: at start, so that an
 * installation is never planned without them, and often enough that a bulk import is
 * planned from its own sizes within the hour (80 ms at a million documents). */
static result_t optimize_db(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    struct app *app = ctx;
    result_t r = db_optimize(app->db);
    if (r == RES_OK)
        snprintf(msg, size, "Đã cập nhật thống kê truy vấn của cơ sở dữ liệu");
    return r;
}

#define OPTIMIZE_EVERY 3600

result_t housekeeping_register(struct jobs *q, struct app *app)
{
    int every = app->cfg.sweep_interval > 0 ? app->cfg.sweep_interval : 600;
    result_t r = jobs_register(q, "sign_draft.sweep", sweep_drafts, app, every);
    if (r == RES_OK)
        r = jobs_register(q, "session.sweep", sweep_sessions, app, every);
    if (r == RES_OK)
        r = jobs_register(q, "blob.sweep", sweep_blobs, app, every);
    if (r == RES_OK)
        r = jobs_register(q, "notify.sweep", sweep_notifications, app, every);
    if (r == RES_OK)
        r = jobs_register(q, "db.optimize", optimize_db, app, OPTIMIZE_EVERY);
    return r;
}
