/* PDF signing on MuPDF 1.19. MuPDF writes the signature dictionary, the ByteRange and
 * the /Contents placeholder; its pdf_pkcs7_signer callback here only hashes the byte
 * ranges. The CMS is built afterwards (crypto/cms.c) and hex-patched into the
 * placeholder, which is the same path for local, signer-process and remote signing. */
#include "pdf/pdf_sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto/certstore.h"
#include "pdf/pdf_font.h"
#include "pdf/pdf_util.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"

/* The pdf_pkcs7_signer MuPDF calls while saving: records the SHA-256 of the signed
 * byte ranges and leaves a zero placeholder of max_size bytes. */
struct capture_signer {
    pdf_pkcs7_signer base;
    int refs;
    size_t max_size;
    int have_digest;
    unsigned char digest[32];
};

static pdf_pkcs7_signer *capture_keep(fz_context *ctx, pdf_pkcs7_signer *s)
{
    (void)ctx;
    ((struct capture_signer *)s)->refs++;
    return s;
}

static void capture_drop(fz_context *ctx, pdf_pkcs7_signer *s)
{
    (void)ctx;
    struct capture_signer *c = (struct capture_signer *)s;
    if (c && --c->refs == 0)
        free(c);
}

static pdf_pkcs7_distinguished_name *capture_name(fz_context *ctx, pdf_pkcs7_signer *s)
{
    (void)ctx;
    (void)s;
    return NULL; /* only MuPDF's default appearance asks, and we draw our own */
}

static size_t capture_max(fz_context *ctx, pdf_pkcs7_signer *s)
{
    (void)ctx;
    return ((struct capture_signer *)s)->max_size;
}

static int capture_digest(fz_context *ctx, pdf_pkcs7_signer *s, fz_stream *in,
                          unsigned char *digest, size_t len)
{
    struct capture_signer *c = (struct capture_signer *)s;
    unsigned char chunk[16384];
    size_t n;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return 0;
    }
    fz_try(ctx)
    {
        while ((n = fz_read(ctx, in, chunk, sizeof(chunk))) > 0)
            EVP_DigestUpdate(md, chunk, n);
    }
    fz_catch(ctx)
    {
        EVP_MD_CTX_free(md);
        fz_rethrow(ctx);
    }
    c->have_digest = EVP_DigestFinal_ex(md, c->digest, NULL);
    EVP_MD_CTX_free(md);
    if (!c->have_digest || len < 1)
        return 0;
    digest[0] = 0;
    return 1;
}

static struct capture_signer *capture_new(size_t max_size)
{
    struct capture_signer *c = xcalloc(1, sizeof(*c));
    c->base.keep = capture_keep;
    c->base.drop = capture_drop;
    c->base.get_signing_name = capture_name;
    c->base.max_digest_size = capture_max;
    c->base.create_digest = capture_digest;
    c->refs = 1;
    c->max_size = max_size;
    return c;
}

void pdf_sign_seal_rect(const float r[4], float seal_size, float out[4])
{
    float s = seal_size > 0 ? seal_size : 102.0f;
    float w = r[2] - r[0], cy = (r[1] + r[3]) / 2;
    out[2] = r[0] + w / 3;
    out[0] = out[2] - s;
    out[1] = cy - s / 2;
    out[3] = cy + s / 2;
}

static char *cert_name(X509 *cert, int nid)
{
    char buf[256];
    cert_name_entry(X509_get_subject_name(cert), nid, buf, sizeof(buf));
    return xstrdup(buf);
}

/* Text appearance when no image is given: signer, organisation, time, reason, in a
 * subset of Noto Serif made of these lines' characters (pdf_font.h: every Vietnamese
 * letter, a few kilobytes per signature instead of the whole font; MuPDF's own signature
 * text appearance uses Helvetica through WinAnsi and loses letters such as "ễ"). */
