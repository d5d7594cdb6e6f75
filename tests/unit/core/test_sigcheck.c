/* The verification report as the "Kiểm tra chữ ký số" page shows it (standards.md §6):
 * a signed PDF is valid with the test root trusted and untrusted without it, one
 * changed byte makes it invalid, an unsigned PDF and garbage are told apart, and a
 * signed edXML package gets the same report shape. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/sigcheck.h"
#include "crypto/certstore.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "pdf/pdf_fixture.h"
#include "pdf/pdf_sign.h"
#include "xml/edxml.h"
#include "xml/xmldsig.h"

static struct buf plain, signed_pdf;
static struct certstore trust;

static result_t sign_local(void *arg, const unsigned char digest[32], unsigned char **sig,
                           size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

static json_t *report(const struct buf *b, const struct certstore *cs)
{
    json_t *r = NULL;
    CHECK_INT(sigcheck_report((const unsigned char *)b->data, b->len, "vb.pdf", cs, 0, &r), RES_OK);
    return r;
}

static const char *verdict(json_t *r)
{
    return json_string_value(json_object_get(r, "verdict"));
}

/* true when some badge of signature i has class cls and contains text */
static int has_badge(json_t *r, size_t i, const char *cls, const char *text)
{
    json_t *b = json_object_get(json_array_get(json_object_get(r, "signatures"), i), "badges");
    for (size_t k = 0; k < json_array_size(b); k++) {
        json_t *x = json_array_get(b, k);
        if (!strcmp(json_string_value(json_object_get(x, "class")), cls) &&
            strstr(json_string_value(json_object_get(x, "text")), text))
            return 1;
    }
    return 0;
}

TEST(signed_pdf_valid_only_when_trusted)
{
    json_t *r = report(&signed_pdf, &trust);
    CHECK_STR(verdict(r), "valid");
    CHECK_STR(json_string_value(json_object_get(r, "kind")), "pdf");
    CHECK_INT(json_integer_value(json_object_get(r, "signature_count")), 1);
    json_t *s = json_array_get(json_object_get(r, "signatures"), 0);
    CHECK_STR(json_string_value(json_object_get(s, "signer")), "Nguyễn Văn An");
    CHECK_STR(json_string_value(json_object_get(s, "time_source")), "claimed");
    CHECK(has_badge(r, 0, "ok", "toàn vẹn"));
    CHECK(has_badge(r, 0, "ok", "hợp lệ, tin cậy tại thời điểm ký"));
    CHECK(has_badge(r, 0, "ok", "Không sửa đổi sau khi ký"));
    CHECK_INT(strlen(json_string_value(json_object_get(r, "sha256"))), 64);
    json_decref(r);

    r = report(&signed_pdf, NULL); /* nothing trusted */
    CHECK_STR(verdict(r), "invalid");
    CHECK(has_badge(r, 0, "bad", "không thuộc tổ chức cung cấp dịch vụ tin cậy"));
    CHECK(has_badge(r, 0, "ok", "toàn vẹn")); /* the bytes are still intact */
    json_decref(r);
}

TEST(changed_byte_unsigned_and_garbage)
{
    struct buf t = BUF_INIT(64 << 20);
    buf_append(&t, signed_pdf.data, signed_pdf.len);
    /* flip a byte of the page content, well inside the first signed range */
    char *p = memmem(t.data, t.len, "stream", 6);
    CHECK(p != NULL);
    p[8] ^= 0x01;
    json_t *r = report(&t, &trust);
    CHECK_STR(verdict(r), "invalid");
    CHECK(has_badge(r, 0, "bad", "bị thay đổi"));
    json_decref(r);
    buf_release(&t);

    r = report(&plain, &trust);
    CHECK_STR(verdict(r), "unsigned");
    CHECK_INT(json_array_size(json_object_get(r, "signatures")), 0);
    json_decref(r);

    struct buf g = BUF_INIT(1024);
    buf_puts(&g, "this is not a document");
    r = report(&g, &trust);
    CHECK_STR(verdict(r), "unreadable");
    CHECK_STR(json_string_value(json_object_get(r, "kind")), "unknown");
    json_decref(r);
    buf_reset(&g);
    buf_puts(&g, "%PDF-1.7 broken");
    r = report(&g, &trust);
    CHECK_STR(verdict(r), "unreadable");
    json_decref(r);
    buf_reset(&g);
    buf_puts(&g, "<edXML><unclosed>");
    r = report(&g, &trust);
    CHECK_STR(verdict(r), "unreadable");
    CHECK_STR(json_string_value(json_object_get(r, "kind")), "edxml");
    json_decref(r);
    buf_release(&g);
}

