/* /api/v1/jobs: the background job queue for system administrators (counts by state,
 * the jobs of one state with their last error) and retrying a dead job. */
#include <string.h>

#include "api/api.h"
#include "core/job_admin.h"
#include "util/str.h"

void api_jobs_list(struct req *r)
{
    const char *state = req_query(r, "state"), *lim = req_query(r, "limit");
    int64_t limit = 100;
    if (lim && str_to_i64(lim, 1, 500, &limit) != RES_OK) {
        resp_problem(r, 400, "about:blank", "Tham số không hợp lệ",
                     "limit phải là số nguyên từ 1 đến 500.", NULL);
        return;
    }
    json_t *out = NULL;
    result_t res = job_admin_overview(r->app, &r->actor, state, (int)limit, &out);
    if (res == RES_INVALID) {
        resp_problem(r, 400, "about:blank", "Tham số không hợp lệ",
                     "state phải là pending, running, done hoặc dead.", NULL);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

void api_job_retry(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = job_admin_retry(r->app, &r->actor, id);
    if (res == RES_CONFLICT) {
        resp_problem(r, 409, "about:blank", "Việc này đang chờ chạy",
                     "Đã có một việc cùng loại đang chờ hoặc đang chạy.", NULL);
        return;
    }
    resp_result(r, res); /* RES_OK → 204 */
}
