/* The edXML model as JSON (jansson): what `qlvb edxml parse` prints and what
 * `qlvb edxml build --json` reads. One schema both ways; attachment bytes are named
 * by size and SHA-256 on output and read from files (or base64) on input. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/base64.h"
#include "util/rand.h"
#include "util/str.h"
#include "xml/edxml.h"

static void put(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

static json_t *organ_json(const struct edxml_organ *g)
{
    json_t *o = json_object();
    put(o, "organ_id", g->organ_id);
    put(o, "organization_in_charge", g->organization_in_charge);
    put(o, "organ_name", g->organ_name);
    put(o, "organ_add", g->organ_add);
    put(o, "email", g->email);
    put(o, "telephone", g->telephone);
    put(o, "fax", g->fax);
    put(o, "website", g->website);
    return o;
}

static json_t *staff_json(const struct edxml_staff *s)
{
    json_t *o = json_object();
    put(o, "department", s->department);
    put(o, "staff", s->staff);
    put(o, "mobile", s->mobile);
    put(o, "email", s->email);
    return o;
}

static json_t *strings_json(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *business_json(const struct edxml_business *b)
{
    json_t *o = json_object();
    put(o, "document_id", b->document_id);
    json_object_set_new(o, "doc_type", json_integer(b->doc_type));
    put(o, "reason", b->reason);
    if (b->paper >= 0)
        json_object_set_new(o, "paper", json_integer(b->paper));
    put(o, "document_info", b->document_info);
    put(o, "document_receiver", b->document_receiver);
    if (b->n_receivers) {
        json_t *a = json_array();
        for (size_t i = 0; i < b->n_receivers; i++) {
            json_t *r = json_object();
            put(r, "organ_id", b->receivers[i].organ_id);
            if (b->receivers[i].receiver_type >= 0)
                json_object_set_new(r, "receiver_type",
                                    json_integer(b->receivers[i].receiver_type));
            json_array_append_new(a, r);
        }
        json_object_set_new(o, "receivers", a);
    }
    if (b->n_replacements) {
        json_t *a = json_array();
        for (size_t i = 0; i < b->n_replacements; i++) {
            json_t *r = json_object();
            put(r, "document_id", b->replacements[i].document_id);
            json_object_set_new(
                r, "organ_ids",
                strings_json(b->replacements[i].organ_ids, b->replacements[i].n_organ_ids));
            json_array_append_new(a, r);
        }
        json_object_set_new(o, "replacements", a);
    }
    if (b->has_staff)
        json_object_set_new(o, "staff", staff_json(&b->staff));
    return o;
}

json_t *edxml_to_json(const struct edxml_package *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(p->kind == EDXML_STATUS ? "status" : "document"));
    json_object_set_new(o, "from", organ_json(&p->from));
    if (p->n_response_for) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_response_for; i++) {
            json_t *r = json_object();
            put(r, "organ_id", p->response_for[i].organ_id);
            put(r, "code", p->response_for[i].code);
            put(r, "promulgation_date", p->response_for[i].promulgation_date);
            put(r, "document_id", p->response_for[i].document_id);
            json_array_append_new(a, r);
        }
        json_object_set_new(o, "response_for", a);
    }
    if (p->n_traces) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_traces; i++) {
            json_t *t = json_object();
            put(t, "organ_id", p->traces[i].organ_id);
            put(t, "timestamp", p->traces[i].timestamp);
            json_array_append_new(a, t);
        }
        json_object_set_new(o, "traces", a);
    }
    if (p->business.present)
        json_object_set_new(o, "business", business_json(&p->business));
    json_object_set_new(o, "has_signature", json_boolean(p->has_signature));
    if (p->kind == EDXML_STATUS) {
        json_object_set_new(o, "status_code", json_string(edxml_status_wire(p->status_code)));
        put(o, "status_label", edxml_status_label(p->status_code));
        if (p->has_staff)
            json_object_set_new(o, "staff", staff_json(&p->staff));
        put(o, "description", p->description);
        put(o, "timestamp", p->timestamp);
        return o;
    }
    json_t *to = json_array();
    for (size_t i = 0; i < p->n_to; i++)
        json_array_append_new(to, organ_json(&p->to[i]));
    json_object_set_new(o, "to", to);
    put(o, "document_id", p->document_id);
    put(o, "code_number", p->code.number);
    put(o, "code_notation", p->code.notation);
    put(o, "place", p->place);
    put(o, "promulgation_date", p->promulgation_date);
    put(o, "type", p->type);
    put(o, "type_detail", p->type_detail);
    put(o, "type_name", p->type_name);
    put(o, "subject", p->subject);
    put(o, "content", p->content);
    put(o, "signer_competence", p->signer_competence);
    put(o, "signer_position", p->signer_position);
    put(o, "signer_full_name", p->signer_full_name);
    put(o, "due_date", p->due_date);
    if (p->n_to_places)
        json_object_set_new(o, "to_places", strings_json(p->to_places, p->n_to_places));
    if (p->priority >= 0)
        json_object_set_new(o, "priority", json_integer(p->priority));
    put(o, "sphere_of_promulgation", p->sphere_of_promulgation);
    put(o, "typer_notation", p->typer_notation);
    put(o, "promulgation_amount", p->promulgation_amount);
    put(o, "page_amount", p->page_amount);
    put(o, "direction", p->direction);
    if (p->n_appendixes)
        json_object_set_new(o, "appendixes", strings_json(p->appendixes, p->n_appendixes));
    if (p->steering != EDXML_STEERING_ABSENT)
        json_object_set_new(o, "steering_type", json_integer(p->steering));
    json_t *atts = json_array();
    for (size_t i = 0; i < p->n_attachments; i++) {
        const struct edxml_attachment *a = &p->attachments[i];
        json_t *j = json_object();
        put(j, "content_id", a->content_id);
        put(j, "name", a->name);
        put(j, "description", a->description);
        put(j, "content_type", a->content_type);
        put(j, "zip_entry", a->zip_entry);
        json_object_set_new(j, "size", json_integer((json_int_t)a->len));
        if (a->data) {
            char hex[65];
            sha256_hex(a->data, a->len, hex);
            json_object_set_new(j, "sha256", json_string(hex));
        }
        /* Manifest fields that differ from the attachment's own are worth showing. */
        for (size_t k = 0; k < p->n_refs; k++)
            if (p->refs[k].content_id && a->content_id &&
                !strcmp(p->refs[k].content_id, a->content_id))
                put(j, "manifest_content_type", p->refs[k].content_type);
        json_array_append_new(atts, j);
    }
    json_object_set_new(o, "attachments", atts);
    return o;
}

