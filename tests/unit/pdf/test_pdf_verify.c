/* PDF verification as a reader of a signed document sees it: valid signatures with
 * signer and organisation; one changed byte; a change appended after signing; a second
 * signature that keeps the first valid; untrusted, expired and revoked certificates. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "crypto/certstore.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/tsa_fixture.h"
#include "pdf/pdf_fixture.h"
#include "pdf/pdf_sign.h"
#include "pdf/pdf_stamp.h"
#include "pdf/pdf_util.h"
#include "pdf/pdf_verify.h"
#include "util/log.h"

static struct buf doc1, png_sig, png_seal;
static struct certstore trust;

static result_t sign_local(void *arg, const unsigned char digest[32], unsigned char **sig,
                           size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

static const float person_rect[4] = {340, 130, 480, 230};

static int sign_as(const struct buf *in, const char *p12, const float *rect,
                   const struct buf *image, struct buf *out)
{
    struct key_bundle kb;
    struct pdf_sign_opts o = {0};
    if (keys_load_p12(pki_path(p12), "123456", &kb) != RES_OK)
        return 0;
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    if (rect)
        memcpy(o.rect, rect, sizeof(o.rect));
    if (image) {
        o.image = (const unsigned char *)image->data;
        o.image_len = image->len;
    }
    o.reason = "Ký ban hành";
    result_t r = pdf_sign_document((const unsigned char *)in->data, in->len, &o, &key, out);
    key_bundle_release(&kb);
    return r == RES_OK;
}

static void verify(const struct buf *b, struct pdf_verify_result *r)
{
    CHECK_INT(pdf_verify_document((const unsigned char *)b->data, b->len, &trust, 0, r), RES_OK);
}

/* Appends an incremental update that replaces page 1's content. */
static int append_page_change(const struct buf *in, struct buf *out)
{
    int ok = 0;
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    pdf_document *doc = NULL;
    fz_buffer *fb = NULL, *nc = NULL;
    fz_output *o = NULL;
    fz_var(doc);
    fz_var(fb);
    fz_var(nc);
    fz_var(o);
    fz_var(ok);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, (const unsigned char *)in->data, in->len);
        pdf_obj *page = pdf_lookup_page_obj(ctx, doc, 0);
        nc = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)"BT ET", 5);
        pdf_update_stream(ctx, doc, pdf_dict_get(ctx, page, PDF_NAME(Contents)), nc, 0);
        fb = fz_new_buffer(ctx, in->len + 4096);
        o = pdf_util_output(ctx, fb);
        pdf_write_options wo = pdf_default_write_options;
        wo.do_incremental = 1;
        pdf_write_document(ctx, doc, o, &wo);
        fz_close_output(ctx, o);
        ok = pdf_util_to_buf(fb, out) == RES_OK;
    }
    fz_always(ctx)
    {
        fz_drop_output(ctx, o);
        fz_drop_buffer(ctx, fb);
        fz_drop_buffer(ctx, nc);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx) fprintf(stderr, "append_page_change: %s\n", fz_caught_message(ctx));
    fz_drop_context(ctx);
    return ok;
}

TEST(one_valid_signature)
{
    struct buf signed1, text = BUF_INIT(1 << 16);
    struct pdf_verify_result r;
    CHECK(sign_as(&doc1, "person.p12", person_rect, &png_sig, &signed1));
    verify(&signed1, &r);
    CHECK(r.parsed && r.all_valid);
    CHECK_INT(r.count, 1);
    if (r.count == 1) {
        const struct pdf_sig_info *s = &r.sigs[0];
        CHECK_STR(s->signer_cn, "Nguyễn Văn An");
        CHECK_STR(s->signer_o, "Sở Khoa học và Công nghệ");
        CHECK_STR(s->issuer_cn, "QLVB Test Issuing CA");
        CHECK_STR(s->subfilter, "ETSI.CAdES.detached");
        CHECK_STR(s->reason, "Ký ban hành");
        CHECK(s->digest_ok && s->covers_whole_file && !s->modified_after);
        CHECK_INT(s->cert, CERT_OK);
        CHECK(s->revocation_checked);
        CHECK(llabs(s->signing_time - (int64_t)time(NULL)) < 120);
    }
    CHECK_INT(pdf_verify_format(&r, &text), RES_OK);
    CHECK(strstr(text.data, "HỢP LỆ") && strstr(text.data, "Người ký: Nguyễn Văn An"));
    json_t *j = pdf_verify_to_json(&r);
    char *js = json_dumps(j, JSON_COMPACT);
    CHECK(strstr(js, "\"all_valid\":true") && strstr(js, "\"certificate\":\"ok\""));
    free(js);
    json_decref(j);
    pdf_verify_result_release(&r);

    /* One byte of the signed content changed: our verifier and pdfsig both refuse. */
    signed1.data[doc1.len / 3] ^= 0x20;
    verify(&signed1, &r);
    CHECK_INT(r.count, 1);
    CHECK(!r.all_valid && r.count == 1 && !r.sigs[0].digest_ok && !r.sigs[0].valid);
    CHECK(write_file(pki_path("v-tampered.pdf"), signed1.data, signed1.len));
    CHECK_INT(pdfsig_valid_count(pki_path("v-tampered.pdf"), NULL), 0);
    pdf_verify_result_release(&r);
    buf_release(&signed1);
    buf_release(&text);
}

