/* /admin/jobs: the background job queue for system administrators — how many jobs
 * wait, run, finished or died, the dead ones with their last error, and a retry. */
#include <string.h>

#include "core/job_admin.h"
#include "util/str.h"
#include "web/pages.h"
#include "web/render.h"

static const char *const states[] = {"dead", "pending", "running", "done"};
static const char *const state_labels[] = {"Lỗi, đã dừng", "Đang chờ", "Đang chạy", "Đã xong"};

void page_admin_jobs(struct req *r)
{
    const char *state = req_query(r, "state");
    bool known = false;
    for (size_t i = 0; state && i < 4; i++)
        known = known || strcmp(state, states[i]) == 0;
    if (!known)
        state = "dead"; /* what an administrator needs to act on */
    json_t *data = NULL;
    result_t res = job_admin_overview(r->app, &r->actor, state, 100, &data);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *counts = json_object_get(data, "counts"), *tabs = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(
            tabs, json_pack("{s:s,s:s,s:I,s:b,s:b}", "state", states[i], "label", state_labels[i],
                            "count", json_integer_value(json_object_get(counts, states[i])),
                            "current", strcmp(state, states[i]) == 0, "dead", i == 0));
    json_t *jobs = json_object_get(data, "jobs");
    size_t i;
    json_t *row;
    json_array_foreach(jobs, i, row)
    {
        json_object_set_new(row, "is_dead", json_boolean(!strcmp(state, "dead")));
    }
    const char *label = "";
    for (size_t k = 0; k < 4; k++)
        if (!strcmp(state, states[k]))
            label = state_labels[k];
    web_render(r, 200, "admin_jobs",
               json_pack("{s:s,s:o,s:O,s:s,s:b}", "title", "Việc nền", "tabs", tabs, "jobs", jobs,
                         "state_label", label, "show_dead", !strcmp(state, "dead")),
               "admin_jobs");
    json_decref(data);
}

void page_admin_job_retry(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = job_admin_retry(r->app, &r->actor, id);
    if (res == RES_OK) {
        web_flash(r, "success", "Đã đưa việc trở lại hàng đợi; việc sẽ chạy trong giây lát.");
    } else if (res == RES_CONFLICT) {
        web_flash(r, "error", "Đã có một việc cùng loại đang chờ hoặc đang chạy.");
    } else if (res == RES_NOT_FOUND) {
        web_flash(r, "error", "Không tìm thấy việc lỗi này (có thể đã được chạy lại).");
    } else {
        resp_result(r, res);
        return;
    }
    resp_redirect(r, "/admin/jobs?state=dead");
}
