/* The signing service: placement, key and image lookup, the signer process, the PIN
 * lock, the audit row; and the two-step flow over sign drafts. No database transaction
 * is held while the PDF is processed or the key is used. */
#include "core/signing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/audit.h"
#include "core/tx.h"
#include "core/authz.h"
#include "core/sigimage.h"
#include "core/sign_draft.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "crypto/certstore.h"
#include "crypto/signer.h"
#include "db/db.h"
#include "pdf/pdf_place.h"
#include "pdf/pdf_sign.h"
#include "pdf/pdf_verify.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/rand.h"
#include "util/str.h"

#define MAX_PAGES_LISTED 500

static const char *how_name(enum pdf_place_how h)
{
    return h == PDF_PLACE_NAME ? "name" : h == PDF_PLACE_TITLE ? "title" : "default";
}

/* The displayed box of a PDF rect, for the preview. Exact for pages without /Rotate
 * whose media box starts at 0,0 (administrative documents); elsewhere only the
 * preview is approximate — the signature itself goes to `rect`. */
static void view_of_rect(const struct pdf_page_size *sizes, int pages, int page,
                         const float rect[4], float view[4])
{
    float h = page >= 1 && page <= pages ? sizes[page - 1].height : 842;
    view[0] = rect[0];
    view[1] = h - rect[3];
    view[2] = rect[2];
    view[3] = h - rect[1];
}

/* The automatic placement: a person's signature at the signature block; an agency
 * seal over the left third of the last signature already on the document. `view`
 * (the displayed box, from the page sizes the caller already has) may be NULL. */
struct place_view {
    const struct pdf_page_size *sizes;
    int pages;
    float box[4];
};

static result_t auto_place(const unsigned char *pdf, size_t len, const char *full_name, bool seal,
                           int *page, float rect[4], struct place_view *view, const char **how,
                           char *title, size_t title_size)
{
    if (seal) {
        struct pdf_widget w[32];
        size_t n = 0;
        if (pdf_signature_widgets(pdf, len, w, 32, &n) == RES_OK) {
            for (size_t i = n; i-- > 0;) {
                if (!w[i].is_signed || w[i].rect[2] - w[i].rect[0] < 1)
                    continue;
                *page = w[i].page;
                pdf_sign_seal_rect(w[i].rect, 0, rect);
                if (view)
                    view_of_rect(view->sizes, view->pages, *page, rect, view->box);
                *how = "signature";
                title[0] = '\0';
                return RES_OK;
            }
        }
    }
    struct pdf_place p;
    result_t r = pdf_find_sign_place(pdf, len, seal ? NULL : full_name, &p);
    if (r != RES_OK)
        return r;
    *page = p.page;
    if (seal) {
        pdf_sign_seal_rect(p.rect, 0, rect);
        if (view)
            view_of_rect(view->sizes, view->pages, *page, rect, view->box);
    } else {
        memcpy(rect, p.rect, sizeof(p.rect));
        if (view)
            memcpy(view->box, p.view, sizeof(p.view));
    }
    *how = how_name(p.how);
    str_copy(title, p.title, title_size);
    return RES_OK;
}

result_t signing_suggest(const unsigned char *pdf, size_t len, const char *full_name, bool seal,
                         json_t **out)
{
    struct pdf_page_size sizes[MAX_PAGES_LISTED];
    int pages = 0, page = 1;
    float rect[4];
    const char *how = "default";
    char title[128] = "";
    result_t r = pdf_page_sizes(pdf, len, sizes, MAX_PAGES_LISTED, &pages);
    if (r != RES_OK)
        return r;
    struct place_view view = {sizes, pages, {0}};
    if ((r = auto_place(pdf, len, full_name, seal, &page, rect, &view, &how, title,
                        sizeof(title))) != RES_OK)
        return r;
    json_t *o = json_object(), *ps = json_array(), *rc = json_array(), *vw = json_array();
    for (int i = 0; i < pages && i < MAX_PAGES_LISTED; i++)
        json_array_append_new(ps,
                              json_pack("[f,f]", (double)sizes[i].width, (double)sizes[i].height));
    for (int i = 0; i < 4; i++) {
        json_array_append_new(rc, json_real(rect[i]));
        json_array_append_new(vw, json_real(view.box[i]));
    }
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "rect", rc);
    json_object_set_new(o, "view", vw);
    json_object_set_new(o, "how", json_string(how));
    json_object_set_new(o, "title", json_string(title));
    json_object_set_new(o, "pages", json_integer(pages));
    json_object_set_new(o, "page_sizes", ps);
    *out = o;
    return RES_OK;
}