TEST(second_signature_keeps_first_valid)
{
    struct buf a, b, c;
    struct pdf_verify_result r;
    float seal[4];
    pdf_sign_seal_rect(person_rect, 0, seal);
    CHECK(sign_as(&doc1, "person.p12", person_rect, &png_sig, &a));
    CHECK(sign_as(&a, "agency.p12", seal, &png_seal, &b));
    verify(&b, &r);
    CHECK_INT(r.count, 2);
    CHECK(r.all_valid);
    if (r.count == 2) {
        CHECK(!r.sigs[0].covers_whole_file && !r.sigs[0].modified_after && r.sigs[0].valid);
        CHECK(r.sigs[1].covers_whole_file && r.sigs[1].valid);
        CHECK_STR(r.sigs[1].signer_cn, "Sở Khoa học và Công nghệ tỉnh Lạng Sơn");
    }
    pdf_verify_result_release(&r);

    /* Page content replaced in a later update: the bytes signed are intact, but the
     * document shown is no longer what was signed. */
    CHECK(append_page_change(&b, &c));
    verify(&c, &r);
    CHECK_INT(r.count, 2);
    CHECK(!r.all_valid);
    for (size_t i = 0; i < r.count; i++)
        CHECK(r.sigs[i].digest_ok && r.sigs[i].modified_after && !r.sigs[i].valid);
    pdf_verify_result_release(&r);
    buf_release(&a);
    buf_release(&b);
    buf_release(&c);
}

static enum cert_status status_for(const char *p12, const struct certstore *cs)
{
    struct buf s;
    struct pdf_verify_result r;
    enum cert_status st = CERT_INVALID;
    CHECK(sign_as(&doc1, p12, NULL, NULL, &s));
    CHECK_INT(pdf_verify_document((const unsigned char *)s.data, s.len, cs, 0, &r), RES_OK);
    CHECK_INT(r.count, 1);
    if (r.count == 1) {
        st = r.sigs[0].cert;
        CHECK(r.sigs[0].digest_ok);
        CHECK(!r.all_valid || st == CERT_OK);
    }
    pdf_verify_result_release(&r);
    buf_release(&s);
    return st;
}

TEST(certificate_problems_reported)
{
    CHECK_INT(status_for("stranger.p12", &trust), CERT_UNTRUSTED);
    CHECK_INT(status_for("expired.p12", &trust), CERT_EXPIRED);
    CHECK_INT(status_for("revoked.p12", &trust), CERT_REVOKED);
    CHECK_INT(status_for("person.p12", NULL), CERT_UNTRUSTED);
}