/* --- reading the build description ----------------------------------------------- */

struct jr {
    struct edxml_package *p;
    char *why;
    size_t whysize;
    bool failed;
};

static char *gets_(struct jr *r, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        if (!r->failed)
            snprintf(r->why, r->whysize, "trường '%s' phải là chuỗi", k);
        r->failed = true;
        return NULL;
    }
    return edxml_strdup(r->p, json_string_value(v));
}

static int geti(struct jr *r, json_t *o, const char *k, int min, int max)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return -1;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        if (!r->failed)
            snprintf(r->why, r->whysize, "trường '%s' phải là số nguyên %d–%d", k, min, max);
        r->failed = true;
        return -1;
    }
    return (int)json_integer_value(v);
}

static void organ_from(struct jr *r, json_t *o, struct edxml_organ *g)
{
    g->organ_id = gets_(r, o, "organ_id");
    g->organization_in_charge = gets_(r, o, "organization_in_charge");
    g->organ_name = gets_(r, o, "organ_name");
    g->organ_add = gets_(r, o, "organ_add");
    g->email = gets_(r, o, "email");
    g->telephone = gets_(r, o, "telephone");
    g->fax = gets_(r, o, "fax");
    g->website = gets_(r, o, "website");
}

static void staff_from(struct jr *r, json_t *o, struct edxml_staff *s)
{
    s->department = gets_(r, o, "department");
    s->staff = gets_(r, o, "staff");
    s->mobile = gets_(r, o, "mobile");
    s->email = gets_(r, o, "email");
}

