/* Issuing several signed and sealed documents at once (issue 12: "Urgent documents are
 * issued and delivered first", standards.md §3 urgency): the clerk's batch is put in
 * order — the most urgent first (hỏa tốc, thượng khẩn, khẩn, thường: edXML Priority
 * descending), then the one sealed first, then the lower id — and each document is
 * issued in its own transaction through doc_outgoing_issue, so one that cannot be issued
 * leaves the others issued and the batch reports each one. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "doc/doc.h"

struct rank {
    int64_t id, urgency, sealed_at;
    size_t given; /* its place in the request */
};

static int rank_cmp(const void *pa, const void *pb)
{
    const struct rank *a = pa, *b = pb;
    if (a->urgency != b->urgency)
        return a->urgency > b->urgency ? -1 : 1;
    if (a->sealed_at != b->sealed_at)
        return a->sealed_at < b->sealed_at ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

result_t doc_issue_batch(struct app *app, const struct actor *a, const int64_t *ids, size_t n,
                         struct doc_issue_item *out, struct verrs *e)
{
    /* The batch is the clerks' (the policy's answer for issuing in the agency); each
     * document then asks the policy again through doc_outgoing_issue. */
    result_t r = authz_check(a, AZ_DOC_REGISTER, a->agency_id);
    if (r != RES_OK)
        return r;
    if (n == 0 || n > DOC_ISSUE_BATCH_MAX) {
        verrs_add(e, "ids", "Chọn từ 1 đến %d văn bản để ban hành; đã chọn %zu.",
                  DOC_ISSUE_BATCH_MAX, n);
        return RES_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        if (ids[i] < 1) {
            verrs_add(e, "ids", "Mã văn bản thứ %zu không hợp lệ.", i + 1);
            return RES_INVALID;
        }
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i]) {
                verrs_add(e, "ids", "Văn bản %lld được chọn hai lần.", (long long)ids[i]);
                return RES_INVALID;
            }
    }
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct rank rk[DOC_ISSUE_BATCH_MAX];
    for (size_t i = 0; i < n; i++) {
        rk[i] = (struct rank){.id = ids[i], .urgency = -1, .sealed_at = INT64_MAX, .given = i};
        /* Only the agency's own documents have a rank; another agency's id is issued
         * last, where doc_outgoing_issue answers it as unknown (404). */
        struct db_stmt *s = NULL;
        r = db_query(c, &s,
                     "SELECT urgency, COALESCE(sealed_at, 0) FROM document WHERE id = $1 AND "
                     "agency_id = $2 AND direction = 'outgoing'",
                     "ii", ids[i], a->agency_id);
        if (r != RES_OK)
            return r;
        if ((r = db_step(s)) == RES_ROW) {
            rk[i].urgency = db_col_i64(s, 0);
            rk[i].sealed_at = db_col_i64(s, 1);
        }
        db_finalize(s);
        if (r != RES_ROW && r != RES_DONE)
            return r;
    }
    qsort(rk, n, sizeof(rk[0]), rank_cmp);
    for (size_t i = 0; i < n; i++) {
        out[i] = (struct doc_issue_item){.id = rk[i].id};
        out[i].r = doc_outgoing_issue(app, a, rk[i].id, &out[i].e);
    }
    return RES_OK;
}
