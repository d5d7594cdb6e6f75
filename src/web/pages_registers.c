/* "Sổ văn bản": the agency's registers (standards.md §9) for its clerks, administrators
 * and leaders (SCREEN_REGISTERS, AZ_REGISTER_READ): each register with its kind, year,
 * entries and the types it numbers; the form that opens a new one (doc_registers_create,
 * which asks AZ_REGISTER_MANAGE: clerks and administrators); and per register the book
 * (sổ đăng ký văn bản đến / đi) for a date range as PDF or XLSX (doc_book, which asks
 * AZ_DOC_READ on the agency: clerks and leaders). The page asks the policy the questions
 * of the core calls so that it offers only what they accept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/authz.h"
#include "core/calendar.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/pages_doc.h"
#include "web/render.h"

#define FORM_TYPES 20 /* types one outgoing register may number (doc_registers.c) */

static const char *kind_label(const char *kind)
{
    return !strcmp(kind, "incoming")   ? "Sổ văn bản đến"
           : !strcmp(kind, "outgoing") ? "Sổ văn bản đi"
                                       : "Sổ văn bản nội bộ";
}

/* "Quyết định, Chỉ thị" of "quyet_dinh,chi_thi"; "" for the general register. */
static const char *types_label(struct req *r, const char *keys)
{
    char out[1200] = "";
    size_t used = 0;
    char key[40];
    for (const char *p = keys; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(key, sizeof(key), "%.*s", (int)(n < 39 ? n : 39), p);
        const struct doc_type *dt = doc_type_find(key);
        used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s", used ? ", " : "",
                                 dt ? dt->name : key);
        if (used >= sizeof(out))
            break;
        p += n + (p[n] == ',');
    }
    return arena_printf(&r->arena, "%s", out);
}

/* The page; form = the values of a refused "open a register" (stolen), e its errors. */
static void render(struct req *r, int status, json_t *form, const char *const *checked,
                   int nchecked, const struct verrs *e)
{
    int64_t agency = r->actor.agency_id;
    json_t *list = NULL;
    result_t res = doc_registers_list(r->app, &r->actor, agency, NULL, &list);
    if (res != RES_OK) {
        json_decref(form);
        resp_result(r, res);
        return;
    }
    bool can_print = authz_check(&r->actor, AZ_DOC_READ, agency) == RES_OK;
    bool can_create = authz_check(&r->actor, AZ_REGISTER_MANAGE, agency) == RES_OK;
    char today[16], first[16];
    int64_t day = calendar_day_of(clock_now());
    calendar_format_day(day, today, sizeof(today));
    snprintf(first, sizeof(first), "%.4s-01-01", today);
    size_t i;
    json_t *g;
    json_array_foreach(list, i, g)
    {
        const char *kind = web_jstr(g, "kind");
        web_set_str(g, "kind_label", kind_label(kind));
        bool fixed = !strcmp(web_jstr(g, "year_mode"), "fixed");
        long long year = (long long)json_integer_value(json_object_get(g, "entries_year"));
        web_set_str(g, "year_label",
                    fixed ? arena_printf(&r->arena, "Sổ của năm %lld", year)
                          : arena_printf(&r->arena, "Đánh số lại từ 01 mỗi năm (năm %lld)", year));
        const char *types = web_jstr(g, "doc_types");
        web_set_str(g, "types_label",
                    !strcmp(kind, "outgoing")
                        ? (*types ? types_label(r, types) : "Các loại văn bản không có sổ riêng")
                        : "Mọi loại văn bản");
        /* The book: incoming and outgoing registers; a fixed register's year as range. */
        bool printable = can_print && strcmp(kind, "internal");
        json_object_set_new(g, "printable", json_boolean(printable));
        char y0[16], y1[16];
        snprintf(y0, sizeof(y0), "%lld-01-01", year);
        snprintf(y1, sizeof(y1), "%lld-12-31", year);
        bool this_year = !strncmp(today, y0, 4);
        web_set_str(g, "book_from", this_year ? first : y0);
        web_set_str(g, "book_to", this_year ? today : y1);
    }
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Sổ văn bản");
    json_object_set_new(ctx, "registers", list);
    json_object_set_new(ctx, "can_print", json_boolean(can_print));
    if (can_create) {
        json_t *f = form ? form
                         : json_pack("{s:s,s:s,s:s}", "kind", "incoming", "name", "", "year_mode",
                                     "yearly");
        const char *kind = web_jstr(f, "kind");
        json_t *kinds = json_array();
        static const char *const keys[] = {"incoming", "outgoing", "internal"};
        for (int k = 0; k < 3; k++)
            json_array_append_new(kinds, json_pack("{s:s,s:s,s:b}", "key", keys[k], "label",
                                                   kind_label(keys[k]), "selected",
                                                   !strcmp(kind, keys[k])));
        json_object_set_new(f, "kinds", kinds);
        json_object_set_new(f, "fixed", json_boolean(!strcmp(web_jstr(f, "year_mode"), "fixed")));
        if (!json_object_get(f, "year"))
            web_set_str(f, "year", arena_printf(&r->arena, "%.4s", today));
        json_t *types = json_array();
        for (size_t t = 0; t < doc_type_count; t++) {
            bool on = false;
            for (int c = 0; c < nchecked; c++)
                on |= checked[c] && !strcmp(checked[c], doc_types[t].key);
            json_array_append_new(types, json_pack("{s:s,s:s,s:b}", "key", doc_types[t].key, "name",
                                                   doc_types[t].name, "checked", on));
        }
        json_object_set_new(f, "types", types);
        json_object_set_new(ctx, "create", f);
    } else {
        json_decref(form);
    }
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "registers", ctx, "registers");
}