TEST(edxml_signed_and_unsigned)
{
    struct buf pkg = BUF_INIT(8 << 20), out = BUF_INIT(8 << 20);
    char why[256];
    CHECK(read_file("../../../shared/samples/edxml/edoc_new.edxml", &pkg));
    /* the sample carries a <Signature> outside the XML-DSig namespace (rsa-sha1, a
     * truncated certificate): something that looks signed but cannot be verified */
    json_t *r = report(&pkg, &trust);
    CHECK_STR(verdict(r), "invalid");
    CHECK_STR(json_string_value(json_object_get(r, "kind")), "edxml");
    CHECK(has_badge(r, 0, "bad", "không có chữ ký XML-DSig"));
    json_decref(r);
    /* a package without any signature */
    struct buf bare = BUF_INIT(1 << 20);
    buf_puts(&bare,
             "<?xml version=\"1.0\"?><edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"/>");
    r = report(&bare, &trust);
    CHECK_STR(verdict(r), "unsigned");
    json_decref(r);
    buf_release(&bare);

    struct xmldsig_key *k = NULL;
    CHECK_INT(xmldsig_key_load_pkcs12(&k, pki_path("person.p12"), "123456", why, sizeof(why)),
              RES_OK);
    /* the official samples may carry a signature already: sign a copy without it */
    result_t sr = edxml_sign(pkg.data, pkg.len, k, &out, why, sizeof(why));
    if (sr == RES_OK) {
        r = report(&out, &trust);
        CHECK_STR(verdict(r), "valid");
        json_t *s = json_array_get(json_object_get(r, "signatures"), 0);
        CHECK_STR(json_string_value(json_object_get(s, "signer")), "Nguyễn Văn An");
        CHECK(has_badge(r, 0, "ok", "tại thời điểm kiểm tra"));
        json_decref(r);
        /* one changed character of the signed content */
        char *p = memmem(out.data, out.len, "<edXML:Subject>", 15);
        if (!p)
            p = memmem(out.data, out.len, "Subject>", 8);
        CHECK(p != NULL);
        p[15] = p[15] == 'x' ? 'y' : 'x';
        r = report(&out, &trust);
        CHECK_STR(verdict(r), "invalid");
        json_decref(r);
    } else {
        CHECK_INT(sr, RES_CONFLICT); /* already signed */
    }
    xmldsig_key_free(k);
    buf_release(&pkg);
    buf_release(&out);
}

int main(void)
{
    struct key_bundle kb;
    certstore_init(&trust);
    if (certstore_add_trusted_file(&trust, pki_path("root.pem")) != RES_OK ||
        certstore_add_intermediates_file(&trust, pki_path("inter.pem")) != RES_OK ||
        !make_test_pdf(1, &plain) || keys_load_p12(pki_path("person.p12"), "123456", &kb) != RES_OK)
        return 2;
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    struct pdf_sign_opts o = {0};
    buf_init(&signed_pdf, 64 << 20);
    if (pdf_sign_document((const unsigned char *)plain.data, plain.len, &o, &key, &signed_pdf) !=
        RES_OK)
        return 2;
    key_bundle_release(&kb);
    RUN(signed_pdf_valid_only_when_trusted);
    RUN(changed_byte_unsigned_and_garbage);
    RUN(edxml_signed_and_unsigned);
    buf_release(&plain);
    buf_release(&signed_pdf);
    certstore_release(&trust);
    pki_cleanup();
    return CHECK_DONE("test_sigcheck");
}
