/* Agencies: validation, create/update, tree listing, CSV import. */
#include "core/agency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "util/jtree.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

struct agency_clean {
    char *code, *name, *abbr;
    char host_label[64];
    int64_t parent_id;
};

static void clean_release(struct agency_clean *c)
{
    free(c->code);
    free(c->name);
    free(c->abbr);
}

static bool clean_input(struct db_conn *c, const struct agency_input *in, int64_t self_id,
                        struct agency_clean *out, struct verrs *errs)
{
    memset(out, 0, sizeof(*out));
    out->code = field_clean(in->code, "code", "mã định danh", true, 13, errs);
    if (out->code && !agency_code_valid(out->code))
        verrs_add(errs, "code",
                  "Mã định danh phải có dạng AAA.BB.CC.XNN (ví dụ 000.00.00.H41), theo QĐ "
                  "20/2020/QĐ-TTg.");
    out->name = field_clean(in->name, "name", "tên cơ quan", true, 255, errs);
    out->abbr = field_clean(in->abbr, "abbr", "tên viết tắt", true, 20, errs);
    if (out->abbr && !abbr_valid(out->abbr))
        verrs_add(errs, "abbr",
                  "Tên viết tắt chỉ gồm chữ cái, chữ số và dấu &, không dấu cách (ví dụ UBND, "
                  "SKHCN).");
    if (in->host_label && *in->host_label) {
        str_copy(out->host_label, in->host_label, sizeof(out->host_label));
    } else if (out->abbr) {
        char slug[48];
        text_ascii_slug(out->abbr, slug, sizeof(slug));
        snprintf(out->host_label, sizeof(out->host_label), "qlvb-%s", slug);
    }
    bool label_ok = str_starts_with(out->host_label, "qlvb-") && strlen(out->host_label) > 5;
    for (const char *p = out->host_label; *p && label_ok; p++)
        label_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (out->abbr && !label_ok)
        verrs_add(errs, "host_label",
                  "Địa chỉ truy cập phải có dạng qlvb-<tên viết tắt không dấu>.");
    out->parent_id = in->parent_id;
    if (in->parent_id) {
        int64_t one;
        if (in->parent_id == self_id)
            verrs_add(errs, "parent_id", "Cơ quan không thể là cấp trên của chính nó.");
        else if (db_one_i64(c, &one, "SELECT 1 FROM agency WHERE id = $1", "i", in->parent_id) !=
                 RES_OK)
            verrs_add(errs, "parent_id", "Cơ quan cấp trên không tồn tại.");
        else if (self_id) {
            /* Refuse cycles: the new parent must not be a descendant of self. */
            int64_t cur = in->parent_id;
            for (int depth = 0; cur && depth < 64; depth++) {
                if (cur == self_id) {
                    verrs_add(errs, "parent_id", "Không thể chọn cơ quan cấp dưới làm cấp trên.");
                    break;
                }
                if (db_one_i64(c, &cur, "SELECT COALESCE(parent_id, 0) FROM agency WHERE id = $1",
                               "i", cur) != RES_OK)
                    break;
            }
        }
    }
    return errs->count == 0;
}

static const char *conflict_field(struct db_conn *c, const struct agency_clean *v, int64_t self_id)
{
    int64_t id;
    if (db_one_i64(c, &id, "SELECT id FROM agency WHERE code = $1 AND id <> $2", "ti", v->code,
                   self_id) == RES_OK)
        return "code";
    if (db_one_i64(c, &id, "SELECT id FROM agency WHERE host_label = $1 AND id <> $2", "ti",
                   v->host_label, self_id) == RES_OK)
        return "host_label";
    return NULL;
}

static void audit_agency(struct tx *t, const struct actor *a, int64_t id, const char *action,
                         const char *summary)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    tx_audit(t, &(struct audit_entry){.actor_id = a->user_id,
                                      .actor_login = a->login,
                                      .agency_id = id,
                                      .action = action,
                                      .object_type = "agency",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = a->client_addr});
}

/* Create (id 0) or update an agency, and for an update maybe (un)lock it, as one unit. */
struct agency_write {
    const struct actor *a;
    const struct agency_clean *v; /* NULL: only the active flag changes */
    int64_t id;
    int active;       /* -1 keep, 0 lock, 1 unlock */
    const char *dup;  /* out: the field that collides ("code", "host_label") */
    int64_t saved_id; /* out */
};