static void strings_from(struct jr *r, json_t *a, char ***arr, size_t *n)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v))
            edxml_add_string(r->p, arr, n, json_string_value(v));
    }
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT((size_t)1 << 31);
    unsigned char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(&b, chunk, n) != RES_OK) {
            ok = false;
            break;
        }
    fclose(f);
    if (!ok) {
        buf_release(&b);
        return NULL;
    }
    return (unsigned char *)buf_detach(&b, len);
}

static void attachment_from(struct jr *r, json_t *o, const char *base_dir)
{
    struct edxml_attachment *a = edxml_add_attachment(r->p);
    a->content_id = gets_(r, o, "content_id");
    a->name = gets_(r, o, "name");
    a->description = gets_(r, o, "description");
    a->content_type = gets_(r, o, "content_type");
    const char *file = json_string_value(json_object_get(o, "file"));
    const char *b64 = json_string_value(json_object_get(o, "data_base64"));
    if (file) {
        char path[4096];
        if (file[0] == '/' || !base_dir)
            str_copy(path, file, sizeof(path));
        else
            snprintf(path, sizeof(path), "%s/%s", base_dir, file);
        size_t len = 0;
        unsigned char *d = read_file(path, &len);
        if (!d) {
            if (!r->failed)
                snprintf(r->why, r->whysize, "không đọc được tệp đính kèm %s", path);
            r->failed = true;
            return;
        }
        a->data = d;
        a->len = len;
        a->owns_data = true;
        if (!a->name) {
            const char *slash = strrchr(file, '/');
            a->name = edxml_strdup(r->p, slash ? slash + 1 : file);
        }
    } else if (b64) {
        struct buf b = BUF_INIT((size_t)1 << 31);
        struct base64_dec d;
        base64_dec_init(&d, true);
        if (base64_dec_feed(&d, b64, strlen(b64), &b) != RES_OK || base64_dec_finish(&d)) {
            buf_release(&b);
            if (!r->failed)
                snprintf(r->why, r->whysize, "data_base64 của tệp đính kèm không hợp lệ");
            r->failed = true;
            return;
        }
        size_t len;
        a->data = (unsigned char *)buf_detach(&b, &len);
        a->len = len;
        a->owns_data = true;
    } else {
        if (!r->failed)
            snprintf(r->why, r->whysize, "tệp đính kèm cần 'file' hoặc 'data_base64'");
        r->failed = true;
    }
    if (!a->content_id) {
        char hex[33];
        rand_hex(hex, 16);
        a->content_id = arena_printf(&r->p->arena, "cid:%s", hex);
    }
}