static void draw_text_lines(fz_context *ctx, fz_device *dev, fz_rect rect, const char **lines,
                            int n)
{
    fz_font *font = pdf_font_subset(ctx, lines, n);
    fz_text *t = NULL;
    float blue[3] = {0, 0, 0.55f};
    fz_var(t);
    fz_try(ctx)
    {
        float w = rect.x1 - rect.x0 - 4, size = (rect.y1 - rect.y0 - 4) / (n * 1.25f);
        if (size > 11)
            size = 11;
        for (int i = 0; i < n; i++) {
            float lw = pdf_util_text_width(ctx, font, size, lines[i]);
            if (lw > w && lw > 0)
                size *= w / lw;
        }
        t = fz_new_text(ctx);
        for (int i = 0; i < n; i++)
            fz_show_string(ctx, t, font,
                           fz_make_matrix(size, 0, 0, -size, rect.x0 + 2,
                                          rect.y0 + 2 + size * (1.25f * i + 1)),
                           lines[i], 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
        fz_fill_text(ctx, dev, t, fz_identity, fz_device_rgb(ctx), blue, 1,
                     fz_default_color_params);
    }
    fz_always(ctx)
    {
        fz_drop_text(ctx, t);
        fz_drop_font(ctx, font);
    }
    fz_catch(ctx) fz_rethrow(ctx);
}

/* The widget appearance: the image fitted and centred in the rect (MuPDF's own signed
 * appearance puts it in the left half beside text, which is not the Vietnamese form),
 * or, without an image, text lines naming the signer. */
static fz_display_list *make_appearance(fz_context *ctx, fz_rect rect,
                                        const struct pdf_sign_opts *o, const char *cn,
                                        const char *org, int64_t when)
{
    fz_display_list *dl = NULL;
    fz_device *dev = NULL;
    fz_buffer *ib = NULL;
    fz_image *img = NULL;

    fz_var(dl);
    fz_var(dev);
    fz_var(ib);
    fz_var(img);
    fz_try(ctx)
    {
        dl = fz_new_display_list(ctx, rect);
        dev = fz_new_list_device(ctx, dl);
        if ((o->number_symbol && o->number_symbol[0]) || (o->note && o->note[0])) {
            char l0[320], l1[160], l2[96], iso[40];
            const char *lines[3] = {l0, l1, l2};
            clock_format_iso(when, iso, sizeof(iso));
            snprintf(l0, sizeof(l0), "%s", org && org[0] ? org : cn);
            if (o->note && o->note[0])
                snprintf(l1, sizeof(l1), "%s", o->note);
            else
                snprintf(l1, sizeof(l1), "Số, ký hiệu: %s", o->number_symbol);
            snprintf(l2, sizeof(l2), "Thời gian ký: %s", iso);
            draw_text_lines(ctx, dev, rect, lines, 3);
        } else if (o->image && o->image_len) {
            ib = fz_new_buffer_from_copied_data(ctx, o->image, o->image_len);
            img = fz_new_image_from_buffer(ctx, ib);
            float rw = rect.x1 - rect.x0, rh = rect.y1 - rect.y0;
            float ia = (float)img->w / (float)img->h;
            float scale = ia > rw / rh ? rw / img->w : rh / img->h;
            fz_matrix m = fz_pre_translate(
                fz_pre_scale(fz_translate((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2),
                             scale * img->w, scale * img->h),
                -0.5f, -0.5f);
            fz_fill_image(ctx, dev, img, m, 1.0f, fz_default_color_params);
        } else {
            char l0[320], l1[320], l2[96], l3[320], when_s[64];
            const char *lines[4];
            int n = 0;
            clock_format_vn(when, when_s, sizeof(when_s));
            snprintf(l0, sizeof(l0), "Ký bởi: %s", cn);
            lines[n++] = l0;
            if (org && org[0]) {
                snprintf(l1, sizeof(l1), "%s", org);
                lines[n++] = l1;
            }
            snprintf(l2, sizeof(l2), "Thời gian ký: %s", when_s);
            lines[n++] = l2;
            if (o->reason && o->reason[0]) {
                snprintf(l3, sizeof(l3), "Lý do: %s", o->reason);
                lines[n++] = l3;
            }
            draw_text_lines(ctx, dev, rect, lines, n);
        }
        fz_close_device(ctx, dev);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, dev);
        fz_drop_image(ctx, img);
        fz_drop_buffer(ctx, ib);
    }
    fz_catch(ctx)
    {
        fz_drop_display_list(ctx, dl);
        fz_rethrow(ctx);
    }
    return dl;
}

static void unique_field_name(fz_context *ctx, pdf_document *doc, const char *want, char *out,
                              size_t size)
{
    pdf_obj *form = pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/AcroForm/Fields");
    if (want && want[0] && (!form || !pdf_lookup_field(ctx, form, want))) {
        snprintf(out, size, "%s", want);
        return;
    }
    for (int i = pdf_count_signatures(ctx, doc) + 1;; i++) {
        snprintf(out, size, "%s%d", want && want[0] ? want : "Signature", i);
        if (!form || !pdf_lookup_field(ctx, form, out))
            return;
    }
}

static int rect_is_empty(const float r[4])
{
    return r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0;
}

/* Adds and signs the widget, saves incrementally into fb; returns the signature
 * dictionary's ByteRange gap through *gap0 / *gap1. Throws. */
static void sign_into(fz_context *ctx, pdf_document *doc, const struct pdf_sign_opts *o, X509 *cert,
                      struct capture_signer *cs, fz_buffer *fb, int64_t *gap0, int64_t *gap1)
{
    pdf_page *page = NULL;
    pdf_annot *w = NULL;
    fz_display_list *dl = NULL;
    fz_output *out = NULL;
    char *cn = cert_name(cert, NID_commonName);
    char *org = cert_name(cert, NID_organizationName);
    char name[128];
    pdf_obj *v;

    fz_var(page);
    fz_var(w);
    fz_var(dl);
    fz_var(out);
    fz_try(ctx)
    {
        int pageno = o->page > 0 ? o->page : 1;
        int64_t when = o->signing_time > 0 ? o->signing_time : (int64_t)time(NULL);
        if (pageno > pdf_count_pages(ctx, doc))
            fz_throw(ctx, FZ_ERROR_GENERIC, "no page %d", pageno);
        if (pdf_was_repaired(ctx, doc) && pdf_count_signatures(ctx, doc) > 0)
            fz_throw(ctx, FZ_ERROR_GENERIC, "damaged signed document");
        page = pdf_load_page(ctx, doc, pageno - 1);
        unique_field_name(ctx, doc, o->field_name, name, sizeof(name));
        w = pdf_create_signature_widget(ctx, page, name); /* a new reference */
        /* MuPDF adds /Lock <</Action/All>>: every field, later signature fields
         * included, would be locked, and MuPDF's own change check then calls the next
         * signature a modification. Our workflow signs twice (person, then agency). */
        pdf_dict_del(ctx, pdf_annot_obj(ctx, w), PDF_NAME(Lock));
        if (rect_is_empty(o->rect)) {
            pdf_set_annot_rect(ctx, w, fz_empty_rect);
        } else {
            fz_rect mediabox;
            fz_matrix ctm;
            pdf_page_transform(ctx, page, &mediabox, &ctm);
            fz_rect r = fz_transform_rect(
                fz_make_rect(o->rect[0], o->rect[1], o->rect[2], o->rect[3]), ctm);
            if (fz_is_empty_rect(r) || r.x1 - r.x0 < 1 || r.y1 - r.y0 < 1)
                fz_throw(ctx, FZ_ERROR_GENERIC, "bad rectangle");
            pdf_set_annot_rect(ctx, w, r);
            dl = make_appearance(ctx, r, o, cn, org, when);
        }
        pdf_sign_signature_with_appearance(ctx, w, &cs->base, when, dl);
        v = pdf_dict_get(ctx, pdf_annot_obj(ctx, w), PDF_NAME(V));
        /* MuPDF 1.19 opens a new incremental section for any change after a signing,
         * which would put these entries in a second update after the ByteRange was
         * planned (and break it). The signature dictionary is ours and unsaved, so
         * edit it in place. */
        doc->disallow_new_increments = 1;
        /* MuPDF records a FieldMDP reference that, without /Lock, locks nothing
         * ("Include" of no fields); drop it rather than carry a meaningless MDP. */
        pdf_dict_del(ctx, v, PDF_NAME(Reference));
        if (!o->adbe_subfilter)
            pdf_dict_put_drop(ctx, v, PDF_NAME(SubFilter),
                              pdf_new_name(ctx, "ETSI.CAdES.detached"));
        if (cn[0])
            pdf_dict_put_text_string(ctx, v, PDF_NAME(Name), cn);
        if (o->reason)
            pdf_dict_put_text_string(ctx, v, PDF_NAME(Reason), o->reason);
        if (o->location)
            pdf_dict_put_text_string(ctx, v, PDF_NAME(Location), o->location);
        if (o->contact)
            pdf_dict_put_text_string(ctx, v, PDF_NAME(ContactInfo), o->contact);
        doc->disallow_new_increments = 0;

        pdf_write_options wo = pdf_default_write_options;
        wo.do_incremental = !pdf_was_repaired(ctx, doc);
        wo.do_compress = 1; /* new objects only, in an incremental save */
        wo.do_compress_images = 1;
        out = pdf_util_output(ctx, fb);
        pdf_write_document(ctx, doc, out, &wo);
        fz_close_output(ctx, out);

        pdf_obj *br = pdf_dict_get(ctx, v, PDF_NAME(ByteRange));
        if (pdf_array_len(ctx, br) != 4 || !cs->have_digest)
            fz_throw(ctx, FZ_ERROR_GENERIC, "signature not written");
        *gap0 = pdf_array_get_int(ctx, br, 1);
        *gap1 = pdf_array_get_int(ctx, br, 2);
    }
    fz_always(ctx)
    {
        doc->disallow_new_increments = 0;
        fz_drop_output(ctx, out);
        fz_drop_display_list(ctx, dl);
        pdf_drop_annot(ctx, w);
        fz_drop_page(ctx, (fz_page *)page);
        free(cn);
        free(org);
    }
    fz_catch(ctx) fz_rethrow(ctx);
}

void pdf_sign_prepared_init(struct pdf_sign_prepared *p)
{
    memset(p, 0, sizeof(*p));
    buf_init(&p->pdf, PDF_MAX_BYTES);
}

void pdf_sign_prepared_release(struct pdf_sign_prepared *p)
{
    buf_release(&p->pdf);
    pdf_sign_prepared_init(p);
}

result_t pdf_sign_prepare(const unsigned char *in, size_t in_len, const struct pdf_sign_opts *opts,
                          X509 *cert, STACK_OF(X509) * chain, struct pdf_sign_prepared *p)
{
    result_t r = RES_INVALID;
    fz_context *ctx = NULL;
    pdf_document *doc = NULL;
    fz_buffer *fb = NULL;
    struct capture_signer *cs = NULL;
    struct cms_prepared cp;
    int64_t gap0 = 0, gap1 = 0;

    pdf_sign_prepared_init(p);
    cms_prepared_init(&cp);
    if (!in || !cert || !opts)
        return RES_INVALID;
    if (in_len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    ctx = pdf_util_ctx_new();
    if (!ctx)
        return RES_INTERNAL;
    cs = capture_new(opts->contents_reserve ? opts->contents_reserve : cms_max_size(cert, chain));
    fz_var(doc);
    fz_var(fb);
    fz_var(r);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, in, in_len);
        fb = fz_new_buffer(ctx, in_len + 65536);
        sign_into(ctx, doc, opts, cert, cs, fb, &gap0, &gap1);
    }
    fz_catch(ctx)
    {
        log_debug("pdf sign: %s", fz_caught_message(ctx));
        goto out;
    }
    if (gap0 <= 0 || gap1 <= gap0 + 2 || (size_t)gap1 > fb->len || fb->data[gap0] != '<' ||
        fb->data[gap1 - 1] != '>') {
        r = RES_INTERNAL;
        goto out;
    }
    if ((r = pdf_util_to_buf(fb, &p->pdf)) != RES_OK)
        goto out;
    p->contents_offset = (size_t)gap0;
    p->contents_hex = (size_t)(gap1 - gap0 - 2);
    memcpy(p->content_digest, cs->digest, 32);
    if ((r = cms_prepare(&cp, cert, chain, p->content_digest)) != RES_OK)
        goto out;
    memcpy(p->attrs_digest, cp.attrs_digest, 32);
out:
    cms_prepared_release(&cp);
    if (doc)
        pdf_drop_document(ctx, doc);
    fz_drop_buffer(ctx, fb);
    capture_drop(ctx, &cs->base);
    fz_drop_context(ctx);
    if (r != RES_OK)
        pdf_sign_prepared_release(p);
    return r;
}

