/* Request input at the edge: headers, cookies, query, form and JSON bodies. All text
 * is checked for UTF-8 and normalised to NFC before any handler sees it. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "http/http.h"
#include "core/authz.h"
#include "text/text.h"
#include "util/str.h"

const unsigned char *req_body(struct req *r, size_t *len)
{
    if (!r->body_spilled) {
        *len = r->body.len;
        return (const unsigned char *)buf_str(&r->body);
    }
    *len = r->body_file_len;
    if (!r->body_file_len)
        return (const unsigned char *)"";
    if (!r->body_map) {
        void *m = mmap(NULL, r->body_file_len, PROT_READ, MAP_PRIVATE, r->body_fd, 0);
        if (m == MAP_FAILED) {
            *len = 0;
            return (const unsigned char *)"";
        }
        r->body_map = m;
    }
    return r->body_map;
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* NFC copy in the arena, or NULL if not valid UTF-8. */
static const char *clean_text(struct req *r, const char *s)
{
    if (!s)
        return NULL;
    char *n = text_nfc(s);
    if (!n)
        return NULL;
    const char *out = arena_strdup(&r->arena, n);
    free(n);
    return out;
}

const char *req_query(struct req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v || strlen(v) > 1000)
        return NULL;
    return clean_text(r, v);
}

int64_t req_target_agency(struct req *r)
{
    const char *q = req_query(r, "agency_id");
    int64_t id;
    if (q && authz_check(&r->actor, AZ_ANY_AGENCY, 0) == RES_OK &&
        str_to_i64(q, 1, INT64_MAX, &id) == RES_OK)
        return id;
    return r->actor.agency_id;
}

const char *req_param(struct req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].key, name) == 0)
            return r->params[i].value;
    return NULL;
}