/* A manual placement must lie on an existing page and be big enough to see. */
static bool placement_valid(const unsigned char *pdf, size_t len, struct sign_placement *p,
                            struct verrs *e)
{
    struct pdf_page_size sizes[MAX_PAGES_LISTED];
    int pages = 0;
    if (pdf_page_sizes(pdf, len, sizes, MAX_PAGES_LISTED, &pages) != RES_OK) {
        verrs_add(e, "file", "Tệp không phải tài liệu PDF hợp lệ.");
        return false;
    }
    if (p->page < 1 || p->page > pages || p->page > MAX_PAGES_LISTED) {
        verrs_add(e, "page", "Tài liệu có %d trang: chọn trang từ 1 đến %d.", pages, pages);
        return false;
    }
    const struct pdf_page_size *s = &sizes[p->page - 1];
    float *r = p->rect;
    if (p->view) {
        /* the web page sends the box as displayed; bounds are checked on that */
        float v[4];
        memcpy(v, r, sizeof(v));
        if (!(r[0] >= 0 && r[1] >= 0 && r[2] <= s->width + 0.5f && r[3] <= s->height + 0.5f &&
              r[2] - r[0] >= 20 && r[3] - r[1] >= 10) ||
            pdf_view_to_rect(pdf, len, p->page, v, r) != RES_OK) {
            verrs_add(e, "page", "Vị trí chữ ký nằm ngoài trang hoặc quá nhỏ.");
            return false;
        }
        p->view = false;
        return true;
    }
    if (!(r[0] >= 0 && r[1] >= 0 && r[2] <= s->width + 0.5f && r[3] <= s->height + 0.5f &&
          r[2] - r[0] >= 20 && r[3] - r[1] >= 10)) {
        verrs_add(e, "page", "Vị trí chữ ký nằm ngoài trang hoặc quá nhỏ.");
        return false;
    }
    return true;
}

static void sign_summary(const char *file_name, const unsigned char *pdf, size_t len,
                         const char *who, char *summary, size_t size)
{
    char hash[65];
    sha256_hex(pdf, len, hash);
    snprintf(summary, size, "%.200s (SHA-256 %.16s…), chứng thư %.200s",
             file_name && *file_name ? file_name : "tài liệu", hash, who);
}

/* The signature's audit row; the caller hands out nothing when it was not written. */
__attribute__((warn_unused_result)) static result_t
audit_sign(struct app *app, const struct actor *a, const char *action, int64_t agency_id,
           const char *object_id, const char *file_name, const unsigned char *pdf, size_t len,
           const char *who)
{
    char summary[600];
    sign_summary(file_name, pdf, len, who, summary, sizeof(summary));
    struct audit_entry ae = {.actor_id = a->user_id,
                             .actor_login = a->login,
                             .agency_id = agency_id,
                             .action = action,
                             .object_type = "document",
                             .object_id = object_id,
                             .summary = summary,
                             .client_addr = a->client_addr};
    return tx_audit_only(app->db, &ae);
}

result_t signing_sign_pdf(struct app *app, const struct actor *a, const unsigned char *pdf,
                          size_t len, const struct sign_request *rq, struct verrs *e,
                          struct buf *out)
{
    struct signing_key k;
    struct buf image = BUF_INIT(SIGIMAGE_MAX_BYTES);
    char title[128];
    const char *how;
    result_t r;

    signing_key_init(&k);
    if (!app->signer) {
        verrs_add(e, "key_id", "Tiến trình ký số chưa được khởi động trên máy chủ.");
        r = RES_UNSUPPORTED;
        goto out;
    }
    if (!rq->pin || !*rq->pin) {
        verrs_add(e, "pin", "Nhập mã PIN của khóa ký số.");
        r = RES_INVALID;
        goto out;
    }
    if (strlen(rq->pin) > 128) {
        verrs_add(e, "pin", "Mã PIN quá dài.");
        r = RES_INVALID;
        goto out;
    }
    r = signing_key_open(app, a, rq->key_id, e, &k);
    if (r == RES_NOT_FOUND) {
        verrs_add(e, "key_id", "Chọn một khóa ký số của bạn.");
        r = RES_INVALID;
    }
    /* A key refused now (locked by wrong PINs, revoked — perhaps on another node —,
     * expired, its certificate no longer trusted) is wiped from the signer's cache. */
    if (r != RES_OK && k.sealed.len)
        (void)signer_forget_sealed(app->signer, (const unsigned char *)k.sealed.data, k.sealed.len);
    if (r != RES_OK)
        goto out;
    bool seal = k.user_id == 0;