static bool screen_ok(struct req *r)
{
    if (web_screen_check(r, SCREEN_REGISTERS) == RES_OK)
        return true;
    resp_error(r, 403, "Không có quyền",
               "Sổ văn bản dành cho văn thư, quản trị và lãnh đạo của cơ quan.");
    return false;
}

/* GET /registers */
void page_registers(struct req *r)
{
    if (screen_ok(r))
        render(r, 200, NULL, NULL, 0, NULL);
}

/* POST /registers: kind, name, year_mode (yearly | fixed), year, doc_types[] (outgoing). */
void page_registers_post(struct req *r)
{
    if (!screen_ok(r))
        return;
    const char *types[FORM_TYPES + 1];
    int ntypes = req_form_all(r, "doc_types", types, FORM_TYPES + 1);
    struct verrs e = {0};
    const char *kind = req_form(r, "kind"), *mode = req_form(r, "year_mode");
    const char *year_s = req_form(r, "year");
    int64_t year = 0;
    bool fixed = mode && !strcmp(mode, "fixed");
    if (fixed && year_s && *year_s && str_to_i64(year_s, 1900, 2100, &year) != RES_OK)
        verrs_add(&e, "year", "Năm mở sổ “%s” không hợp lệ (1900–2100).", DOC_CUT(year_s, 10));
    /* Types belong to an outgoing register only: ticked boxes of another kind are the
     * form's leftovers (the boxes are shown for an outgoing register). */
    bool outgoing = kind && !strcmp(kind, "outgoing");
    struct doc_register_input in = {.kind = kind,
                                    .name = req_form(r, "name"),
                                    .year_mode = mode,
                                    .year = year,
                                    .doc_types = types,
                                    .ndoc_types = outgoing && ntypes > 0 ? (size_t)ntypes : 0};
    int64_t id = 0;
    result_t res = e.count
                       ? RES_INVALID
                       : doc_registers_create(r->app, &r->actor, r->actor.agency_id, &in, &e, &id);
    if (res == RES_OK) {
        web_flash(r, "success", "Đã mở sổ văn bản.");
        resp_redirect(r, arena_printf(&r->arena, "/registers#reg-%lld", (long long)id));
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    json_t *form = json_object();
    web_set_str(form, "kind", kind);
    web_set_str(form, "name", in.name);
    web_set_str(form, "year_mode", mode);
    web_set_str(form, "year", year_s);
    render(r, 422, form, types, ntypes > 0 ? ntypes : 0, &e);
}

/* GET /registers/{id}/book?from=&to=&format=pdf|xlsx: the book as a download, or back to
 * the page with the reason. */
void page_registers_book(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    web_book_download(r, id, arena_printf(&r->arena, "/registers#reg-%lld", (long long)id));
}

void web_book_download(struct req *r, int64_t id, const char *back)
{
    struct verrs e = {0};
    const char *fmt = req_query(r, "format");
    enum doc_book_format format = fmt && !strcmp(fmt, "xlsx") ? DOC_BOOK_XLSX : DOC_BOOK_PDF;
    struct buf out = BUF_INIT(64L << 20);
    char *name = NULL;
    result_t res = id ? doc_book(r->app, &r->actor, id, req_query(r, "from"), req_query(r, "to"),
                                 format, &e, &out, &name)
                      : RES_NOT_FOUND;
    if (res == RES_OK) {
        resp_file(r,
                  format == DOC_BOOK_PDF
                      ? "application/pdf"
                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  arena_strndup(&r->arena, name, strlen(name)), false, out.data, out.len);
    } else if (res == RES_INVALID || res == RES_TOO_LARGE) {
        web_flash(r, "error",
                  e.count ? arena_printf(&r->arena, "Chưa in được sổ: %s", e.items[0].message)
                          : "Chưa in được sổ: khoảng thời gian không hợp lệ.");
        resp_redirect(r, back);
    } else if (res == RES_NOT_FOUND) {
        resp_error(r, 404, "Không tìm thấy sổ", "Sổ văn bản không có trong cơ quan.");
    } else if (res == RES_FORBIDDEN) {
        resp_error(r, 403, "Không có quyền",
                   "Chỉ văn thư và lãnh đạo cơ quan được in sổ đăng ký văn bản.");
    } else {
        resp_result(r, res);
    }
    free(name);
    buf_release(&out);
}
