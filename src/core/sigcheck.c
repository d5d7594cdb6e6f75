/* Verification report: runs the PDF verifier (pdf/pdf_verify) or the XML-DSig verifier
 * (xml/xmldsig) plus the trust store, and turns their findings into one JSON shape with
 * verdicts and badges in Vietnamese. The words live here, once, so the verification
 * page, the API and the document pages of later modules say the same thing. */
#include "core/sigcheck.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/x509.h>

#include "pdf/pdf_verify.h"
#include "util/clock.h"
#include "util/rand.h"
#include "xml/edxml_read.h"
#include "xml/xmldsig.h"

const char *sigcheck_detect(const unsigned char *data, size_t len)
{
    /* PDF readers accept the header within the first 1024 bytes */
    size_t scan = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= scan; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return "pdf";
    /* XML, tolerating stray bytes before it as the edXML reader does (some exchange
     * software prefixes the package; the official samples show it) */
    if (memmem(data, scan, "<?xml", 5) || memmem(data, scan, "<edXML", 6))
        return "edxml";
    return "unknown";
}

static void badge(json_t *list, const char *cls, const char *text)
{
    json_t *b = json_object();
    json_object_set_new(b, "class", json_string(cls));
    json_object_set_new(b, "text", json_string(text));
    json_array_append_new(list, b);
}

static void set_time(json_t *o, const char *key, int64_t t)
{
    char iso[40], vn[64], k[64];
    if (t == INT64_MIN || t == 0) {
        json_object_set_new(o, key, json_null());
        return;
    }
    clock_format_iso(t, iso, sizeof(iso));
    clock_format_vn(t, vn, sizeof(vn));
    json_object_set_new(o, key, json_string(iso));
    snprintf(k, sizeof(k), "%s_text", key);
    json_object_set_new(o, k, json_string(vn));
}

static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

static const char *cert_badge_text(enum cert_status s, bool at_check_time)
{
    if (s == CERT_OK)
        return at_check_time ? "Chứng thư số hợp lệ, tin cậy tại thời điểm kiểm tra"
                             : "Chứng thư số hợp lệ, tin cậy tại thời điểm ký";
    return cert_status_text(s);
}

static json_t *pdf_signature(const struct pdf_sig_info *s, size_t index)
{
    json_t *o = json_object(), *badges = json_array(), *notes = json_array();
    char t[64];
    json_object_set_new(o, "index", json_integer((json_int_t)index));
    set_str(o, "field", s->field);
    set_str(o, "signer", s->signer_cn);
    set_str(o, "organization", s->signer_o);
    set_str(o, "issuer", s->issuer_cn);
    set_str(o, "serial", s->serial);
    set_str(o, "reason", s->reason);
    set_str(o, "location", s->location);
    json_object_set_new(o, "valid", json_boolean(s->valid));
    set_str(o, "verdict_text", s->valid ? "Chữ ký số hợp lệ" : "Chữ ký số không hợp lệ");
    set_str(o, "verdict_class", s->valid ? "ok" : "bad");
    if (!s->parsed) {
        badge(badges, "bad", "Không đọc được dữ liệu chữ ký số");
        json_object_set_new(o, "signing_time", json_null());
        set_str(o, "time_source", "none");
        goto out;
    }
    bool ts = s->has_timestamp && s->timestamp_ok;
    set_time(o, "signing_time", ts ? s->timestamp_time : s->signing_time);
    set_str(o, "time_source", ts ? "timestamp" : s->signing_time != INT64_MIN ? "claimed" : "none");
    if (ts) {
        snprintf(t, sizeof(t), "Có dấu thời gian tin cậy");
        badge(badges, "ok", t);
        set_str(o, "timestamp_authority", s->tsa_name);
    } else if (s->has_timestamp) {
        badge(badges, "bad", "Dấu thời gian không hợp lệ");
    } else {
        json_array_append_new(notes, json_string("Thời gian ký do người ký khai báo (không có dấu "
                                                 "thời gian của tổ chức cung cấp dịch vụ)."));
    }
    badge(badges, s->digest_ok ? "ok" : "bad",
          s->digest_ok ? "Nội dung đã ký còn toàn vẹn"
                       : "Nội dung đã ký bị thay đổi hoặc chữ ký sai");
    if (s->digest_ok) {
        switch (s->change) {
        case PDF_CHANGE_NONE:
            badge(badges, "ok", "Không sửa đổi sau khi ký");
            break;
        case PDF_CHANGE_SIGNATURES:
            badge(badges, "ok", "Sau khi ký chỉ bổ sung chữ ký số");
            break;
        case PDF_CHANGE_ANNOTATIONS:
            badge(badges, "ok", "Sau khi ký chỉ bổ sung chữ ký số, số và ngày văn bản");
            break;
        case PDF_CHANGE_CONTENT:
            badge(badges, "bad", "Nội dung tài liệu bị sửa đổi sau khi ký");
            break;
        }
    }
    set_str(o, "later_changes", pdf_change_name(s->change));
    set_str(o, "certificate", cert_status_name(s->cert));
    badge(badges, s->cert == CERT_OK ? "ok" : "bad", cert_badge_text(s->cert, false));
    if (s->cert == CERT_REVOKED) {
        clock_format_vn(s->revoked_at, t, sizeof(t));
        char msg[160];
        snprintf(msg, sizeof(msg), "Chứng thư số bị thu hồi lúc %s.", t);
        json_array_append_new(notes, json_string(msg));
    } else if (!s->revocation_checked) {
        badge(badges, "warn", "Chưa kiểm tra thu hồi (không có CRL của tổ chức cấp)");
    }
    if (s->expired_now && s->cert != CERT_EXPIRED) {
        char msg[200];
        clock_format_vn_date(s->not_after, t, sizeof(t));
        snprintf(msg, sizeof(msg),
                 "Chứng thư số đã hết hạn từ %s, sau thời điểm ký: chữ ký vẫn có giá trị.", t);
        json_array_append_new(notes, json_string(msg));
    }
    set_time(o, "certificate_not_after", s->not_after);
out:
    json_object_set_new(o, "badges", badges);
    json_object_set_new(o, "notes", notes);
    return o;
}