result_t pdf_sign_embed_cms(const struct pdf_sign_prepared *p, const unsigned char *cms,
                            size_t cms_len, struct buf *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char check[32];
    EVP_MD_CTX *md;
    result_t r;
    size_t end = p->contents_offset + p->contents_hex + 2;

    buf_init(out, PDF_MAX_BYTES);
    if (!p->pdf.data || cms_len == 0 || cms_len * 2 > p->contents_hex || end > p->pdf.len)
        return cms_len * 2 > p->contents_hex ? RES_TOO_LARGE : RES_INVALID;
    /* The prepared document must still be the one whose digest was signed. */
    md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, p->pdf.data, p->contents_offset) &&
             EVP_DigestUpdate(md, p->pdf.data + end, p->pdf.len - end) &&
             EVP_DigestFinal_ex(md, check, NULL);
    EVP_MD_CTX_free(md);
    if (!ok || memcmp(check, p->content_digest, 32) != 0)
        return RES_CONFLICT;
    if ((r = buf_append(out, p->pdf.data, p->pdf.len)) != RES_OK)
        return r;
    char *h = out->data + p->contents_offset + 1;
    for (size_t i = 0; i < cms_len; i++) {
        h[2 * i] = hex[cms[i] >> 4];
        h[2 * i + 1] = hex[cms[i] & 15];
    }
    memset(h + 2 * cms_len, '0', p->contents_hex - 2 * cms_len);
    return RES_OK;
}