    struct pdf_sign_opts o = {0};
    if (rq->number_symbol && *rq->number_symbol) {
        if (!seal) {
            verrs_add(e, "number_symbol",
                      "Chỉ chữ ký số của cơ quan mới ghi số, ký hiệu trên phụ lục, bản sao.");
            r = RES_INVALID;
            goto out;
        }
        if (strlen(rq->number_symbol) > 60) {
            verrs_add(e, "number_symbol", "Số, ký hiệu quá dài (tối đa 60 ký tự).");
            r = RES_INVALID;
            goto out;
        }
        o.number_symbol = rq->number_symbol;
    }
    if (rq->note && *rq->note) {
        if (!seal || strlen(rq->note) > 60) {
            verrs_add(e, "key_id",
                      !seal ? "Chọn khóa ký số của cơ quan: bản số hóa mang chữ ký số của cơ quan."
                            : "Dòng ghi trên chữ ký quá dài (tối đa 60 ký tự).");
            r = RES_INVALID;
            goto out;
        }
        o.note = rq->note;
    }
    if ((o.number_symbol || o.note) && !rq->place.manual) {
        /* top-right corner of page 1, in the top margin (ND30: 20-25 mm) above the text */
        struct pdf_page_size ps;
        int pages = 0;
        if (pdf_page_sizes(pdf, len, &ps, 1, &pages) != RES_OK) {
            verrs_add(e, "file", "Tệp không phải tài liệu PDF hợp lệ.");
            r = RES_INVALID;
            goto out;
        }
        o.page = 1;
        o.rect[0] = ps.width - 36 - 220;
        o.rect[1] = ps.height - 54;
        o.rect[2] = ps.width - 36;
        o.rect[3] = ps.height - 8;
    } else if (rq->place.manual) {
        struct sign_placement pl = rq->place;
        if (!placement_valid(pdf, len, &pl, e)) {
            r = RES_INVALID;
            goto out;
        }
        o.page = pl.page;
        memcpy(o.rect, pl.rect, sizeof(o.rect));
    } else if (auto_place(pdf, len, a->full_name, seal, &o.page, o.rect, NULL, &how, title,
                          sizeof(title)) != RES_OK) {
        verrs_add(e, "file", "Tệp không phải tài liệu PDF hợp lệ.");
        r = RES_INVALID;
        goto out;
    }
    if (!rq->no_image &&
        sigimage_active(app, k.agency_id, k.user_id, seal ? SIGIMAGE_SEAL : SIGIMAGE_SIGNATURE,
                        &image) == RES_OK) {
        o.image = (const unsigned char *)image.data;
        o.image_len = image.len;
    }
    o.reason = rq->reason && *rq->reason ? rq->reason
               : seal                    ? "Ký số của cơ quan, tổ chức"
                                         : "Ký duyệt";
    struct signer_key sk = {app->signer, NULL, rq->pin, (const unsigned char *)k.sealed.data,
                            k.sealed.len};
    struct pdf_sign_key key = {k.cert, k.chain, signer_cms_sign, &sk, NULL, NULL};
    r = pdf_sign_document(pdf, len, &o, &key, out);
    if (r == RES_FORBIDDEN) {
        /* The signer already dropped the key on this wrong PIN; the core says so too,
         * since the count may now lock the key (crypto/signer.h, key cache). */
        (void)signer_forget_sealed(app->signer, (const unsigned char *)k.sealed.data, k.sealed.len);
        /* A wrong PIN that cannot be counted is an error, not a plain refusal. */
        int left = 0;
        if ((r = signing_key_pin_result(app, a, k.id, false, NULL, &left)) != RES_OK)
            goto out;
        /* As the sign-in says how many tries are left (session.c). */
        if (left > 0)
            verrs_add(e, "pin",
                      "Mã PIN không đúng. Còn %d lần thử trước khi khóa ký số bị tạm khóa %d phút.",
                      left, SIGNING_KEY_LOCK_SECS / 60);
        else
            verrs_add(
                e, "pin",
                "Mã PIN không đúng. Nhập sai %d lần liên tiếp: khóa ký số bị tạm khóa %d phút.",
                SIGNING_KEY_PIN_TRIES, SIGNING_KEY_LOCK_SECS / 60);
        r = RES_INVALID;
        goto out;
    }
    if (r != RES_OK) {
        if (r == RES_INVALID)
            verrs_add(e, "file", "Không ký được tài liệu: tệp PDF hỏng hoặc được bảo vệ.");
        goto out;
    }
    char oid[24], summary[600];
    snprintf(oid, sizeof(oid), "key:%lld", (long long)k.id);
    sign_summary(rq->file_name, (const unsigned char *)out->data, out->len, k.subject_cn, summary,
                 sizeof(summary));
    struct audit_entry ae = {.actor_id = a->user_id,
                             .actor_login = a->login,
                             .agency_id = k.agency_id,
                             .action = "document_sign",
                             .object_type = "document",
                             .object_id = oid,
                             .summary = summary,
                             .client_addr = a->client_addr};
    /* No audit row, no signed document: the caller gets the error and an empty buffer. */
    if ((r = signing_key_pin_result(app, a, k.id, true, &ae, NULL)) != RES_OK)
        buf_reset(out);
out:
    buf_release(&image);
    signing_key_release(&k);
    return r;
}