static result_t agency_write_tx(struct tx *t, void *arg)
{
    struct agency_write *w = arg;
    struct db_conn *c = tx_conn(t);
    const struct agency_clean *v = w->v;
    int64_t now = clock_now();
    result_t r = RES_OK;
    w->saved_id = w->id;
    w->dup = NULL;
    if (v) {
        if ((w->dup = conflict_field(c, v, w->id)))
            return RES_CONFLICT;
        if (w->id)
            r = db_run(c,
                       "UPDATE agency SET parent_id = $1, code = $2, name = $3, abbr = $4, "
                       "host_label = $5, updated_at = $6 WHERE id = $7",
                       "Itttti"
                       "i",
                       v->parent_id, v->code, v->name, v->abbr, v->host_label, now, w->id);
        else
            r = db_one_i64(c, &w->saved_id,
                           "INSERT INTO agency (parent_id, code, name, abbr, host_label, active, "
                           "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) "
                           "RETURNING id",
                           "Itttti", v->parent_id, v->code, v->name, v->abbr, v->host_label, now);
        if (r != RES_OK)
            return r;
        char summary[512];
        snprintf(summary, sizeof(summary), "%s — %s (%s)", v->code, v->name, v->abbr);
        audit_agency(t, w->a, w->saved_id, w->id ? "agency_update" : "agency_create", summary);
    }
    if (w->active >= 0) {
        r = db_run(c, "UPDATE agency SET active = $1, updated_at = $2 WHERE id = $3", "iii",
                   (int64_t)w->active, now, w->saved_id);
        if (r == RES_OK && db_changes(c) == 0)
            r = RES_NOT_FOUND;
        if (r != RES_OK)
            return r;
        audit_agency(t, w->a, w->saved_id, "agency_update",
                     w->active ? "Mở khóa cơ quan" : "Khóa cơ quan");
    }
    return RES_OK;
}

result_t agency_create(struct app *app, const struct actor *a, const struct agency_input *in,
                       struct verrs *errs, int64_t *id_out)
{
    result_t r = authz_check(a, AZ_AGENCY_MANAGE, 0);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct agency_clean v;
    if (!clean_input(c, in, 0, &v, errs)) {
        clean_release(&v);
        return RES_INVALID;
    }
    struct agency_write w = {.a = a, .v = &v, .active = -1};
    r = tx_run(app->db, agency_write_tx, &w);
    if (r == RES_CONFLICT && w.dup)
        verrs_add(errs, w.dup,
                  strcmp(w.dup, "code") == 0 ? "Mã định danh này đã được dùng."
                                             : "Địa chỉ truy cập này đã được dùng.");
    if (r == RES_OK && id_out)
        *id_out = w.saved_id;
    clean_release(&v);
    return r;
}

result_t agency_patch(struct app *app, const struct actor *a, int64_t id,
                      const struct agency_input *in, int active, struct verrs *errs)
{
    result_t r = authz_check(a, AZ_AGENCY_MANAGE, id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t one;
    if (db_one_i64(c, &one, "SELECT 1 FROM agency WHERE id = $1", "i", id) != RES_OK)
        return RES_NOT_FOUND;
    struct agency_clean v;
    if (!clean_input(c, in, id, &v, errs)) {
        clean_release(&v);
        return RES_INVALID;
    }
    struct agency_write w = {.a = a, .v = &v, .id = id, .active = active};
    r = tx_run(app->db, agency_write_tx, &w);
    if (r == RES_CONFLICT && w.dup)
        verrs_add(errs, w.dup,
                  strcmp(w.dup, "code") == 0 ? "Mã định danh này đã được dùng."
                                             : "Địa chỉ truy cập này đã được dùng.");
    clean_release(&v);
    return r;
}

result_t agency_update(struct app *app, const struct actor *a, int64_t id,
                       const struct agency_input *in, struct verrs *errs)
{
    return agency_patch(app, a, id, in, -1, errs);
}

result_t agency_set_active(struct app *app, const struct actor *a, int64_t id, bool active)
{
    result_t r = authz_check(a, AZ_AGENCY_MANAGE, id);
    if (r != RES_OK)
        return r;
    struct agency_write w = {.a = a, .id = id, .active = active ? 1 : 0};
    return tx_run(app->db, agency_write_tx, &w);
}

#define AGENCY_SPEC "id:i,parent_id:I,code:t,name:t,abbr:t,host_label:t,active:b"
#define AGENCY_COLS "id, parent_id, code, name, abbr, host_label, active"

result_t agency_list(struct app *app, const struct actor *a, json_t **out)
{
    result_t r = authz_check(a, AZ_AGENCY_READ, 0);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, "SELECT " AGENCY_COLS " FROM agency ORDER BY code", "")) != RES_OK)
        return r;
    json_t *all = NULL;
    if ((r = db_collect(s, AGENCY_SPEC, &all)) != RES_OK)
        return r;
    *out = jtree_preorder(all, 32);
    json_decref(all);
    return RES_OK;
}

result_t agency_get(struct app *app, const struct actor *a, int64_t id, json_t **out)
{
    result_t r = authz_check(a, AZ_AGENCY_READ, id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, "SELECT " AGENCY_COLS " FROM agency WHERE id = $1", "i", id)) !=
        RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        *out = db_row_json(s, AGENCY_SPEC);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

result_t agency_by_host_label(struct app *app, const char *label, int64_t *id_out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    return db_one_i64(c, id_out, "SELECT id FROM agency WHERE host_label = $1 AND active = 1", "t",
                      label);
}

result_t agency_by_code(struct app *app, const char *code, int64_t *id_out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    return db_one_i64(c, id_out, "SELECT id FROM agency WHERE code = $1", "t", code);
}

