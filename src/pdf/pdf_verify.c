/* PDF signature verification. MuPDF parses the document and finds the signature
 * fields; the byte ranges are checked and hashed here on the raw bytes, the CMS by
 * crypto/cms.c, the certificate by crypto/certstore.c, later updates by
 * pdf_changes.c (only when the signature does not cover the whole file). */
#include "pdf/pdf_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/x509.h>

#include "crypto/cms.h"
#include "crypto/tsa.h"
#include "pdf/pdf_util.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"

void pdf_verify_result_init(struct pdf_verify_result *r)
{
    memset(r, 0, sizeof(*r));
}

void pdf_verify_result_release(struct pdf_verify_result *r)
{
    free(r->sigs);
    pdf_verify_result_init(r);
}

static void describe_cert(X509 *x, struct pdf_sig_info *si)
{
    cert_name_entry(X509_get_subject_name(x), NID_commonName, si->signer_cn, sizeof(si->signer_cn));
    cert_name_entry(X509_get_subject_name(x), NID_organizationName, si->signer_o,
                    sizeof(si->signer_o));
    cert_name_entry(X509_get_issuer_name(x), NID_commonName, si->issuer_cn, sizeof(si->issuer_cn));
    cert_serial_hex(x, si->serial, sizeof(si->serial));
}

/* Reads and bounds-checks /ByteRange; returns the number of ranges (0 when invalid). */
static size_t byte_ranges(fz_context *ctx, pdf_obj *v, size_t file_len, struct cms_range *out,
                          size_t max)
{
    pdf_obj *br = pdf_dict_get(ctx, v, PDF_NAME(ByteRange));
    int n = pdf_array_len(ctx, br);
    size_t next = 0;
    if (n < 2 || n % 2 || (size_t)n / 2 > max)
        return 0;
    for (int i = 0; i < n / 2; i++) {
        pdf_obj *o = pdf_array_get(ctx, br, 2 * i), *l = pdf_array_get(ctx, br, 2 * i + 1);
        if (!pdf_is_int(ctx, o) || !pdf_is_int(ctx, l))
            return 0;
        int64_t off = pdf_to_int64(ctx, o), len = pdf_to_int64(ctx, l);
        if (off < 0 || len < 0 || (size_t)off < next || (i == 0 && off != 0) ||
            (size_t)off > file_len || (size_t)len > file_len - (size_t)off)
            return 0;
        out[i].offset = (size_t)off;
        out[i].length = (size_t)len;
        next = (size_t)(off + len);
    }
    return (size_t)n / 2;
}

static void copy_text(fz_context *ctx, pdf_obj *dict, pdf_obj *key, char *out, size_t size)
{
    snprintf(out, size, "%s", pdf_dict_get_text_string(ctx, dict, key));
}