/* ---- two steps ---- */

static char *b64(const unsigned char *d, size_t n)
{
    struct buf b = BUF_INIT(BASE64_LEN(n)); /* exactly the encoded length: cannot fail */
    (void)base64_encode(&b, d, n, 0);
    return buf_detach(&b, NULL);
}

static bool b64_32(const char *s, unsigned char out[32])
{
    size_t got = 0;
    return s && base64_decode(s, strlen(s), out, 32, &got) == RES_OK && got == 32;
}

result_t signing_prepare(struct app *app, const struct actor *a, const unsigned char *pdf,
                         size_t len, const char *file_name, const char *cert_pem,
                         const struct sign_placement *place, const char *reason, struct verrs *e,
                         json_t **out)
{
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    struct pdf_sign_prepared p;
    struct sign_draft d;
    char title[128];
    const char *how;
    result_t r;

    pdf_sign_prepared_init(&p);
    sign_draft_init(&d);
    if ((r = authz_check(a, AZ_SIGN_USE, a->agency_id)) != RES_OK)
        goto out;
    if (!cert_pem || strlen(cert_pem) > 64 * 1024 ||
        cert_parse_pem_chain(cert_pem, &cert, &chain) != RES_OK) {
        verrs_add(e, "certificate", "Gửi chứng thư số của người ký (PEM, kèm chuỗi chứng thư).");
        r = RES_INVALID;
        goto out;
    }
    struct cert_check cc;
    const struct certstore *cs = trust_acquire(app);
    certstore_verify(cs, cert, chain, clock_now(), &cc);
    trust_release(app, cs);
    if (cc.status != CERT_OK) {
        verrs_add(e, "certificate", "%s. Không thể dùng để ký.", cert_status_text(cc.status));
        r = RES_INVALID;
        goto out;
    }
    struct pdf_sign_opts o = {0};
    if (place && place->manual) {
        struct sign_placement pl = *place;
        if (!placement_valid(pdf, len, &pl, e)) {
            r = RES_INVALID;
            goto out;
        }
        o.page = pl.page;
        memcpy(o.rect, pl.rect, sizeof(o.rect));
    } else if (auto_place(pdf, len, a->full_name, false, &o.page, o.rect, NULL, &how, title,
                          sizeof(title)) != RES_OK) {
        verrs_add(e, "file", "Tệp không phải tài liệu PDF hợp lệ.");
        r = RES_INVALID;
        goto out;
    }
    o.reason = reason && *reason ? reason : "Ký duyệt";
    if ((r = pdf_sign_prepare(pdf, len, &o, cert, chain, &p)) != RES_OK) {
        verrs_add(e, "file", "Không chuẩn bị được tài liệu để ký: tệp PDF hỏng hoặc được bảo vệ.");
        goto out;
    }
    char *ad = b64(p.attrs_digest, 32), *cd = b64(p.content_digest, 32);
    json_t *meta = json_object();
    json_object_set_new(meta, "contents_offset", json_integer((json_int_t)p.contents_offset));
    json_object_set_new(meta, "contents_hex", json_integer((json_int_t)p.contents_hex));
    json_object_set_new(meta, "attrs_digest", json_string(ad));
    json_object_set_new(meta, "content_digest", json_string(cd));
    json_object_set_new(meta, "certificate", json_string(cert_pem));
    r = sign_draft_create(app, a, "prepared", file_name, (const unsigned char *)p.pdf.data,
                          p.pdf.len, meta, &d);
    json_decref(meta);
    if (r == RES_OK) {
        char exp[40];
        clock_format_iso(d.expires_at, exp, sizeof(exp));
        *out = json_object();
        json_object_set_new(*out, "id", json_string(d.public_id));
        json_object_set_new(*out, "attrs_digest", json_string(ad));
        json_object_set_new(*out, "content_digest", json_string(cd));
        json_object_set_new(*out, "digest_algorithm", json_string("SHA-256"));
        json_object_set_new(*out, "page", json_integer(o.page));
        json_object_set_new(*out, "expires_at", json_string(exp));
        char subj[256];
        X509_NAME_oneline(X509_get_subject_name(cert), subj, sizeof(subj));
        r = audit_sign(app, a, "document_sign_prepare", a->agency_id, d.public_id, file_name, pdf,
                       len, subj);
        if (r != RES_OK) { /* the draft expires on its own; nothing is handed out */
            json_decref(*out);
            *out = NULL;
        }
    }
    free(ad);
    free(cd);
out:
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    pdf_sign_prepared_release(&p);
    sign_draft_release(&d);
    return r;
}

