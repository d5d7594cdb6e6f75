/* "Quy trình duyệt": the agency's review-circuit templates of outgoing documents in the
 * browser (issue 12, standards.md §6). The list shows every document type of the ND30
 * list with its template (the ordered reviewer places before the signer); one type's
 * form edits its places without JavaScript: one select per step (the leader of the
 * drafting unit or of a named unit, the office checking the form, a position, a person),
 * buttons that move a step up or down or remove it (the form comes back reordered,
 * nothing saved yet) and "Lưu quy trình", which replaces the template through
 * doc_circuit_set (AZ_ORG_MANAGE, one tx_run with its audit row). The page asks the same
 * action as the core (SCREEN_CIRCUITS), so the menu, the page and the API agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/org.h"
#include "doc/doc.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/pages_doc.h"
#include "web/render.h"

#define ROWS DOC_MAX_CIRCUIT_STEPS /* the core's limit: one select per step */

static bool may_edit(struct req *r)
{
    if (web_screen_check(r, SCREEN_CIRCUITS) == RES_OK)
        return true;
    resp_error(r, 403, "Không có quyền",
               "Chỉ quản trị của cơ quan được sửa quy trình duyệt văn bản đi của cơ quan.");
    return false;
}

/* The type of the request's doc_type parameter when the actor may edit its circuit;
 * NULL with the answer (403, 404) sent otherwise. */
static const struct doc_type *editable_type(struct req *r)
{
    if (!may_edit(r))
        return NULL;
    const struct doc_type *type = doc_type_find(req_param(r, "doc_type"));
    if (!type)
        resp_error(r, 404, "Không tìm thấy", "Loại văn bản này không có trong danh mục.");
    return type;
}

/* What one step of doc_circuit_list names, in the page's words. */
static const char *step_label(struct req *r, json_t *st)
{
    const char *kind = web_jstr(st, "kind");
    if (!strcmp(kind, "unit_leader"))
        return json_is_string(json_object_get(st, "department_name"))
                   ? arena_printf(&r->arena, "Lãnh đạo %s", web_jstr(st, "department_name"))
                   : "Lãnh đạo đơn vị soạn thảo";
    if (!strcmp(kind, "office"))
        return arena_printf(&r->arena, "Kiểm tra thể thức: %s", web_jstr(st, "department_name"));
    if (!strcmp(kind, "position"))
        return arena_printf(&r->arena, "Người giữ chức vụ %s", web_jstr(st, "position_name"));
    return arena_printf(&r->arena, "Cán bộ: %s", web_jstr(st, "user_name"));
}

/* A step as the value of the form's select: "unit_leader" (the drafting unit's
 * leader), "unit_leader:7", "office:7", "position:3", "user:12". */
static const char *step_value(struct req *r, json_t *st)
{
    const char *kind = web_jstr(st, "kind");
    const char *key = !strcmp(kind, "user")       ? "user_id"
                      : !strcmp(kind, "position") ? "position_id"
                                                  : "department_id";
    json_t *id = json_object_get(st, key);
    if (!json_is_integer(id) || !json_integer_value(id))
        return kind;
    return arena_printf(&r->arena, "%s:%lld", kind, (long long)json_integer_value(id));
}

/* The value of a select back into a step: false when it names nothing the form offers. */
static bool step_parse(const char *v, struct doc_circuit_step_input *st)
{
    static const char *const kinds[] = {"unit_leader", "office", "position", "user"};
    *st = (struct doc_circuit_step_input){0};
    const char *colon = strchr(v, ':');
    size_t klen = colon ? (size_t)(colon - v) : strlen(v);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (strlen(kinds[k]) == klen && !strncmp(v, kinds[k], klen))
            st->kind = kinds[k];
    if (!st->kind)
        return false;
    if (!colon)
        return !strcmp(st->kind, "unit_leader");
    int64_t id = 0;
    if (str_to_i64(colon + 1, 1, INT64_MAX, &id) != RES_OK)
        return false;
    if (!strcmp(st->kind, "user"))
        st->user_id = id;
    else if (!strcmp(st->kind, "position"))
        st->position_id = id;
    else
        st->department_id = id;
    return true;
}

/* ---- the list ---- */

void page_admin_circuits(struct req *r)
{
    if (!may_edit(r))
        return;
    json_t *list = NULL;
    result_t res = doc_circuit_list(r->app, &r->actor, NULL, &list);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *have = json_object(); /* doc_type → its steps */
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(list, "templates"), i, t)
        json_object_set(have, web_jstr(t, "doc_type"), json_object_get(t, "steps"));
    json_t *types = json_array();
    size_t with = 0;
    for (size_t k = 0; k < doc_type_count; k++) {
        json_t *steps = json_object_get(have, doc_types[k].key), *shown = json_array();
        size_t j;
        json_t *st;
        json_array_foreach(steps, j, st) json_array_append_new(
            shown, json_pack("{s:I,s:s}", "n", (json_int_t)(j + 1), "label", step_label(r, st)));
        with += json_array_size(shown) > 0;
        json_array_append_new(
            types, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b}", "key", doc_types[k].key, "name",
                             doc_types[k].name, "abbr", doc_types[k].abbr, "href",
                             arena_printf(&r->arena, "/admin/circuits/%s", doc_types[k].key),
                             "steps", shown, "has_steps", json_array_size(shown) > 0));
    }
    json_decref(have);
    json_decref(list);
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Quy trình duyệt văn bản đi");
    json_object_set_new(ctx, "types", types);
    json_object_set_new(ctx, "with_template", json_integer((json_int_t)with));
    json_object_set_new(ctx, "max_steps", json_integer(ROWS));
    web_render(r, 200, "circuits", ctx, "admin_circuits");
}

