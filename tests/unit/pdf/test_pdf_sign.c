/* PDF signing, checked by poppler's pdfsig (an independent implementation): a person's
 * signature with its image, the agency seal on top, both valid; one changed byte and
 * pdfsig says invalid; two-step signing and signing through the signer process. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/signer.h"
#include "pdf/pdf_fixture.h"
#include "pdf/pdf_sign.h"

static struct buf doc1, png_sig, png_seal;

static result_t sign_local(void *arg, const unsigned char digest[32], unsigned char **sig,
                           size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

static result_t sign_file(const struct buf *in, const char *p12, const float rect[4],
                          const struct buf *image, struct buf *out)
{
    struct key_bundle kb;
    struct pdf_sign_opts o = {0};
    result_t r = keys_load_p12(pki_path(p12), "123456", &kb);
    if (r != RES_OK)
        return r;
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    o.page = 1;
    if (rect)
        memcpy(o.rect, rect, sizeof(o.rect));
    if (image) {
        o.image = (const unsigned char *)image->data;
        o.image_len = image->len;
    }
    o.reason = "Phê duyệt văn bản";
    o.location = "Lạng Sơn";
    r = pdf_sign_document((const unsigned char *)in->data, in->len, &o, &key, out);
    key_bundle_release(&kb);
    return r;
}

static const float person_rect[4] = {340, 130, 480, 230};

TEST(person_signature_valid_for_pdfsig)
{
    struct buf out, report = BUF_INIT(1 << 20);
    CHECK_INT(sign_file(&doc1, "person.p12", person_rect, &png_sig, &out), RES_OK);
    CHECK(out.len > doc1.len);
    CHECK(memcmp(out.data, doc1.data, doc1.len) == 0); /* incremental: original kept */
    CHECK(write_file(pki_path("person.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("person.pdf"), &report), 1);
    CHECK(strstr(report.data, "Nguyễn Văn An") != NULL);
    CHECK(strstr(report.data, "ETSI.CAdES.detached") != NULL);
    CHECK(strstr(report.data, "Total document signed") != NULL);

    /* One byte of page content changed: pdfsig reports the signature invalid. */
    size_t at = doc1.len / 2;
    out.data[at] ^= 0x01;
    CHECK(write_file(pki_path("tampered.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("tampered.pdf"), NULL), 0);
    buf_release(&out);
    buf_release(&report);
}

/* standards.md §6: the agency signature on an attachment shows number, symbol and an
 * ISO 8601 time (+07:00) as text, read back with pdftotext. */
TEST(attachment_signature_shows_number_and_iso_time)
{
    struct key_bundle kb;
    struct pdf_sign_opts o = {0};
    struct buf out = BUF_INIT(64 << 20), text = BUF_INIT(1 << 20);
    CHECK_INT(keys_load_p12(pki_path("agency.p12"), "123456", &kb), RES_OK);
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    const float top_right[4] = {40, 30, 300, 90}; /* an empty area, so the text reads back */
    memcpy(o.rect, top_right, sizeof(o.rect));
    o.page = 1;
    o.number_symbol = "12/QĐ-SKHCN";
    o.image = (const unsigned char *)png_seal.data; /* ignored for attachments */
    o.image_len = png_seal.len;
    CHECK_INT(pdf_sign_document((const unsigned char *)doc1.data, doc1.len, &o, &key, &out),
              RES_OK);
    key_bundle_release(&kb);
    CHECK(write_file(pki_path("attachment.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("attachment.pdf"), NULL), 1);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "pdftotext -f 1 -l 1 '%s' - 2>/dev/null",
             pki_path("attachment.pdf"));
    FILE *p = popen(cmd, "r");
    char chunk[4096];
    size_t n;
    while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(&text, chunk, n);
    if (p)
        pclose(p);
    buf_putc(&text, '\0');
    CHECK(strstr(text.data, "Số, ký hiệu: 12/QĐ-SKHCN") != NULL);
    CHECK(strstr(text.data, "Sở Khoa học và Công nghệ") != NULL);
    static const char prefix[] = "Thời gian ký: ";
    const char *t = strstr(text.data, prefix);
    CHECK(t != NULL);
    if (t) /* 2026-11-22T10:05:00+07:00 */
        t += sizeof(prefix) - 1;
    CHECK(t && strlen(t) >= 25 && t[4] == '-' && t[10] == 'T' && strncmp(t + 19, "+07:00", 6) == 0);
    buf_release(&out);
    buf_release(&text);
}

TEST(agency_seal_keeps_person_signature_valid)
{
    struct buf person, both, report = BUF_INIT(1 << 20);
    float seal[4];
    pdf_sign_seal_rect(person_rect, 0, seal);
    CHECK(seal[2] > person_rect[0] && seal[2] < person_rect[2]);
    CHECK_INT(sign_file(&doc1, "person.p12", person_rect, &png_sig, &person), RES_OK);
    CHECK_INT(sign_file(&person, "agency.p12", seal, &png_seal, &both), RES_OK);
    CHECK(memcmp(both.data, person.data, person.len) == 0);
    CHECK(write_file(pki_path("both.pdf"), both.data, both.len));
    CHECK_INT(pdfsig_valid_count(pki_path("both.pdf"), &report), 2);
    CHECK_INT(pdfsig_count(report.data), 2);
    buf_release(&person);
    buf_release(&both);
    buf_release(&report);
}

TEST(two_step_and_signer_process)
{
    struct key_bundle kb;
    struct pdf_sign_prepared p;
    struct pdf_sign_opts o = {0};
    struct buf out, report = BUF_INIT(1 << 20);
    unsigned char *sig = NULL;
    size_t sig_len = 0;

    /* Step 1 on the server with only the certificate; step 2 by the key holder. */
    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    CHECK_INT(pdf_sign_prepare((unsigned char *)doc1.data, doc1.len, &o, kb.cert, kb.chain, &p),
              RES_OK);
    CHECK_INT(keys_sign_digest(kb.key, p.attrs_digest, 32, &sig, &sig_len), RES_OK);
    CHECK_INT(pdf_sign_finish(&p, kb.cert, kb.chain, sig, sig_len, &out), RES_OK);
    CHECK(write_file(pki_path("twostep.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("twostep.pdf"), NULL), 1);
    buf_release(&out);
    /* A changed prepared document is refused. */
    p.pdf.data[10] ^= 1;
    CHECK_INT(pdf_sign_finish(&p, kb.cert, kb.chain, sig, sig_len, &out), RES_CONFLICT);
    free(sig);
    pdf_sign_prepared_release(&p);
    key_bundle_release(&kb);

    /* Through the signer process: this request path never holds the key. */
    struct signer s;
    X509 *cert;
    STACK_OF(X509) * chain;
    signer_init(&s);
    CHECK_INT(signer_start(&s, pki_dir()), RES_OK);
    CHECK_INT(signer_certs(&s, "agency.p12", "123456", &cert, &chain), RES_OK);
    struct signer_key sk = {.signer = &s, .key = "agency.p12", .pin = "123456"};
    struct pdf_sign_key key = {
        .cert = cert, .chain = chain, .sign = signer_cms_sign, .sign_arg = &sk};
    CHECK_INT(pdf_sign_document((unsigned char *)doc1.data, doc1.len, &o, &key, &out), RES_OK);
    CHECK(write_file(pki_path("signer.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("signer.pdf"), &report), 1);
    CHECK(strstr(report.data, "Sở Khoa học và Công nghệ tỉnh Lạng Sơn") != NULL);
    buf_release(&out);
    sk.pin = "000000";
    CHECK_INT(pdf_sign_document((unsigned char *)doc1.data, doc1.len, &o, &key, &out),
              RES_FORBIDDEN);
    signer_release(&s);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    buf_release(&report);
}

TEST(bad_input_refused)
{
    struct buf out;
    float off_page[4] = {0, 0, 0.5f, 0.5f};
    struct buf junk = BUF_INIT(64);
    buf_puts(&junk, "%PDF-1.7\nthis is not a pdf");
    CHECK_INT(sign_file(&junk, "person.p12", NULL, NULL, &out), RES_INVALID);
    CHECK_INT(sign_file(&doc1, "person.p12", off_page, NULL, &out), RES_INVALID);
    buf_release(&junk);
}

int main(void)
{
    if (!make_test_pdf(1, &doc1) || !read_file("../fixtures/pdf/signature.png", &png_sig) ||
        !read_file("../fixtures/pdf/seal.png", &png_seal)) {
        fprintf(stderr, "fixtures missing\n");
        return 2;
    }
    write_file(pki_path("doc1.pdf"), doc1.data, doc1.len);
    RUN(person_signature_valid_for_pdfsig);
    RUN(agency_seal_keeps_person_signature_valid);
    RUN(attachment_signature_shows_number_and_iso_time);
    RUN(two_step_and_signer_process);
    RUN(bad_input_refused);
    buf_release(&doc1);
    buf_release(&png_sig);
    buf_release(&png_seal);
    pki_cleanup();
    return CHECK_DONE("test_pdf_sign");
}