static void check_signature(fz_context *ctx, pdf_document *doc, pdf_obj *field, pdf_obj *v,
                            const unsigned char *data, size_t len, const struct certstore *trust,
                            int64_t now, struct pdf_sig_info *si)
{
    struct cms_range ranges[16];
    struct cms_check cc;
    size_t n;
    pdf_obj *contents = pdf_dict_get(ctx, v, PDF_NAME(Contents));

    cms_check_init(&cc);
    si->signing_time = INT64_MIN;
    si->cert = CERT_INVALID;
    copy_text(ctx, field, PDF_NAME(T), si->field, sizeof(si->field));
    copy_text(ctx, v, PDF_NAME(Reason), si->reason, sizeof(si->reason));
    copy_text(ctx, v, PDF_NAME(Location), si->location, sizeof(si->location));
    snprintf(si->subfilter, sizeof(si->subfilter), "%s",
             pdf_to_name(ctx, pdf_dict_get(ctx, v, PDF_NAME(SubFilter))));
    int64_t m = pdf_dict_get_date(ctx, v, PDF_NAME(M));
    if (m > 0)
        si->signing_time = m;

    n = byte_ranges(ctx, v, len, ranges, 16);
    if (n == 0 || !pdf_is_string(ctx, contents)) {
        snprintf(si->error, sizeof(si->error), "missing or invalid ByteRange/Contents");
        return;
    }
    size_t end = ranges[n - 1].offset + ranges[n - 1].length;
    si->covers_whole_file = n == 2 && end == len && ranges[1].offset > ranges[0].length + 1 &&
                            data[ranges[0].length] == '<' && data[ranges[1].offset - 1] == '>';

    cms_verify_detached((const unsigned char *)pdf_to_str_buf(ctx, contents),
                        pdf_to_str_len(ctx, contents), data, ranges, n, &cc);
    if (!cc.parsed) {
        snprintf(si->error, sizeof(si->error), "%s", cc.error);
        goto out;
    }
    si->parsed = true;
    snprintf(si->digest_alg, sizeof(si->digest_alg), "%s", cc.digest_name);
    si->digest_ok = cc.digest_ok && cc.signature_ok && (!cc.has_ess || cc.ess_ok);
    if (cc.signing_time != INT64_MIN)
        si->signing_time = cc.signing_time;
    describe_cert(cc.signer, si);

    struct tsa_check tc;
    tsa_verify_cms((const unsigned char *)pdf_to_str_buf(ctx, contents),
                   pdf_to_str_len(ctx, contents), trust, &tc);
    si->has_timestamp = tc.present;
    si->timestamp_ok = tc.valid;
    si->timestamp_time = tc.time;
    snprintf(si->tsa_name, sizeof(si->tsa_name), "%s", tc.tsa_name);

    struct cert_check ck;
    int64_t at = tc.valid ? tc.time : si->signing_time != INT64_MIN ? si->signing_time : now;
    if (trust && certstore_verify(trust, cc.signer, cc.certs, at, &ck) == RES_OK) {
        si->cert = ck.status;
        si->revocation_checked = ck.revocation_checked;
        si->revoked_at = ck.revoked_at;
    } else {
        si->cert = CERT_UNTRUSTED;
    }
    si->not_after = cert_time_to_unix(X509_get0_notAfter(cc.signer));
    si->expired_now = si->not_after != INT64_MIN && si->not_after < now;
    si->change = si->covers_whole_file ? PDF_CHANGE_NONE : pdf_changes_since(ctx, doc, data, end);
    si->modified_after = si->change == PDF_CHANGE_CONTENT;
    si->valid = si->digest_ok && !si->modified_after && si->cert == CERT_OK &&
                (!si->has_timestamp || si->timestamp_ok);
out:
    cms_check_release(&cc);
}

struct walk {
    const unsigned char *data;
    size_t len;
    const struct certstore *trust;
    int64_t now;
    struct pdf_verify_result *out;
};

static void walk_fields(fz_context *ctx, pdf_document *doc, pdf_obj *fields, int depth,
                        struct walk *w)
{
    int n = pdf_array_len(ctx, fields);
    if (depth > 16)
        return;
    for (int i = 0; i < n && w->out->count < PDF_VERIFY_MAX_SIGS; i++) {
        pdf_obj *f = pdf_array_get(ctx, fields, i);
        if (!pdf_is_dict(ctx, f) || pdf_mark_obj(ctx, f))
            continue;
        fz_try(ctx)
        {
            pdf_obj *kids = pdf_dict_get(ctx, f, PDF_NAME(Kids));
            pdf_obj *v = pdf_dict_get(ctx, f, PDF_NAME(V));
            if (kids)
                walk_fields(ctx, doc, kids, depth + 1, w);
            if (pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, f, PDF_NAME(FT)), PDF_NAME(Sig)) &&
                pdf_is_dict(ctx, v) && w->out->count < PDF_VERIFY_MAX_SIGS) {
                struct pdf_sig_info *si = &w->out->sigs[w->out->count++];
                check_signature(ctx, doc, f, v, w->data, w->len, w->trust, w->now, si);
            }
        }
        fz_always(ctx) pdf_unmark_obj(ctx, f);
        fz_catch(ctx)
        {
            /* A broken field ends up as an unparsed (invalid) entry; others go on. */
            if (w->out->count > 0 && !w->out->sigs[w->out->count - 1].error[0])
                snprintf(w->out->sigs[w->out->count - 1].error, 160, "%s", fz_caught_message(ctx));
        }
    }
}