/* Splits one CSV record (RFC 4180 quotes) into at most `max` fields, in place. */
static int csv_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *w = p;
        fields[n++] = w;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return -1; /* unterminated quote */
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            if (*p != ',' && *p != '\0')
                return -1;
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        int end = *p == '\0';
        *w = '\0';
        if (end)
            return n;
        p++;
    }
    return -1; /* too many fields */
}

/* The whole file as one unit: every row or none. Counts and the message are outputs,
 * reset on each attempt (core/tx.h). */
struct agency_import {
    const struct actor *a;
    const char *csv;
    char *err;
    size_t errsize;
    int created, updated; /* out */
};

static result_t agency_import_tx(struct tx *t, void *arg)
{
    struct agency_import *im = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = RES_OK;
    im->created = im->updated = 0;
    im->err[0] = '\0';
    char *copy = xstrdup(im->csv);
    char *save = NULL;
    int lineno = 0, rows = 0;
    if (str_starts_with(copy, "\xEF\xBB\xBF")) /* UTF-8 BOM from spreadsheet exports */
        memset(copy, ' ', 3);
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (str_is_empty(line))
            continue;
        char *f[5];
        int n = csv_fields(line, f, 5);
        if (n < 3 || n > 4) {
            snprintf(im->err, im->errsize,
                     "Dòng %d: cần 3 hoặc 4 cột (mã, tên, viết tắt, mã cấp trên).", lineno);
            r = RES_INVALID;
            break;
        }
        for (int i = 0; i < n; i++)
            text_squeeze(f[i]);
        if (rows == 0 && !agency_code_valid(f[0]) && strstr(f[0], "code"))
            continue; /* header row */
        if (++rows > 100000) {
            snprintf(im->err, im->errsize, "Quá nhiều dòng (tối đa 100000).");
            r = RES_TOO_LARGE;
            break;
        }
        int64_t parent_id = 0, existing = 0;
        if (n == 4 && *f[3]) {
            if (db_one_i64(c, &parent_id, "SELECT id FROM agency WHERE code = $1", "t", f[3]) !=
                RES_OK) {
                snprintf(im->err, im->errsize,
                         "Dòng %d: cơ quan cấp trên %.20s chưa có (cần đứng trước).", lineno, f[3]);
                r = RES_INVALID;
                break;
            }
        }
        struct agency_input in = {f[0], f[1], f[2], NULL, parent_id};
        struct verrs errs = {0};
        struct agency_clean v;
        int found =
            db_one_i64(c, &existing, "SELECT id FROM agency WHERE code = $1", "t", f[0]) == RES_OK;
        if (!clean_input(c, &in, found ? existing : 0, &v, &errs)) {
            snprintf(im->err, im->errsize, "Dòng %d: %s", lineno, errs.items[0].message);
            clean_release(&v);
            r = RES_INVALID;
            break;
        }
        int64_t now = clock_now();
        if (found) {
            /* Keep the host label an administrator may have set. */
            r = db_run(c,
                       "UPDATE agency SET parent_id = $1, name = $2, abbr = $3, updated_at = $4 "
                       "WHERE id = $5",
                       "Ittii", v.parent_id, v.name, v.abbr, now, existing);
            im->updated++;
        } else {
            r = db_run(c,
                       "INSERT INTO agency (parent_id, code, name, abbr, host_label, active, "
                       "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                       "Itttti", v.parent_id, v.code, v.name, v.abbr, v.host_label, now);
            im->created++;
        }
        clean_release(&v);
        if (r != RES_OK) {
            snprintf(im->err, im->errsize, "Dòng %d: trùng mã hoặc địa chỉ truy cập (%s).", lineno,
                     result_name(r));
            break;
        }
    }
    free(copy);
    if (r != RES_OK)
        return r;
    char summary[128];
    snprintf(summary, sizeof(summary), "%d cơ quan mới, %d cập nhật", im->created, im->updated);
    tx_audit(t, &(struct audit_entry){.actor_id = im->a->user_id,
                                      .actor_login = im->a->login,
                                      .agency_id = 0,
                                      .action = "agency_import",
                                      .object_type = "agency",
                                      .object_id = "",
                                      .summary = summary,
                                      .client_addr = im->a->client_addr});
    return RES_OK;
}

result_t agency_import_csv(struct app *app, const struct actor *a, const char *csv, int *created,
                           int *updated, char *err, size_t errsize)
{
    *created = *updated = 0;
    result_t r = authz_check(a, AZ_AGENCY_MANAGE, 0);
    if (r != RES_OK) {
        snprintf(err, errsize, "Không có quyền nhập danh sách cơ quan.");
        return r;
    }
    if (strlen(csv) > 8 * 1024 * 1024) {
        snprintf(err, errsize, "Tệp quá lớn (tối đa 8 MB).");
        return RES_TOO_LARGE;
    }
    if (!text_valid_utf8(csv, strlen(csv))) {
        snprintf(err, errsize, "Tệp không phải văn bản UTF-8.");
        return RES_INVALID;
    }
    struct agency_import im = {.a = a, .csv = csv, .err = err, .errsize = errsize};
    r = tx_run(app->db, agency_import_tx, &im);
    *created = r == RES_OK ? im.created : 0;
    *updated = r == RES_OK ? im.updated : 0;
    return r;
}