result_t pdf_sign_finish(const struct pdf_sign_prepared *p, X509 *cert, STACK_OF(X509) * chain,
                         const unsigned char *sig, size_t sig_len, struct buf *out)
{
    struct cms_prepared cp;
    struct buf der = BUF_INIT(1 << 20);
    result_t r;

    buf_init(out, PDF_MAX_BYTES);
    r = cms_prepare(&cp, cert, chain, p->content_digest);
    if (r != RES_OK)
        return r;
    if (memcmp(cp.attrs_digest, p->attrs_digest, 32) != 0)
        r = RES_CONFLICT; /* other certificate than at prepare time */
    if (r == RES_OK)
        r = cms_finish(&cp, sig, sig_len, &der);
    if (r == RES_OK)
        r = pdf_sign_embed_cms(p, (unsigned char *)der.data, der.len, out);
    cms_prepared_release(&cp);
    buf_release(&der);
    return r;
}

result_t pdf_sign_document(const unsigned char *in, size_t in_len, const struct pdf_sign_opts *opts,
                           const struct pdf_sign_key *key, struct buf *out)
{
    struct pdf_sign_prepared p;
    struct pdf_sign_opts o = *opts;
    struct cms_prepared cp;
    struct buf der = BUF_INIT(1 << 20);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    result_t r;

    buf_init(out, PDF_MAX_BYTES);
    cms_prepared_init(&cp);
    if (key->tsa && !o.contents_reserve)
        o.contents_reserve = cms_max_size(key->cert, key->chain) + TSA_TOKEN_RESERVE;
    r = pdf_sign_prepare(in, in_len, &o, key->cert, key->chain, &p);
    if (r != RES_OK)
        return r;
    if ((r = key->sign(key->sign_arg, p.attrs_digest, &sig, &sig_len)) != RES_OK)
        goto out;
    if ((r = cms_prepare(&cp, key->cert, key->chain, p.content_digest)) != RES_OK ||
        (r = cms_finish(&cp, sig, sig_len, &der)) != RES_OK)
        goto out;
    if (key->tsa && (r = tsa_timestamp_cms(&der, key->tsa, key->tsa_arg)) != RES_OK)
        goto out;
    r = pdf_sign_embed_cms(&p, (const unsigned char *)der.data, der.len, out);
out:
    free(sig);
    buf_release(&der);
    cms_prepared_release(&cp);
    pdf_sign_prepared_release(&p);
    return r;
}