static bool pdf_report(const unsigned char *data, size_t len, const struct certstore *trust,
                       int64_t now, json_t *sigs, bool *readable)
{
    struct pdf_verify_result vr;
    pdf_verify_result_init(&vr);
    pdf_verify_document(data, len, trust, now, &vr);
    *readable = vr.parsed;
    for (size_t i = 0; i < vr.count; i++)
        json_array_append_new(sigs, pdf_signature(&vr.sigs[i], i + 1));
    bool all = vr.all_valid;
    pdf_verify_result_release(&vr);
    return all;
}

static bool xml_report(const unsigned char *data, size_t len, const struct certstore *trust,
                       int64_t now, json_t *sigs, bool *readable)
{
    struct xmldsig_result xr;
    char cn[256], org[256], issuer[256];
    bool valid = false;

    /* well-formed XML under the hardened reader's limits, or unreadable */
    struct edxml_limits lim;
    struct edxml_issues is;
    struct edxml_read rd;
    edxml_limits_default(&lim);
    edxml_issues_init(&is);
    edxml_read_init(&rd, &lim, &is, false);
    *readable = edxml_read_memory(&rd, (const char *)data, len) == RES_OK;
    edxml_read_release(&rd);
    edxml_issues_release(&is);
    if (!*readable)
        return false;
    xmldsig_result_init(&xr);
    xmldsig_verify((const char *)data, len, NULL, &xr);
    if (xr.no_signature && !memmem(data, len, "Signature", 9)) {
        xmldsig_result_release(&xr);
        return false; /* unsigned */
    }
    json_t *o = json_object(), *badges = json_array(), *notes = json_array();
    json_object_set_new(o, "index", json_integer(1));
    json_object_set_new(o, "signing_time", json_null());
    set_str(o, "time_source", "none");
    if (xr.signer) {
        cert_name_entry(X509_get_subject_name(xr.signer), NID_commonName, cn, sizeof(cn));
        cert_name_entry(X509_get_subject_name(xr.signer), NID_organizationName, org, sizeof(org));
        cert_name_entry(X509_get_issuer_name(xr.signer), NID_commonName, issuer, sizeof(issuer));
        set_str(o, "signer", cn);
        set_str(o, "organization", org);
        set_str(o, "issuer", issuer);
        char serial[80];
        cert_serial_hex(xr.signer, serial, sizeof(serial));
        set_str(o, "serial", serial);
    } else {
        set_str(o, "signer", xr.subject);
    }
    set_str(o, "algorithm", xr.algorithm);
    if (xr.res == RES_OK) {
        badge(badges, "ok", "Nội dung gói tin đã ký còn toàn vẹn");
        struct cert_check cc;
        memset(&cc, 0, sizeof(cc));
        cc.status = CERT_INVALID;
        if (xr.signer)
            certstore_verify(trust, xr.signer, NULL, now, &cc);
        set_str(o, "certificate", cert_status_name(cc.status));
        badge(badges, cc.status == CERT_OK ? "ok" : "bad", cert_badge_text(cc.status, true));
        if (cc.status != CERT_REVOKED && !cc.revocation_checked)
            badge(badges, "warn", "Chưa kiểm tra thu hồi (không có CRL của tổ chức cấp)");
        json_array_append_new(notes,
                              json_string("Chữ ký XML không mang thời điểm ký tin cậy: chứng "
                                          "thư số được kiểm tra tại thời điểm kiểm tra."));
        valid = cc.status == CERT_OK;
    } else {
        char msg[400];
        snprintf(msg, sizeof(msg), "Chữ ký không hợp lệ: %s", xr.reason);
        badge(badges, "bad", msg);
        set_str(o, "certificate", "unknown");
    }
    json_object_set_new(o, "valid", json_boolean(valid));
    set_str(o, "verdict_text", valid ? "Chữ ký số hợp lệ" : "Chữ ký số không hợp lệ");
    set_str(o, "verdict_class", valid ? "ok" : "bad");
    json_object_set_new(o, "badges", badges);
    json_object_set_new(o, "notes", notes);
    json_array_append_new(sigs, o);
    xmldsig_result_release(&xr);
    return valid;
}