/* ---- one type's form ---- */

/* The choices of a step's select, grouped, with `value` selected. A value none of them
 * is (a saved step whose person left or whose position was retired, a value sent that
 * names nothing) stays selected in its own group, labelled `known` (the saved step's
 * label) or as gone, so that saving the form again does not drop it unnoticed: the core
 * says what is wrong with it. */
static json_t *choices(struct req *r, json_t *cand, json_t *positions, const char *value,
                       const char *known)
{
    json_t *groups = json_array();
#define GROUP(label) json_pack("{s:s,s:[]}", "label", label, "options")
#define OPT(g, v, l)                                                                     \
    json_array_append_new(json_object_get(g, "options"),                                 \
                          json_pack("{s:s,s:s,s:b}", "value", v, "label", l, "selected", \
                                    value && !strcmp(value, v)))
    json_t *lead = GROUP("Lãnh đạo đơn vị"), *office = GROUP("Kiểm tra thể thức (văn phòng)");
    json_t *pos = GROUP("Người giữ chức vụ"), *people = GROUP("Một cán bộ");
    OPT(lead, "unit_leader", "Lãnh đạo đơn vị soạn thảo");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cand, "departments"), i, x)
    {
        long long id = json_integer_value(json_object_get(x, "id"));
        const char *name = web_jstr(x, "name");
        OPT(lead, arena_printf(&r->arena, "unit_leader:%lld", id),
            arena_printf(&r->arena, "Lãnh đạo %s", name));
        OPT(office, arena_printf(&r->arena, "office:%lld", id),
            arena_printf(&r->arena, "Kiểm tra thể thức: %s", name));
    }
    json_array_foreach(positions, i, x)
    {
        if (!json_is_true(json_object_get(x, "active")))
            continue;
        OPT(pos,
            arena_printf(&r->arena, "position:%lld",
                         (long long)json_integer_value(json_object_get(x, "id"))),
            arena_printf(&r->arena, "Người giữ chức vụ %s", web_jstr(x, "name")));
    }
    bool found = !value || !*value;
    json_array_foreach(json_object_get(cand, "people"), i, x)
        OPT(people,
            arena_printf(&r->arena, "user:%lld",
                         (long long)json_integer_value(json_object_get(x, "id"))),
            web_person_label(r, x));
    json_t *gone = GROUP("Không còn trong danh sách");
    json_t *all[] = {lead, office, pos, people, gone};
    for (size_t g = 0; g < 4; g++) {
        size_t j;
        json_t *o;
        json_array_foreach(json_object_get(all[g], "options"), j, o) found |=
            json_is_true(json_object_get(o, "selected"));
    }
    if (!found)
        OPT(gone, value,
            known ? arena_printf(&r->arena, "%s (không còn trong danh sách)", known)
                  : "Bước không còn trong danh sách của cơ quan");
    for (size_t g = 0; g < 5; g++) {
        if (json_array_size(json_object_get(all[g], "options")))
            json_array_append_new(groups, all[g]);
        else
            json_decref(all[g]);
    }
#undef OPT
#undef GROUP
    return groups;
}

/* The form of `type` with the steps `values[0..n-1]` (NULL: the saved template); e: its
 * errors (every message in order: the core names the step in each); notice: the form
 * was reordered, not saved yet. */
