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

/* The output of a command, NUL-terminated. */
static void run_cmd(const char *fmt, const char *path, struct buf *out)
{
    char cmd[512];
    char chunk[4096];
    size_t n;
    snprintf(cmd, sizeof(cmd), fmt, path);
    FILE *p = popen(cmd, "r");
    while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(out, chunk, n);
    if (p)
        pclose(p);
    buf_putc(out, '\0');
}

/* A one-page document as small as a scanned-free text page gets: 50 lines in the
 * standard Times, not embedded (what bench/sign.sh signs). */
static void small_pdf(struct buf *out)
{
    struct buf content = BUF_INIT(1 << 16);
    size_t offs[4];
    for (int i = 0; i < 50; i++)
        buf_printf(&content,
                   "BT /F1 11 Tf 70 %d Td (Dieu %d. Noi dung van ban thu nghiem.) Tj ET\n",
                   780 - 14 * i, i);
    buf_puts(out, "%PDF-1.7\n");
    offs[0] = out->len;
    buf_puts(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offs[1] = out->len;
    buf_puts(out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    offs[2] = out->len;
    buf_puts(out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
                  "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >> >> >> "
                  "/Contents 4 0 R >>\nendobj\n");
    offs[3] = out->len;
    buf_printf(out, "4 0 obj\n<< /Length %zu >>\nstream\n", content.len);
    buf_append(out, content.data, content.len);
    buf_puts(out, "\nendstream\nendobj\n");
    size_t xref = out->len;
    buf_puts(out, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 0; i < 4; i++)
        buf_printf(out, "%010zu 00000 n \n", offs[i]);
    buf_printf(out, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    buf_release(&content);
}

/* Issue 12: the text appearance (standards.md §6: the agency signature of attachments
 * and copies is text) embeds a subset of its font, not the whole 575 KB Noto Serif —
 * still embedded, as §11's PDF/A for long-term preservation needs; a signed one-page
 * document stays under 60 KB, person and agency signature together too, and the
 * Vietnamese text (TCVN 6909, §11) extracts as written. */
TEST(text_appearance_small_and_extractable)
{
    struct buf in = BUF_INIT(1 << 20), one, two, text = BUF_INIT(1 << 20),
               fonts = BUF_INIT(1 << 16);
    const float empty_area[4] = {300, 40, 560, 120}; /* below the text lines */
    small_pdf(&in);
    CHECK_INT(sign_file(&in, "person.p12", empty_area, NULL, &one), RES_OK);
    CHECK(one.len < 60 * 1024);
    CHECK(write_file(pki_path("text.pdf"), one.data, one.len));
    CHECK_INT(pdfsig_valid_count(pki_path("text.pdf"), NULL), 1);
    run_cmd("pdftotext -f 1 -l 1 '%s' - 2>/dev/null", pki_path("text.pdf"), &text);
    CHECK(strstr(text.data, "Ký bởi: Nguyễn Văn An") != NULL);
    CHECK(strstr(text.data, "Lý do: Phê duyệt văn bản") != NULL);
    run_cmd("pdffonts '%s' 2>/dev/null", pki_path("text.pdf"), &fonts);
    /* name  type  encoding  emb sub uni */
    const char *f = strstr(fonts.data, "+NotoSerif");
    CHECK(f != NULL);
    CHECK(f && strstr(f, "CID TrueType") && strstr(f, "yes yes yes"));
    float seal[4];
    pdf_sign_seal_rect(empty_area, 0, seal);
    seal[1] = 20; /* keep it on the page */
    seal[3] = 122;
    CHECK_INT(sign_file(&one, "agency.p12", seal, NULL, &two), RES_OK);
    CHECK(two.len < 60 * 1024);
    CHECK(write_file(pki_path("text2.pdf"), two.data, two.len));
    CHECK_INT(pdfsig_valid_count(pki_path("text2.pdf"), NULL), 2);
    buf_release(&in);
    buf_release(&one);
    buf_release(&two);
    buf_release(&text);
    buf_release(&fonts);
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
    RUN(text_appearance_small_and_extractable);
    RUN(two_step_and_signer_process);
    RUN(bad_input_refused);
    buf_release(&doc1);
    buf_release(&png_sig);
    buf_release(&png_seal);
    pki_cleanup();
    return CHECK_DONE("test_pdf_sign");
}