result_t pdf_verify_document(const unsigned char *data, size_t len, const struct certstore *trust,
                             int64_t now, struct pdf_verify_result *out)
{
    fz_context *ctx;
    pdf_document *doc = NULL;
    struct walk w = {data, len, trust, now ? now : clock_now(), out};

    pdf_verify_result_init(out);
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    ctx = pdf_util_ctx_new();
    if (!ctx)
        return RES_INTERNAL;
    out->sigs = xcalloc(PDF_VERIFY_MAX_SIGS, sizeof(*out->sigs));
    fz_var(doc);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, data, len);
        out->parsed = true;
        walk_fields(ctx, doc, pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/AcroForm/Fields"), 0,
                    &w);
    }
    fz_catch(ctx)
    {
        log_debug("pdf verify: %s", fz_caught_message(ctx));
    }
    if (doc)
        pdf_drop_document(ctx, doc);
    fz_drop_context(ctx);
    out->all_valid = out->parsed && out->count > 0;
    for (size_t i = 0; i < out->count; i++)
        out->all_valid = out->all_valid && out->sigs[i].valid;
    return RES_OK;
}

static json_t *time_json(int64_t t)
{
    char iso[40];
    if (t == INT64_MIN)
        return json_null();
    clock_format_iso(t, iso, sizeof(iso));
    return json_string(iso);
}