result_t edxml_from_json(json_t *j, const char *base_dir, struct edxml_package *p, char *why,
                         size_t whysize)
{
    struct jr r = {.p = p, .why = why, .whysize = whysize};
    if (!json_is_object(j)) {
        snprintf(why, whysize, "mô tả gói tin phải là một đối tượng JSON");
        return RES_INVALID;
    }
    const char *kind = json_string_value(json_object_get(j, "kind"));
    p->kind = kind && !strcmp(kind, "status") ? EDXML_STATUS : EDXML_DOCUMENT;
    json_t *v;
    size_t i;
    if ((v = json_object_get(j, "from")))
        organ_from(&r, v, &p->from);
    json_array_foreach(json_object_get(j, "response_for"), i, v)
    {
        struct edxml_response_for *rf = edxml_add_response_for(p);
        rf->organ_id = gets_(&r, v, "organ_id");
        rf->code = gets_(&r, v, "code");
        rf->promulgation_date = gets_(&r, v, "promulgation_date");
        rf->document_id = gets_(&r, v, "document_id");
    }
    json_array_foreach(json_object_get(j, "traces"), i, v)
    {
        struct edxml_trace *t = edxml_add_trace(p);
        t->organ_id = gets_(&r, v, "organ_id");
        t->timestamp = gets_(&r, v, "timestamp");
    }
    json_t *b = json_object_get(j, "business");
    if (json_is_object(b)) {
        struct edxml_business *bz = &p->business;
        bz->present = true;
        bz->document_id = gets_(&r, b, "document_id");
        int t = geti(&r, b, "doc_type", 0, 3);
        bz->doc_type = t < 0 ? EDXML_BIZ_NEW : (enum edxml_business_type)t;
        bz->reason = gets_(&r, b, "reason");
        bz->paper = geti(&r, b, "paper", 0, 1);
        bz->document_info = gets_(&r, b, "document_info");
        bz->document_receiver = gets_(&r, b, "document_receiver");
        json_array_foreach(json_object_get(b, "receivers"), i, v)
        {
            struct edxml_receiver *rc = edxml_add_receiver(p);
            rc->organ_id = gets_(&r, v, "organ_id");
            rc->receiver_type = geti(&r, v, "receiver_type", 0, 9);
        }
        json_array_foreach(json_object_get(b, "replacements"), i, v)
        {
            struct edxml_replacement *rp = edxml_add_replacement(p);
            rp->document_id = gets_(&r, v, "document_id");
            strings_from(&r, json_object_get(v, "organ_ids"), &rp->organ_ids, &rp->n_organ_ids);
        }
        if ((v = json_object_get(b, "staff"))) {
            bz->has_staff = true;
            staff_from(&r, v, &bz->staff);
        }
    }
    if (p->kind == EDXML_STATUS) {
        const char *code = json_string_value(json_object_get(j, "status_code"));
        p->status_code = edxml_status_from_wire(code);
        if ((v = json_object_get(j, "staff"))) {
            p->has_staff = true;
            staff_from(&r, v, &p->staff);
        }
        p->description = gets_(&r, j, "description");
        p->timestamp = gets_(&r, j, "timestamp");
    } else {
        json_array_foreach(json_object_get(j, "to"), i, v) organ_from(&r, v, edxml_add_to(p));
        p->document_id = gets_(&r, j, "document_id");
        p->code.number = gets_(&r, j, "code_number");
        p->code.notation = gets_(&r, j, "code_notation");
        p->place = gets_(&r, j, "place");
        p->promulgation_date = gets_(&r, j, "promulgation_date");
        p->type = gets_(&r, j, "type");
        p->type_detail = gets_(&r, j, "type_detail");
        p->type_name = gets_(&r, j, "type_name");
        p->subject = gets_(&r, j, "subject");
        p->content = gets_(&r, j, "content");
        p->signer_competence = gets_(&r, j, "signer_competence");
        p->signer_position = gets_(&r, j, "signer_position");
        p->signer_full_name = gets_(&r, j, "signer_full_name");
        p->due_date = gets_(&r, j, "due_date");
        strings_from(&r, json_object_get(j, "to_places"), &p->to_places, &p->n_to_places);
        p->priority = geti(&r, j, "priority", 0, 4);
        p->sphere_of_promulgation = gets_(&r, j, "sphere_of_promulgation");
        p->typer_notation = gets_(&r, j, "typer_notation");
        p->promulgation_amount = gets_(&r, j, "promulgation_amount");
        p->page_amount = gets_(&r, j, "page_amount");
        p->direction = gets_(&r, j, "direction");
        strings_from(&r, json_object_get(j, "appendixes"), &p->appendixes, &p->n_appendixes);
        int st = geti(&r, j, "steering_type", 0, 3);
        p->steering = st < 0 ? EDXML_STEERING_ABSENT : (enum edxml_steering)st;
        json_array_foreach(json_object_get(j, "attachments"), i, v)
            attachment_from(&r, v, base_dir);
    }
    return r.failed ? RES_INVALID : RES_OK;
}