static void render_form(struct req *r, int status, const struct doc_type *type,
                        const char *const *values, size_t n, const struct verrs *e, bool notice)
{
    json_t *cand = NULL, *positions = NULL, *saved = NULL;
    result_t res = doc_draft_candidates(r->app, &r->actor, &cand);
    if (res == RES_OK)
        res = position_list(r->app, &r->actor, r->actor.agency_id, &positions);
    if (res == RES_OK && !values)
        res = doc_circuit_list(r->app, &r->actor, type->key, &saved);
    if (res != RES_OK) {
        json_decref(cand);
        json_decref(positions);
        resp_result(r, res);
        return;
    }
    const char *kept[ROWS], *labels[ROWS] = {0};
    if (!values) {
        json_t *steps =
            json_object_get(json_array_get(json_object_get(saved, "templates"), 0), "steps");
        n = 0;
        size_t i;
        json_t *st;
        json_array_foreach(steps, i, st) if (n < ROWS)
        {
            labels[n] = step_label(r, st);
            kept[n++] = step_value(r, st);
        }
        values = kept;
    }
    /* the steps chosen, then one empty row shown and the others folded ("Thêm bước") */
    json_t *rows = json_array(), *extra = json_array();
    for (size_t k = 0; k < ROWS; k++) {
        bool filled = k < n;
        bool up = filled && k > 0;
        bool down = k + 1 < n;
        const char *v = filled ? values[k] : "";
        json_t *row = json_pack("{s:I,s:s,s:b,s:b,s:b,s:o}", "n", (json_int_t)(k + 1), "value", v,
                                "filled", filled, "can_up", up, "can_down", down, "groups",
                                choices(r, cand, positions, v, filled ? labels[k] : NULL));
        /* the core names the step of each message ("Bước 2: ..."): shown next to it too */
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "Bước %zu:", k + 1);
        for (int i = 0; e && i < e->count; i++)
            if (!strncmp(e->items[i].message, prefix, strlen(prefix)) &&
                !json_object_get(row, "error"))
                web_set_str(row, "error", e->items[i].message);
        json_array_append_new(k <= n ? rows : extra, row);
    }
    json_decref(cand);
    json_decref(positions);
    json_decref(saved);
    json_t *ctx = json_object();
    web_set_str(ctx, "title", arena_printf(&r->arena, "Quy trình duyệt: %s", type->name));
    json_object_set_new(ctx, "type",
                        json_pack("{s:s,s:s,s:s}", "key", type->key, "name", type->name, "href",
                                  arena_printf(&r->arena, "/admin/circuits/%s", type->key)));
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "extra_rows", extra);
    json_object_set_new(ctx, "has_extra", json_boolean(json_array_size(extra) > 0));
    json_object_set_new(ctx, "count", json_integer((json_int_t)n));
    json_object_set_new(ctx, "max_steps", json_integer(ROWS));
    json_object_set_new(ctx, "notice", json_boolean(notice));
    if (e && e->count) {
        json_t *msgs = json_array();
        for (int i = 0; i < e->count; i++)
            json_array_append_new(msgs, json_string(e->items[i].message));
        json_object_set_new(ctx, "errors", json_pack("{s:o}", "steps", msgs));
    }
    web_render(r, status, "circuit_form", ctx, "admin_circuits");
}

void page_admin_circuit(struct req *r)
{
    const struct doc_type *type = editable_type(r);
    if (!type)
        return;
    render_form(r, 200, type, NULL, 0, NULL, false);
}

void page_admin_circuit_post(struct req *r)
{
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    const struct doc_type *type = editable_type(r);
    if (!type)
        return;
    /* the rows as sent, empty ones left out: the order is the circuit's */
    const char *vals[ROWS + 1], *steps[ROWS];
    int count = req_form_all(r, "steps", vals, ROWS + 1);
    size_t n = 0;
    struct verrs e = {0};
    if (count > ROWS)
        verrs_add(&e, "steps", "Tối đa %d bước duyệt trước người ký.", ROWS);
    for (int i = 0; i < count && i < ROWS; i++)
        if (vals[i] && *vals[i])
            steps[n++] = vals[i];
    /* a move or a removal: the form again in its new order, nothing saved */
    const char *op = req_form(r, "op");
    int64_t at = 0;
    if (op && (!strncmp(op, "up:", 3) || !strncmp(op, "down:", 5) || !strncmp(op, "remove:", 7))) {
        const char *num = strchr(op, ':') + 1;
        bool moved = false;
        if (str_to_i64(num, 1, (int64_t)n, &at) == RES_OK) {
            size_t k = (size_t)at - 1;
            const char *tmp = steps[k];
            if (op[0] == 'u' && k > 0) {
                steps[k] = steps[k - 1];
                steps[k - 1] = tmp;
                moved = true;
            } else if (op[0] == 'd' && k + 1 < n) {
                steps[k] = steps[k + 1];
                steps[k + 1] = tmp;
                moved = true;
            } else if (op[0] == 'r') {
                memmove(&steps[k], &steps[k + 1], (n - k - 1) * sizeof(steps[0]));
                n--;
                moved = true;
            }
        }
        render_form(r, e.count ? 422 : 200, type, steps, n, &e, moved && !e.count);
        return;
    }
    bool clear = op && !strcmp(op, "clear");
    struct doc_circuit_step_input in[ROWS];
    for (size_t i = 0; !clear && i < n; i++)
        if (!step_parse(steps[i], &in[i]))
            verrs_add(&e, "steps", "Bước %zu: lựa chọn không có trong danh sách.", i + 1);
    result_t res = e.count ? RES_INVALID
                           : doc_circuit_set(r->app, &r->actor, type->key, in, clear ? 0 : n, &e);
    if (res == RES_OK) {
        web_flash(r, "success",
                  clear || !n
                      ? arena_printf(&r->arena, "Đã bỏ mẫu quy trình duyệt của %s.", type->name)
                      : arena_printf(&r->arena,
                                     "Đã lưu quy trình duyệt của %s: %zu bước trước "
                                     "người ký.",
                                     type->name, n));
        resp_redirect(r, arena_printf(&r->arena, "/admin/circuits#type-%s", type->key));
        return;
    }
    if (res != RES_INVALID) {
        resp_result(r, res);
        return;
    }
    render_form(r, 422, type, steps, n, &e, false);
}