int64_t req_param_id(struct req *r, const char *name)
{
    int64_t id;
    const char *v = req_param(r, name);
    if (!v || str_to_i64(v, 1, INT64_MAX, &id) != RES_OK || v[0] == '+' || v[0] == '0')
        return 0;
    return id;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes application/x-www-form-urlencoded text in place; false on bad escapes. */
static bool url_decode(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *w++ = ' ';
        } else if (*p == '%') {
            int hi = hexval(p[1]), lo = hi >= 0 ? hexval(p[2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            *w++ = (char)(hi << 4 | lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return true;
}

/* Marks the form as unusable and keeps the first reason, in Vietnamese, for the
 * answer (a form refused for a NUL must not be blamed on the CSRF token). */
static void form_refuse(struct req *r, const char *why)
{
    if (!r->form_bad)
        r->form_error = why;
    r->form_bad = true;
}

static const char *const FORM_TEXT =
    "Dữ liệu biểu mẫu chứa văn bản không hợp lệ (không phải UTF-8).";
static const char *const FORM_MANY = "Biểu mẫu có quá nhiều trường hoặc tệp.";

static void parse_multipart(struct req *r, const char *boundary)
{
    struct mp_part parts[MULTIPART_MAX_PARTS];
    int n = 0;
    size_t len;
    const unsigned char *body = req_body(r, &len);
    if (multipart_parse(&r->arena, boundary, body, len, parts, MULTIPART_MAX_PARTS, &n) != RES_OK) {
        form_refuse(r, "Dữ liệu biểu mẫu (multipart) không đúng định dạng.");
        return;
    }
    for (int i = 0; i < n; i++) {
        struct mp_part *p = &parts[i];
        const char *name = clean_text(r, p->name);
        if (!name) {
            form_refuse(r, FORM_TEXT);
            return;
        }
        if (p->filename) {
            if (r->nfiles == REQ_MAX_FILES) {
                form_refuse(r, FORM_MANY);
                return;
            }
            p->name = name;
            p->filename = clean_text(r, p->filename);
            if (!p->filename) {
                form_refuse(r, FORM_TEXT);
                return;
            }
            r->files[r->nfiles++] = *p;
            continue;
        }
        if (r->nform == REQ_MAX_FORM) {
            form_refuse(r, FORM_MANY);
            return;
        }
        if (p->len > REQ_MAX_FIELD) {
            form_refuse(r, "Một trường của biểu mẫu quá dài (tối đa 64 KB).");
            return;
        }
        if (memchr(p->data, '\0', p->len)) {
            form_refuse(r, "Dữ liệu biểu mẫu chứa ký tự NUL, không được chấp nhận.");
            return;
        }
        const char *v = clean_text(r, arena_strndup(&r->arena, (const char *)p->data, p->len));
        if (!v) {
            form_refuse(r, FORM_TEXT);
            return;
        }
        r->form[r->nform].key = name;
        r->form[r->nform].value = v;
        r->nform++;
    }
}

static void parse_form(struct req *r)
{
    r->form_parsed = true;
    const char *ct = req_header(r, "Content-Type");
    char boundary[80];
    if (multipart_boundary(ct, boundary, sizeof(boundary)) == RES_OK) {
        parse_multipart(r, boundary);
        return;
    }
    size_t len;
    const unsigned char *raw = req_body(r, &len);
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
        if (len > 0)
            form_refuse(r, "Nội dung gửi lên không phải là biểu mẫu.");
        return;
    }
    char *body = arena_strndup(&r->arena, (const char *)raw, len);
    char *save = NULL;
    for (char *pair = strtok_r(body, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        if (r->nform == REQ_MAX_FORM) {
            form_refuse(r, FORM_MANY);
            return;
        }
        char *eq = strchr(pair, '=');
        char *value = eq ? eq + 1 : pair + strlen(pair);
        if (eq)
            *eq = '\0';
        /* A decoded %00 ends the C string early; text_nfc then sees a shorter, still
         * valid string, so refuse any %00 outright. */
        if (strstr(pair, "%00") || strstr(value, "%00")) {
            form_refuse(r, "Dữ liệu biểu mẫu chứa ký tự NUL (%00), không được chấp nhận.");
            return;
        }
        if (!url_decode(pair) || !url_decode(value)) {
            form_refuse(r, "Dữ liệu biểu mẫu có mã % không hợp lệ.");
            return;
        }
        const char *k = clean_text(r, pair), *v = clean_text(r, value);
        if (!k || !v) {
            form_refuse(r, FORM_TEXT);
            return;
        }
        r->form[r->nform].key = k;
        r->form[r->nform].value = v;
        r->nform++;
    }
}

const char *req_form(struct req *r, const char *name)
{
    if (!r->form_parsed)
        parse_form(r);
    for (int i = 0; i < r->nform; i++)
        if (strcmp(r->form[i].key, name) == 0)
            return r->form[i].value;
    return NULL;
}

int req_form_all(struct req *r, const char *name, const char **out, int max)
{
    if (!r->form_parsed)
        parse_form(r);
    int n = 0;
    for (int i = 0; i < r->nform && n < max; i++)
        if (strcmp(r->form[i].key, name) == 0)
            out[n++] = r->form[i].value;
    return n;
}

bool req_form_bad(struct req *r)
{
    if (!r->form_parsed)
        parse_form(r);
    return r->form_bad;
}

/* A member or field name a route does not take, on `field`, in one wording for JSON
 * bodies and forms alike. */
static void unknown_name(const char *name, const char *const *known, const char *field,
                         struct verrs *e)
{
    for (int i = 0; known[i]; i++)
        if (!strcmp(name, known[i]))
            return;
    verrs_add(e, field, "Trường “%.*s” không dùng ở đây.", (int)text_cut(name, strlen(name), 60),
              name);
}

static const char *form_name(const struct req *r, int i)
{
    return i < r->nform ? r->form[i].key : r->files[i - r->nform].name;
}

bool req_form_unknown(struct req *r, const char *const *known, struct verrs *e)
{
    if (req_form_bad(r))
        return false;
    int before = e->count;
    for (int i = 0; i < r->nform + r->nfiles; i++) {
        bool again = false; /* a name given twice is told once */
        for (int j = 0; j < i && !again; j++)
            again = !strcmp(form_name(r, i), form_name(r, j));
        if (!again)
            unknown_name(form_name(r, i), known, "body", e);
    }
    return e->count > before;
}

bool resp_form_unknown(struct req *r, const char *const *known)
{
    struct verrs e = {0};
    if (!req_form_unknown(r, known, &e))
        return false;
    resp_problem(r, 422, "validation", "Dữ liệu không hợp lệ",
                 "Vui lòng kiểm tra các trường được báo lỗi.", &e);
    return true;
}

const char *req_form_error(struct req *r)
{
    return req_form_bad(r) ? (r->form_error ? r->form_error : "Biểu mẫu không hợp lệ.") : NULL;
}

const struct mp_part *req_file(struct req *r, const char *name)
{
    if (!r->form_parsed)
        parse_form(r);
    for (int i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].name, name) == 0)
            return r->files[i].len ? &r->files[i] : NULL;
    return NULL;
}

const struct mp_part *req_upload(struct req *r, const char *field)
{
    const char *ct = req_header(r, "Content-Type");
    if (ct && (strncasecmp(ct, "multipart/form-data", 19) == 0 ||
               strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0))
        return req_file(r, field);
    if (ct && strncasecmp(ct, "application/json", 16) == 0)
        return NULL;
    size_t len;
    const unsigned char *body = req_body(r, &len);
    if (!len)
        return NULL;
    struct mp_part *p = arena_alloc(&r->arena, sizeof(*p));
    p->name = field;
    p->filename = "";
    p->content_type = ct;
    p->data = body;
    p->len = len;
    return p;
}

static void json_release(void *p)
{
    json_decref(p);
}

#define JSON_MAX_DEPTH 32

/* Normalises every string of a JSON value to NFC; false if one is not valid text or
 * the value nests deeper than JSON_MAX_DEPTH (*too_deep tells which). */
static bool json_nfc(json_t *v, int depth, bool *too_deep)
{
    if (depth > JSON_MAX_DEPTH) {
        *too_deep = true;
        return false;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v))
            return false; /* embedded NUL */
        char *n = text_nfc(s);
        if (!n)
            return false;
        if (strcmp(n, s) != 0)
            json_string_set(v, n);
        free(n);
        return true;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val)
        {
            if (!text_valid_utf8(key, strlen(key)) || !json_nfc(val, depth + 1, too_deep))
                return false;
        }
        return true;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *val;
        json_array_foreach(v, i, val)
        {
            if (!json_nfc(val, depth + 1, too_deep))
                return false;
        }
    }
    return true;
}