result_t sigcheck_report(const unsigned char *data, size_t len, const char *file_name,
                         const struct certstore *trust, int64_t now, json_t **report)
{
    char hash[65];
    struct certstore empty; /* nothing trusted */
    certstore_init(&empty);
    if (!trust)
        trust = &empty;
    if (!now)
        now = clock_now();
    const char *kind = sigcheck_detect(data, len);
    json_t *r = json_object(), *sigs = json_array();
    bool readable = false, all_valid = false;

    set_str(r, "kind", kind);
    set_str(r, "file_name", file_name);
    json_object_set_new(r, "size", json_integer((json_int_t)len));
    sha256_hex(data, len, hash);
    set_str(r, "sha256", hash);
    set_time(r, "checked_at", now);
    if (len > SIGCHECK_MAX_FILE)
        readable = false;
    else if (strcmp(kind, "pdf") == 0)
        all_valid = pdf_report(data, len, trust, now, sigs, &readable);
    else if (strcmp(kind, "edxml") == 0)
        all_valid = xml_report(data, len, trust, now, sigs, &readable);

    size_t n = json_array_size(sigs), nvalid = 0;
    for (size_t i = 0; i < n; i++)
        if (json_is_true(json_object_get(json_array_get(sigs, i), "valid")))
            nvalid++;
    const char *verdict, *text, *cls;
    char buf[160];
    if (!readable && n == 0) {
        verdict = "unreadable";
        text = "Không đọc được tệp: không phải tài liệu PDF hoặc gói tin edXML hợp lệ.";
        cls = "bad";
    } else if (n == 0) {
        verdict = "unsigned";
        text = "Tài liệu không có chữ ký số.";
        cls = "warn";
    } else if (all_valid && nvalid == n) {
        verdict = "valid";
        snprintf(buf, sizeof(buf), n == 1 ? "Chữ ký số hợp lệ." : "Tất cả %zu chữ ký số hợp lệ.",
                 n);
        text = buf;
        cls = "ok";
    } else {
        verdict = "invalid";
        snprintf(buf, sizeof(buf), "Có %zu/%zu chữ ký số không hợp lệ.", n - nvalid, n);
        text = buf;
        cls = "bad";
    }
    set_str(r, "verdict", verdict);
    set_str(r, "verdict_text", text);
    set_str(r, "verdict_class", cls);
    json_object_set_new(r, "signature_count", json_integer((json_int_t)n));
    json_object_set_new(r, "signatures", sigs);
    certstore_release(&empty);
    *report = r;
    return RES_OK;
}