/* The outgoing workflow: signer, then number and date, then the agency seal. */
TEST(stamp_between_signatures)
{
    struct buf a, b, c, text = BUF_INIT(1 << 16);
    struct pdf_verify_result r;
    float seal[4];
    pdf_sign_seal_rect(person_rect, 0, seal);
    CHECK(sign_as(&doc1, "person.p12", person_rect, &png_sig, &a));
    CHECK_INT(pdf_stamp_document((unsigned char *)a.data, a.len, "12/QĐ-UBND", 2026, 2, 5, &b),
              RES_OK);
    CHECK(b.len > a.len && memcmp(a.data, b.data, a.len) == 0);
    CHECK(sign_as(&b, "agency.p12", seal, &png_seal, &c));
    /* The stamp embeds a subset of Noto Serif (the number's and the date's characters),
     * not a whole font: the whole base-14 Times made it +47 KB, the subset about +9 KB
     * (issue 12 "Signing speed": a signed one-page document under 60 KB). */
    CHECK(b.len - a.len < 16 * 1024);
    verify(&c, &r);
    CHECK_INT(r.count, 2);
    CHECK(r.all_valid);
    if (r.count == 2) {
        CHECK_INT(r.sigs[0].change, PDF_CHANGE_ANNOTATIONS);
        CHECK_INT(r.sigs[1].change, PDF_CHANGE_NONE);
    }
    pdf_verify_format(&r, &text);
    CHECK(strstr(text.data, "chú thích (số, ngày văn bản)") != NULL);
    CHECK(write_file(pki_path("stamped.pdf"), c.data, c.len));
    CHECK_INT(pdfsig_valid_count(pki_path("stamped.pdf"), NULL), 2);
    /* The stamped text is on the page, Vietnamese letters included. */
    char cmd[512], line[512];
    int found = 0;
    snprintf(cmd, sizeof(cmd), "pdftotext -f 1 -l 1 '%s' - 2>/dev/null", pki_path("stamped.pdf"));
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof(line), p))
        found |= (strstr(line, "12") && strstr(line, "QĐ-UBND")) ? 1 : 0;
    if (p)
        pclose(p);
    CHECK(found);
    /* No "Số:" on the page: refused. */
    struct buf x;
    struct buf junk = BUF_INIT(64);
    CHECK_INT(pdf_stamp_document((unsigned char *)doc1.data, doc1.len, "", 2026, 2, 5, &x),
              RES_INVALID);
    buf_puts(&junk, "%PDF-1.4 junk");
    CHECK(pdf_stamp_document((unsigned char *)junk.data, junk.len, "1/QĐ", 2026, 2, 5, &x) !=
          RES_OK);
    buf_release(&junk);
    pdf_verify_result_release(&r);
    buf_release(&a);
    buf_release(&b);
    buf_release(&c);
    buf_release(&text);
}

/* `qlvb serve` verifies and signs on request threads: one MuPDF context per call. */
static struct buf shared_doc;
static void *verify_worker(void *arg)
{
    int *ok = arg;
    for (int i = 0; i < 6; i++) {
        struct pdf_verify_result r;
        struct buf out;
        pdf_verify_document((const unsigned char *)shared_doc.data, shared_doc.len, &trust, 0, &r);
        *ok += r.all_valid && r.count == 2;
        pdf_verify_result_release(&r);
        if (i == 0 && sign_as(&shared_doc, "agency.p12", NULL, NULL, &out)) {
            *ok += 1;
            buf_release(&out);
        }
    }
    return NULL;
}

TEST(concurrent_calls)
{
    struct buf a;
    pthread_t th[4];
    int ok[4] = {0};
    CHECK(sign_as(&doc1, "person.p12", person_rect, &png_sig, &a));
    CHECK(sign_as(&a, "agency.p12", NULL, NULL, &shared_doc));
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, verify_worker, &ok[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(ok[i], 7);
    }
    buf_release(&a);
    buf_release(&shared_doc);
}

