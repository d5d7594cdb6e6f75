/* XML-DSig of edXML packages (standards.md §10: the Signature is enveloped in
 * edXMLHeader; §5: origin and integrity are checked on receipt). Keys come from a
 * throwaway CA made with the openssl CLI; xmlsec1's own CLI cross-checks our output. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/alloc.h"
#include "xml/edxml.h"
#include "xml/xmldsig.h"

static char dir[64];

static int sh(const char *fmt, const char *arg)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg, arg, arg);
    return system(cmd);
}

static bool make_pki(void)
{
    snprintf(dir, sizeof(dir), "/tmp/qlvb-dsig-XXXXXX");
    if (!mkdtemp(dir))
        return false;
    const char *steps[] = {
        "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=QLVB Test CA' >/dev/null 2>&1",
        "cd %s && openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr "
        "-subj '/CN=Van thu UBND/O=UBND tinh Quang Binh' >/dev/null 2>&1",
        "cd %s && printf 'basicConstraints=CA:FALSE\\nkeyUsage=digitalSignature,nonRepudiation\\n'"
        " > ext && openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out leaf.pem -days 2 -extfile ext >/dev/null 2>&1",
        "cd %s && openssl pkcs12 -export -inkey leaf.key -in leaf.pem -certfile ca.pem "
        "-passout pass:matkhau -out leaf.p12 >/dev/null 2>&1",
        "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem "
        "-days 2 -subj '/CN=Other CA' >/dev/null 2>&1",
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (sh(steps[i], dir) != 0)
            return false;
    return true;
}

static char *path_of(const char *name)
{
    static char p[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
    return p[k];
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT(64u << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, len);
}

static void write_all(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, strlen(data), f);
    fclose(f);
}

static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (!at)
        return xstrdup(s);
    size_t pre = (size_t)(at - s), n = strlen(s) - strlen(from) + strlen(to);
    char *out = xmalloc(n + 1);
    memcpy(out, s, pre);
    memcpy(out + pre, to, strlen(to));
    memcpy(out + pre + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
    return out;
}

/* Replaces inside our XML-DSig Signature: the samples carry an older illustrative
 * Signature (edXML namespace) with the same element names earlier in the file. */