json_t *req_json(struct req *r)
{
    if (r->json)
        return r->json;
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        resp_problem(r, 415, "unsupported_media_type", "Định dạng không được hỗ trợ",
                     "Nội dung gửi lên phải là JSON (Content-Type: application/json).", NULL);
        return NULL;
    }
    json_error_t err;
    size_t len;
    const unsigned char *body = req_body(r, &len);
    json_t *j = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        char detail[400];
        snprintf(detail, sizeof(detail), "JSON không hợp lệ tại dòng %d, cột %d: %s", err.line,
                 err.column, err.text);
        resp_problem(r, 400, "malformed_json", "Dữ liệu không hợp lệ", detail, NULL);
        return NULL;
    }
    arena_on_release(&r->arena, json_release, j);
    if (!json_is_object(j)) {
        resp_problem(r, 400, "malformed_json", "Dữ liệu không hợp lệ",
                     "Nội dung JSON phải là một đối tượng ({...}).", NULL);
        return NULL;
    }
    bool too_deep = false;
    if (!json_nfc(j, 0, &too_deep)) {
        if (too_deep)
            resp_problem(r, 400, "malformed_json", "Dữ liệu không hợp lệ",
                         "JSON lồng nhau quá sâu (tối đa 32 cấp).", NULL);
        else
            resp_problem(
                r, 400, "invalid_text", "Dữ liệu không hợp lệ",
                "Văn bản chứa ký tự không hợp lệ (không phải UTF-8 hoặc có ký tự điều khiển).",
                NULL);
        return NULL;
    }
    r->json = j;
    return j;
}

const char *json_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *req_json_or_empty(struct req *r)
{
    size_t len = 0;
    req_body(r, &len);
    if (len == 0 && !req_header(r, "Content-Type")) {
        json_t *o = json_object();
        arena_on_release(&r->arena, json_release, o);
        return o;
    }
    return req_json(r);
}

const char *json_member_str(json_t *o, const char *key, struct verrs *e)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        verrs_add(e, key, "Trường %s phải là chuỗi ký tự.", key);
        return NULL;
    }
    return json_string_value(v);
}

int64_t json_member_int(json_t *o, const char *key, struct verrs *e)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v)) {
        verrs_add(e, key, "Trường %s phải là số nguyên.", key);
        return 0;
    }
    return json_integer_value(v);
}

int64_t json_member_id(json_t *o, const char *key, struct verrs *e)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        verrs_add(e, key, "Trường %s phải là số định danh (số nguyên dương).", key);
        return 0;
    }
    return json_integer_value(v);
}

bool json_member_bool(json_t *o, const char *key, struct verrs *e)
{
    json_t *v = json_object_get(o, key);
    if (v && !json_is_boolean(v) && !json_is_null(v))
        verrs_add(e, key, "Trường %s phải là true hoặc false.", key);
    return json_is_true(v);
}

void json_unknown_members(json_t *o, const char *const *known, struct verrs *e)
{
    json_unknown_members_at(o, known, "body", e);
}

void json_unknown_members_at(json_t *o, const char *const *known, const char *field,
                             struct verrs *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        unknown_name(key, known, field, e);
    }
}