/* PAdES B-T: the signature carries an RFC 3161 time-stamp; pdfsig still accepts it. */
TEST(timestamped_signature)
{
    struct key_bundle kb;
    struct test_tsa tsa = {0};
    struct pdf_sign_opts o = {0};
    struct buf out, text = BUF_INIT(1 << 16), report = BUF_INIT(1 << 16);
    struct pdf_verify_result r;
    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    CHECK_INT(keys_load_p12(pki_path("tsa.p12"), "123456", &tsa.kb), RES_OK);
    struct pdf_sign_key key = {kb.cert, kb.chain, sign_local, kb.key, test_tsa_answer, &tsa};
    CHECK_INT(pdf_sign_document((unsigned char *)doc1.data, doc1.len, &o, &key, &out), RES_OK);
    CHECK_INT(tsa.calls, 1);
    verify(&out, &r);
    CHECK(r.all_valid && r.count == 1);
    if (r.count == 1) {
        CHECK(r.sigs[0].has_timestamp && r.sigs[0].timestamp_ok);
        CHECK(llabs(r.sigs[0].timestamp_time - (int64_t)time(NULL)) < 60);
        CHECK_STR(r.sigs[0].tsa_name, "QLVB Test Time-Stamping Authority");
    }
    pdf_verify_format(&r, &text);
    CHECK(strstr(text.data, "Dấu thời gian:") != NULL);
    CHECK(write_file(pki_path("bt.pdf"), out.data, out.len));
    CHECK_INT(pdfsig_valid_count(pki_path("bt.pdf"), &report), 1);
    pdf_verify_result_release(&r);
    buf_release(&out);

    /* A TSA whose root is not trusted makes the signature invalid, not silently B-B. */
    struct certstore only_crl;
    certstore_init(&only_crl);
    CHECK_INT(pdf_sign_document((unsigned char *)doc1.data, doc1.len, &o, &key, &out), RES_OK);
    CHECK_INT(pdf_verify_document((unsigned char *)out.data, out.len, &only_crl, 0, &r), RES_OK);
    CHECK(r.count == 1 && r.sigs[0].has_timestamp && !r.sigs[0].timestamp_ok && !r.all_valid);
    pdf_verify_result_release(&r);
    certstore_release(&only_crl);
    buf_release(&out);
    buf_release(&text);
    buf_release(&report);
    key_bundle_release(&tsa.kb);
    key_bundle_release(&kb);
}

TEST(field_names_stay_unique)
{
    struct key_bundle kb;
    struct pdf_sign_opts o = {0};
    struct buf a, b;
    struct pdf_verify_result r;
    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    o.field_name = "KyDuyet";
    CHECK_INT(pdf_sign_document((unsigned char *)doc1.data, doc1.len, &o, &key, &a), RES_OK);
    CHECK_INT(pdf_sign_document((unsigned char *)a.data, a.len, &o, &key, &b), RES_OK);
    verify(&b, &r);
    CHECK_INT(r.count, 2);
    if (r.count == 2) {
        CHECK_STR(r.sigs[0].field, "KyDuyet");
        CHECK(strcmp(r.sigs[1].field, "KyDuyet") != 0);
    }
    CHECK(r.all_valid);
    pdf_verify_result_release(&r);
    buf_release(&a);
    buf_release(&b);
    key_bundle_release(&kb);
}

TEST(unsigned_and_garbage)
{
    struct pdf_verify_result r;
    struct buf text = BUF_INIT(4096);
    verify(&doc1, &r);
    CHECK(r.parsed && r.count == 0 && !r.all_valid);
    pdf_verify_format(&r, &text);
    CHECK(strstr(text.data, "không có chữ ký số") != NULL);
    pdf_verify_result_release(&r);
    CHECK_INT(pdf_verify_document((const unsigned char *)"garbage", 7, &trust, 0, &r), RES_OK);
    CHECK(!r.parsed && !r.all_valid);
    pdf_verify_result_release(&r);
    buf_release(&text);
}

int main(void)
{
    if (!make_test_pdf(1, &doc1) || !read_file("../fixtures/pdf/signature.png", &png_sig) ||
        !read_file("../fixtures/pdf/seal.png", &png_seal))
        return 2;
    if (getenv("QLVB_DEBUG"))
        log_set_level(LOG_DEBUG);
    certstore_init(&trust);
    if (certstore_add_dir(&trust, pki_path("trust")) != RES_OK ||
        certstore_add_crl_file(&trust, pki_path("inter.crl.pem")) != RES_OK)
        return 2;
    RUN(one_valid_signature);
    RUN(second_signature_keeps_first_valid);
    RUN(certificate_problems_reported);
    RUN(stamp_between_signatures);
    RUN(concurrent_calls);
    RUN(timestamped_signature);
    RUN(field_names_stay_unique);
    RUN(unsigned_and_garbage);
    certstore_release(&trust);
    buf_release(&doc1);
    buf_release(&png_sig);
    buf_release(&png_seal);
    pki_cleanup();
    return CHECK_DONE("test_pdf_verify");
}
