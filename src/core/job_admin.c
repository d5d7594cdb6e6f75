/* Authorization, Vietnamese labels and the audit row around the queue's own
 * administration calls (jobs/jobs.h). */
#include "core/job_admin.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/tx.h"
#include "core/authz.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "util/clock.h"

static const char *state_label(const char *state)
{
    if (!strcmp(state, "pending"))
        return "Đang chờ";
    if (!strcmp(state, "running"))
        return "Đang chạy";
    if (!strcmp(state, "done"))
        return "Đã xong";
    return "Lỗi, đã dừng";
}

result_t job_admin_overview(struct app *app, const struct actor *a, const char *state, int limit,
                            json_t **out)
{
    result_t r = authz_check(a, AZ_JOBS_MANAGE, 0);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    json_t *counts = NULL, *rows = NULL;
    if ((r = jobs_counts(c, &counts)) != RES_OK)
        return r;
    if ((r = jobs_list(c, state && *state ? state : NULL, limit, &rows)) != RES_OK) {
        json_decref(counts);
        return r;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "state"));
        json_object_set_new(row, "state_label", json_string(state_label(st ? st : "")));
    }
    *out = json_pack("{s:o,s:o}", "counts", counts, "jobs", rows);
    return RES_OK;
}

struct job_retry_arg {
    int64_t id;
    const struct audit_entry *audit;
};

static result_t job_retry_tx(struct tx *t, void *arg)
{
    const struct job_retry_arg *w = arg;
    result_t r = jobs_retry(tx_conn(t), w->id, clock_now());
    if (r == RES_OK)
        tx_audit(t, w->audit);
    return r;
}

result_t job_admin_retry(struct app *app, const struct actor *a, int64_t id)
{
    result_t r = authz_check(a, AZ_JOBS_MANAGE, 0);
    if (r != RES_OK)
        return r;
    if (id <= 0)
        return RES_NOT_FOUND;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    char oid[24], summary[64];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    snprintf(summary, sizeof(summary), "Chạy lại việc nền #%lld", (long long)id);
    struct audit_entry e = {
        .actor_id = a->user_id,
        .actor_login = a->login,
        .agency_id = 0,
        .action = "job_retry",
        .object_type = "job",
        .object_id = oid,
        .summary = summary,
        .client_addr = a->client_addr,
    };
    struct job_retry_arg w = {.id = id, .audit = &e};
    return tx_run(app->db, job_retry_tx, &w);
}