static char *replace_sig(const char *s, const char *from, const char *to)
{
    const char *sig = strstr(s, "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">");
    if (!sig)
        return xstrdup(s);
    char *tail = replace(sig, from, to);
    size_t pre = (size_t)(sig - s);
    char *out = xmalloc(pre + strlen(tail) + 1);
    memcpy(out, s, pre);
    memcpy(out + pre, tail, strlen(tail) + 1);
    free(tail);
    return out;
}

static struct xmldsig_key *key;
static char *signed_doc;

/* A status package with a document package's attachment, signed with the leaf key. */
static char *sign_sample(const char *sample)
{
    char why[256];
    struct buf out = BUF_INIT(64u << 20);
    size_t len;
    char *in = read_all(sample, &len);
    CHECK(in != NULL);
    result_t r = edxml_sign(in, len, key, &out, why, sizeof(why));
    if (r != RES_OK)
        fprintf(stderr, "sign: %s\n", why);
    CHECK_INT(r, RES_OK);
    free(in);
    return buf_detach(&out, NULL);
}

static result_t verify_str(const char *xml, const char *ca, struct xmldsig_result *res)
{
    struct xmldsig_verify_opts o = {.trusted_pem = ca};
    xmldsig_result_init(res);
    return xmldsig_verify(xml, strlen(xml), &o, res);
}

static void expect_bad(const char *xml, const char *needle)
{
    struct xmldsig_result res;
    CHECK(verify_str(xml, NULL, &res) != RES_OK);
    if (!strstr(res.reason, needle)) {
        fprintf(stderr, "reason '%s' lacks '%s'\n", res.reason, needle);
        CHECK(0);
    }
    CHECK(res.signer == NULL);
    xmldsig_result_release(&res);
}

TEST(sign_and_verify)
{
    char why[256];
    CHECK_INT(xmldsig_key_load_pem(&key, path_of("leaf.key"), path_of("leaf.pem"), NULL, why,
                                   sizeof(why)),
              RES_OK);
    signed_doc = sign_sample("../../../shared/samples/edxml/edoc_revocation.edxml");
    CHECK(strstr(signed_doc, "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"));
    CHECK(strstr(signed_doc, "xmldsig-more#rsa-sha256"));
    struct xmldsig_result res;
    CHECK_INT(verify_str(signed_doc, NULL, &res), RES_OK);
    CHECK(res.signer != NULL);
    CHECK(strstr(res.subject, "CN=Van thu UBND") != NULL);
    X509 *c = xmldsig_result_take_signer(&res);
    CHECK(c != NULL);
    X509_free(c);
    xmldsig_result_release(&res);
    CHECK_INT(verify_str(signed_doc, path_of("ca.pem"), &res), RES_OK);
    xmldsig_result_release(&res);
    /* An untrusted CA: the chain check fails. */
    CHECK(verify_str(signed_doc, path_of("other.pem"), &res) != RES_OK);
    xmldsig_result_release(&res);
    /* Still a valid edXML package after signing. */
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    CHECK_INT(edxml_parse(signed_doc, strlen(signed_doc), NULL, &p, &is), RES_OK);
    CHECK(p.has_signature);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    /* Signing twice is refused. */
    struct buf out = BUF_INIT(64u << 20);
    CHECK_INT(edxml_sign(signed_doc, strlen(signed_doc), key, &out, why, sizeof(why)),
              RES_CONFLICT);
    buf_release(&out);
}

/* The reference tool agrees: xmlsec1 --verify with the CA as trusted PEM. */
TEST(xmlsec1_cli_agrees)
{
    write_all(path_of("signed.edxml"), signed_doc);
    CHECK_INT(sh("xmlsec1 --verify --trusted-pem %s/ca.pem %s/signed.edxml >/dev/null 2>&1", dir),
              0);
    char *t = replace(signed_doc, "Thu hồi văn bản điện tử", "Thu hoi van ban dien tu");
    write_all(path_of("tampered.edxml"), t);
    CHECK(sh("xmlsec1 --verify --trusted-pem %s/ca.pem %s/tampered.edxml >/dev/null 2>&1", dir) !=
          0);
    free(t);
}

TEST(pkcs12_key)
{
    char why[256];
    struct xmldsig_key *k = NULL, *bad = NULL;
    CHECK(xmldsig_key_load_pkcs12(&bad, path_of("leaf.p12"), "sai", why, sizeof(why)) != RES_OK);
    CHECK(bad == NULL);
    CHECK_INT(xmldsig_key_load_pkcs12(&k, path_of("leaf.p12"), "matkhau", why, sizeof(why)),
              RES_OK);
    struct xmldsig_key *saved = key;
    key = k;
    char *s = sign_sample("../../../shared/samples/edxml/status_finish_06.edxml");
    key = saved;
    struct xmldsig_result res;
    CHECK_INT(verify_str(s, path_of("ca.pem"), &res), RES_OK);
    xmldsig_result_release(&res);
    free(s);
    xmldsig_key_free(k);
}

TEST(tampering_detected)
{
    char *t = replace(signed_doc, "UBND Tỉnh Cao Bằng", "UBND Tỉnh Cao Bằng ");
    expect_bad(t, "gói tin đã bị thay đổi");
    free(t);
    /* One base64 character of the attachment. */
    t = xstrdup(signed_doc);
    char *enc = strstr(strstr(t, "ContentTransferEncoded"), ">") + 200;
    *enc = *enc == 'A' ? 'B' : 'A';
    expect_bad(t, "gói tin đã bị thay đổi");
    free(t);
}

/* Signature wrapping and reference tricks: only one Signature, one Reference, URI="". */
TEST(wrapping_and_references_refused)
{
    char *t =
        replace_sig(signed_doc, "<Reference URI=\"\">", "<Reference URI=\"http://127.0.0.1:9/x\">");
    expect_bad(t, "URI 'http://127.0.0.1:9/x' không được phép");
    free(t);
    t = replace_sig(signed_doc, "<Reference URI=\"\">", "<Reference URI=\"file:///etc/passwd\">");
    expect_bad(t, "không được phép");
    free(t);
    t = replace_sig(signed_doc, "<Reference URI=\"\">", "<Reference URI=\"#body\">");
    char *t2 = replace(t, "<edXML:edXMLBody>", "<edXML:edXMLBody Id=\"body\">");
    expect_bad(t2, "URI '#body' không được phép");
    free(t);
    free(t2);
    t = replace_sig(signed_doc, "<Reference URI=\"\">", "<Reference>");
    expect_bad(t, "URI '(không có)'");
    free(t);
    /* A second signature (wrapping): refused before any verification. */
    const char *s0 = strstr(signed_doc, "<Signature xmlns");
    const char *s1 = strstr(s0, "</Signature>") + strlen("</Signature>");
    char *sig = xstrndup(s0, (size_t)(s1 - s0));
    struct buf b = BUF_INIT(64u << 20);
    buf_append(&b, signed_doc, (size_t)(s1 - signed_doc));
    buf_puts(&b, sig);
    buf_puts(&b, s1);
    expect_bad(buf_str(&b), "nhiều hơn một chữ ký");
    buf_release(&b);
    /* Original content moved aside, forged content in its place: digest fails. */
    t = replace(signed_doc, "<edXML:Subject>", "<edXML:Subject>GIẢ MẠO ");
    expect_bad(t, "gói tin đã bị thay đổi");
    free(t);
    free(sig);
}

TEST(algorithms_and_keyinfo_allow_listed)
{
    char *t = replace_sig(signed_doc, "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                          "http://www.w3.org/TR/1999/REC-xpath-19991116");
    expect_bad(t, "phép biến đổi 'http://www.w3.org/TR/1999/REC-xpath-19991116'");
    free(t);
    /* A parameter inside an allowed transform (XPath smuggled into C14N). */
    t = replace_sig(signed_doc, "xmldsig#enveloped-signature\"/>",
                    "xmldsig#enveloped-signature\"><XPath>not(ancestor-or-self::x)</XPath>"
                    "</Transform>");
    expect_bad(t, "Reference/Transforms");
    free(t);
    t = replace_sig(signed_doc, "xmldsig-more#rsa-sha256", "xmldsig-more#hmac-sha256");
    expect_bad(t, "SignatureMethod");
    free(t);
    t = replace_sig(signed_doc, "<X509Data>",
                    "<RetrievalMethod URI=\"http://127.0.0.1:9/k\"/><X509Data>");
    expect_bad(t, "KeyInfo: chỉ chấp nhận X509Data, gặp 'RetrievalMethod'");
    free(t);
    t = replace_sig(signed_doc, "<X509Certificate>", "<X509Certificate>AAAA");
    expect_bad(t, "chứng thư hỏng");
    free(t);
}

/* The samples' signatures are illustrative: in the edXML namespace, so not XML-DSig. */
TEST(sample_signatures_not_verifiable)
{
    struct xmldsig_result res;
    xmldsig_result_init(&res);
    CHECK(xmldsig_verify_file("../../../shared/samples/edxml/edoc_new.edxml", NULL, &res) !=
          RES_OK);
    CHECK(strstr(res.reason, "không có chữ ký XML-DSig") != NULL);
    xmldsig_result_release(&res);
    /* Put it in the right namespace: the truncated certificate is then caught. */
    size_t len;
    char *s = read_all("../../../shared/samples/edxml/edoc_update.edxml", &len);
    char *t = replace(s, "<Signature>", "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">");
    /* Another flaw: the exclusive C14N URI is misspelt (TR/xml-exc-c14n#). */
    expect_bad(t, "phép biến đổi 'http://www.w3.org/TR/xml-exc-c14n#' không được phép");
    char *t2 =
        replace(t, "http://www.w3.org/TR/xml-exc-c14n#", "http://www.w3.org/2001/10/xml-exc-c14n#");
    expect_bad(t2, "KeyInfo/X509Data/X509Certificate: chứng thư hỏng");
    free(t2);
    free(t);
    /* edoc.edxml has a real XML-DSig Signature (RSA-SHA1) that no longer matches. */
    xmldsig_result_init(&res);
    CHECK(xmldsig_verify_file("../../../shared/samples/edxml/edoc.edxml", NULL, &res) != RES_OK);
    xmldsig_result_release(&res);
    free(s);
    expect_bad("<a/>", "không có chữ ký XML-DSig");
    expect_bad("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", "DOCTYPE");
}

int main(void)
{
    if (!make_pki()) {
        fprintf(stderr, "openssl CLI unavailable: cannot make test keys\n");
        return 1;
    }
    RUN(sign_and_verify);
    RUN(xmlsec1_cli_agrees);
    RUN(pkcs12_key);
    RUN(tampering_detected);
    RUN(wrapping_and_references_refused);
    RUN(algorithms_and_keyinfo_allow_listed);
    RUN(sample_signatures_not_verifiable);
    xmldsig_key_free(key);
    free(signed_doc);
    sh("rm -rf %s", dir);
    return CHECK_DONE("test_xmldsig");
}