json_t *pdf_verify_to_json(const struct pdf_verify_result *r)
{
    json_t *sigs = json_array();
    for (size_t i = 0; i < r->count; i++) {
        const struct pdf_sig_info *s = &r->sigs[i];
        json_t *o = json_object();
        json_object_set_new(o, "field", json_string(s->field));
        json_object_set_new(o, "valid", json_boolean(s->valid));
        json_object_set_new(o, "signer", json_string(s->signer_cn));
        json_object_set_new(o, "organization", json_string(s->signer_o));
        json_object_set_new(o, "issuer", json_string(s->issuer_cn));
        json_object_set_new(o, "serial", json_string(s->serial));
        json_object_set_new(o, "signing_time", time_json(s->signing_time));
        json_object_set_new(o, "timestamp", json_boolean(s->has_timestamp));
        if (s->has_timestamp) {
            json_object_set_new(o, "timestamp_valid", json_boolean(s->timestamp_ok));
            json_object_set_new(o, "timestamp_time", time_json(s->timestamp_time));
            json_object_set_new(o, "timestamp_authority", json_string(s->tsa_name));
        }
        json_object_set_new(o, "subfilter", json_string(s->subfilter));
        json_object_set_new(o, "digest_algorithm", json_string(s->digest_alg));
        json_object_set_new(o, "reason", json_string(s->reason));
        json_object_set_new(o, "location", json_string(s->location));
        json_object_set_new(o, "intact", json_boolean(s->digest_ok));
        json_object_set_new(o, "covers_whole_file", json_boolean(s->covers_whole_file));
        json_object_set_new(o, "modified_after_signing", json_boolean(s->modified_after));
        json_object_set_new(o, "later_changes", json_string(pdf_change_name(s->change)));
        json_object_set_new(o, "certificate",
                            json_string(s->parsed ? cert_status_name(s->cert) : "unknown"));
        json_object_set_new(o, "revocation_checked", json_boolean(s->revocation_checked));
        json_object_set_new(o, "revoked_at",
                            time_json(s->cert == CERT_REVOKED ? s->revoked_at : INT64_MIN));
        json_object_set_new(o, "certificate_not_after",
                            time_json(s->parsed ? s->not_after : INT64_MIN));
        json_object_set_new(o, "certificate_expired_now", json_boolean(s->expired_now));
        if (s->error[0])
            json_object_set_new(o, "error", json_string(s->error));
        json_array_append_new(sigs, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "pdf", json_boolean(r->parsed));
    json_object_set_new(root, "all_valid", json_boolean(r->all_valid));
    json_object_set_new(root, "signatures", sigs);
    return root;
}

static void vn_time(int64_t t, char *out, size_t n)
{
    if (t == INT64_MIN)
        snprintf(out, n, "không rõ");
    else
        clock_format_vn(t, out, n);
}

result_t pdf_verify_format(const struct pdf_verify_result *r, struct buf *out)
{
    char t[64];
    result_t res = RES_OK;
    if (!r->parsed)
        return buf_puts(out, "Tệp không phải là tài liệu PDF hợp lệ.\n");
    if (r->count == 0)
        return buf_puts(out, "Tài liệu không có chữ ký số.\n");
    for (size_t i = 0; i < r->count && res == RES_OK; i++) {
        const struct pdf_sig_info *s = &r->sigs[i];
        buf_printf(out, "Chữ ký số %zu (%s): %s\n", i + 1, s->field,
                   s->valid ? "HỢP LỆ" : "KHÔNG HỢP LỆ");
        if (!s->parsed) {
            res = buf_puts(out, "  Không đọc được dữ liệu chữ ký số.\n");
            continue;
        }
        buf_printf(out, "  Người ký: %s\n", s->signer_cn);
        if (s->signer_o[0])
            buf_printf(out, "  Cơ quan, tổ chức: %s\n", s->signer_o);
        buf_printf(out, "  Tổ chức cấp chứng thư: %s\n", s->issuer_cn);
        vn_time(s->signing_time, t, sizeof(t));
        buf_printf(out, "  Thời gian ký: %s\n", t);
        if (s->has_timestamp && s->timestamp_ok) {
            vn_time(s->timestamp_time, t, sizeof(t));
            buf_printf(out, "  Dấu thời gian: %s (%s)\n", t, s->tsa_name);
        } else if (s->has_timestamp) {
            buf_puts(out, "  Dấu thời gian: không hợp lệ\n");
        }
        if (s->reason[0])
            buf_printf(out, "  Lý do: %s\n", s->reason);
        buf_printf(out, "  Tính toàn vẹn: %s\n",
                   s->digest_ok ? "nội dung đã ký còn nguyên vẹn"
                                : "nội dung đã bị thay đổi hoặc chữ ký bị sai");
        buf_printf(out, "  Sửa đổi sau khi ký: %s\n",
                   s->change == PDF_CHANGE_NONE         ? "không"
                   : s->change == PDF_CHANGE_SIGNATURES ? "chỉ bổ sung chữ ký số"
                   : s->change == PDF_CHANGE_ANNOTATIONS
                       ? "bổ sung chữ ký số, chú thích (số, ngày văn bản); nội dung không đổi"
                       : "CÓ, nội dung tài liệu đã bị sửa đổi sau khi ký");
        buf_printf(out, "  Chứng thư số: %s\n", cert_status_text(s->cert));
        if (s->cert == CERT_REVOKED) {
            vn_time(s->revoked_at, t, sizeof(t));
            buf_printf(out, "  Thu hồi lúc: %s\n", t);
        } else {
            buf_printf(out, "  Kiểm tra thu hồi: %s\n",
                       s->revocation_checked ? "đã kiểm tra CRL, chưa bị thu hồi"
                                             : "không có CRL để kiểm tra");
        }
        if (s->expired_now && s->cert != CERT_EXPIRED) {
            vn_time(s->not_after, t, sizeof(t));
            buf_printf(out, "  Lưu ý: chứng thư số đã hết hạn từ %s (sau thời điểm ký)\n", t);
        }
        res = buf_puts(out, "");
    }
    return res;
}