result_t signing_finish(struct app *app, const struct actor *a, const char *draft_id,
                        const unsigned char *sig, size_t sig_len, bool is_cms, struct verrs *e,
                        struct buf *out, char *file_name, size_t file_name_size)
{
    struct sign_draft d;
    struct pdf_sign_prepared p;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    result_t r;

    sign_draft_init(&d);
    pdf_sign_prepared_init(&p);
    if ((r = authz_check(a, AZ_SIGN_USE, a->agency_id)) != RES_OK)
        goto out;
    if ((r = sign_draft_get(app, a, draft_id, "prepared", &d)) != RES_OK)
        goto out;
    str_copy(file_name, d.file_name, file_name_size);
    json_t *m = d.meta;
    json_t *off = json_object_get(m, "contents_offset"), *hex = json_object_get(m, "contents_hex");
    if (!json_is_integer(off) || !json_is_integer(hex) ||
        !b64_32(json_string_value(json_object_get(m, "attrs_digest")), p.attrs_digest) ||
        !b64_32(json_string_value(json_object_get(m, "content_digest")), p.content_digest) ||
        cert_parse_pem_chain(json_string_value(json_object_get(m, "certificate")), &cert, &chain) !=
            RES_OK) {
        r = RES_INTERNAL;
        goto out;
    }
    p.contents_offset = (size_t)json_integer_value(off);
    p.contents_hex = (size_t)json_integer_value(hex);
    if ((r = buf_append(&p.pdf, d.pdf.data, d.pdf.len)) != RES_OK)
        goto out;
    if (!sig || !sig_len || sig_len > 64 * 1024) {
        verrs_add(e, is_cms ? "cms" : "signature", "Thiếu chữ ký số (base64) hoặc quá lớn.");
        r = RES_INVALID;
        goto out;
    }
    r = is_cms ? pdf_sign_embed_cms(&p, sig, sig_len, out)
               : pdf_sign_finish(&p, cert, chain, sig, sig_len, out);
    if (r == RES_OK) {
        /* Never hand back (or record) a document whose new signature does not verify:
         * the client may have signed another digest or with another key. */
        struct pdf_verify_result vr;
        pdf_verify_result_init(&vr);
        pdf_verify_document((const unsigned char *)out->data, out->len, NULL, 0, &vr);
        if (!vr.count || !vr.sigs[vr.count - 1].digest_ok)
            r = RES_INVALID;
        pdf_verify_result_release(&vr);
    }
    if (r != RES_OK) {
        verrs_add(e, is_cms ? "cms" : "signature",
                  "Chữ ký số không khớp với tài liệu đã chuẩn bị hoặc với chứng thư số.");
        r = r == RES_CONFLICT ? RES_CONFLICT : RES_INVALID;
        goto out;
    }
    char subj[256];
    X509_NAME_oneline(X509_get_subject_name(cert), subj, sizeof(subj));
    /* Record first: without its audit row the signed document is not handed out, and the
     * draft stays so the client may finish again. */
    r = audit_sign(app, a, "document_sign_finish", a->agency_id, draft_id, d.file_name,
                   (const unsigned char *)out->data, out->len, subj);
    if (r != RES_OK) {
        buf_reset(out);
        goto out;
    }
    sign_draft_delete(app, a, draft_id);
out:
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    pdf_sign_prepared_release(&p);
    sign_draft_release(&d);
    return r;
}
