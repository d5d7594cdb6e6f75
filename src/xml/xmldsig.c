/* XML-DSig signing and hardened verification over xmlsec1-openssl (see xmldsig.h).
 * Verification checks the signature's shape against an allow-list before xmlsec runs,
 * and configures xmlsec with the same allow-list, so a hostile signature cannot make
 * us fetch URLs, run XPath/XSLT transforms or verify a different part of the tree. */
#include "xml/xmldsig.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>

#include "util/alloc.h"
#include "util/base64.h"
#include "xml/edxml.h"
#include "xml/edxml_read.h"

struct xmldsig_key {
    xmlSecKeyPtr key;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool init_ok;
static _Thread_local char last_error[200];

static void on_xmlsec_error(const char *file, int line, const char *func, const char *obj,
                            const char *subj, int reason, const char *msg)
{
    (void)file, (void)line, (void)obj;
    snprintf(last_error, sizeof(last_error), "%s: %s (%d) %s", func ? func : "?", subj ? subj : "",
             reason, msg ? msg : "");
}

static void init(void)
{
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1)
        return;
    if (xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0)
        return;
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    xmlSecErrorsSetCallback(on_xmlsec_error);
    /* No input callbacks at all: a reference can never be fetched from disk or net. */
    xmlSecIOCleanupCallbacks();
    init_ok = true;
}

static bool ensure_init(char *why, size_t whysize)
{
    pthread_once(&init_once, init);
    if (!init_ok)
        snprintf(why, whysize, "không khởi tạo được thư viện xmlsec");
    return init_ok;
}

result_t xmldsig_key_load_pem(struct xmldsig_key **out, const char *key_path, const char *cert_path,
                              const char *password, char *why, size_t whysize)
{
    *out = NULL;
    if (!ensure_init(why, whysize))
        return RES_INTERNAL;
    xmlSecKeyPtr key =
        xmlSecCryptoAppKeyLoad(key_path, xmlSecKeyDataFormatPem, password, NULL, NULL);
    if (!key) {
        snprintf(why, whysize, "không đọc được khoá bí mật PEM %s", key_path);
        return RES_CRYPTO;
    }
    if (xmlSecCryptoAppKeyCertLoad(key, cert_path, xmlSecKeyDataFormatPem) < 0) {
        xmlSecKeyDestroy(key);
        snprintf(why, whysize, "không đọc được chứng thư PEM %s", cert_path);
        return RES_CRYPTO;
    }
    *out = xcalloc(1, sizeof(**out));
    (*out)->key = key;
    return RES_OK;
}

result_t xmldsig_key_load_pkcs12(struct xmldsig_key **out, const char *p12_path,
                                 const char *password, char *why, size_t whysize)
{
    *out = NULL;
    if (!ensure_init(why, whysize))
        return RES_INTERNAL;
    xmlSecKeyPtr key = xmlSecCryptoAppPkcs12Load(p12_path, password ? password : "", NULL, NULL);
    if (!key) {
        snprintf(why, whysize, "không đọc được tệp PKCS#12 %s (sai mật khẩu?)", p12_path);
        return RES_CRYPTO;
    }
    *out = xcalloc(1, sizeof(**out));
    (*out)->key = key;
    return RES_OK;
}

void xmldsig_key_free(struct xmldsig_key *k)
{
    if (!k)
        return;
    xmlSecKeyDestroy(k->key);
    free(k);
}

result_t xmldsig_sign_doc(xmlDocPtr doc, xmlNodePtr parent, const struct xmldsig_key *k, char *why,
                          size_t whysize)
{
    if (!ensure_init(why, whysize))
        return RES_INTERNAL;
    result_t res = RES_CRYPTO;
    xmlSecDSigCtxPtr ctx = NULL;
    xmlNodePtr sig =
        xmlSecTmplSignatureCreate(doc, xmlSecTransformInclC14NId, xmlSecTransformRsaSha256Id, NULL);
    if (!sig) {
        snprintf(why, whysize, "không tạo được mẫu chữ ký");
        goto out;
    }
    xmlAddChild(parent, sig);
    xmlNodePtr ref =
        xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
    xmlNodePtr ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
    xmlNodePtr x509 = ki ? xmlSecTmplKeyInfoAddX509Data(ki) : NULL;
    if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) || !x509 ||
        !xmlSecTmplX509DataAddCertificate(x509)) {
        snprintf(why, whysize, "không tạo được mẫu chữ ký");
        goto out;
    }
    ctx = xmlSecDSigCtxCreate(NULL);
    if (!ctx)
        goto out;
    ctx->signKey = xmlSecKeyDuplicate(k->key);
    if (!ctx->signKey || xmlSecDSigCtxSign(ctx, sig) < 0) {
        snprintf(why, whysize, "ký thất bại (%s)", last_error);
        goto out;
    }
    res = RES_OK;
out:
    if (ctx)
        xmlSecDSigCtxDestroy(ctx);
    if (res != RES_OK && sig) {
        xmlUnlinkNode(sig);
        xmlFreeNode(sig);
    }
    return res;
}

void xmldsig_result_init(struct xmldsig_result *r)
{
    memset(r, 0, sizeof(*r));
    r->res = RES_INVALID;
}

void xmldsig_result_release(struct xmldsig_result *r)
{
    if (r->signer)
        X509_free(r->signer);
    r->signer = NULL;
}

X509 *xmldsig_result_take_signer(struct xmldsig_result *r)
{
    X509 *c = r->signer;
    r->signer = NULL;
    return c;
}

static result_t refuse(struct xmldsig_result *r, result_t res, const char *fmt, const char *arg)
{
    r->res = res;
    snprintf(r->reason, sizeof(r->reason), fmt, arg ? arg : "");
    return res;
}

static bool is_dsig(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           !strcmp((const char *)n->ns->href, XMLDSIG_NS) && !strcmp((const char *)n->name, name);
}

static xmlNodePtr next_el(xmlNodePtr n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static const char *const c14n_algs[] = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
    "http://www.w3.org/2006/12/xml-c14n11#WithComments",
    NULL,
};
static const char *const sig_algs[] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1", /* still used by national axis peers */
    NULL,
};
static const char *const digest_algs[] = {
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
    "http://www.w3.org/2000/09/xmldsig#sha1",
    NULL,
};
#define ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

static bool alg_in(xmlNodePtr n, const char *const *list, char *alg, size_t algsize)
{
    xmlChar *a = xmlGetProp(n, BAD_CAST "Algorithm");
    bool ok = false;
    if (alg)
        snprintf(alg, algsize, "%s", a ? (const char *)a : "");
    for (size_t i = 0; a && list[i] && !ok; i++)
        ok = !strcmp((const char *)a, list[i]);
    xmlFree(a);
    return ok;
}

/* A Transform may only carry exclusive C14N's InclusiveNamespaces (no XPath, XSLT...). */
static bool plain_params(xmlNodePtr t)
{
    for (xmlNodePtr c = next_el(t->children); c; c = next_el(c->next))
        if (!c->ns ||
            strcmp((const char *)c->ns->href, "http://www.w3.org/2001/10/xml-exc-c14n#") ||
            strcmp((const char *)c->name, "InclusiveNamespaces") || next_el(c->children))
            return false;
    return true;
}

/* Counts XML-DSig Signature elements anywhere in the tree (iteratively). */
static size_t count_signatures(xmlNodePtr root, xmlNodePtr *first)
{
    size_t n = 0;
    xmlNodePtr cur = root;
    while (cur) {
        if (is_dsig(cur, "Signature") && n++ == 0)
            *first = cur;
        if (cur->type == XML_ELEMENT_NODE && cur->children) {
            cur = cur->children;
            continue;
        }
        while (cur && !cur->next && cur != root)
            cur = cur->parent;
        if (!cur || cur == root)
            break;
        cur = cur->next;
    }
    return n;
}

#define XMLDSIG_MAX_CERTS 10

static X509 *decode_cert(xmlNodePtr node)
{
    xmlChar *b64 = xmlNodeGetContent(node);
    struct buf der = BUF_INIT(1 << 20);
    struct base64_dec d;
    base64_dec_init(&d, true);
    X509 *cert = NULL;
    if (b64 && base64_dec_feed(&d, (const char *)b64, strlen((const char *)b64), &der) == RES_OK &&
        base64_dec_finish(&d) == RES_OK && der.len) {
        const unsigned char *p = (const unsigned char *)der.data;
        cert = d2i_X509(NULL, &p, (long)der.len);
    }
    xmlFree(b64);
    buf_release(&der);
    return cert;
}

/* The shape check: everything that xmlsec would otherwise interpret for an attacker. */
static result_t check_shape(xmlDocPtr doc, xmlNodePtr sig, struct xmldsig_result *r, X509 **certs,
                            size_t *ncerts)
{
    char alg[128];
    xmlNodePtr si = next_el(sig->children);
    if (!is_dsig(si, "SignedInfo"))
        return refuse(r, RES_INVALID, "Signature: thiếu SignedInfo%s", NULL);
    xmlNodePtr c14n = next_el(si->children);
    if (!is_dsig(c14n, "CanonicalizationMethod") || !alg_in(c14n, c14n_algs, alg, sizeof(alg)))
        return refuse(r, RES_INVALID,
                      "SignedInfo/CanonicalizationMethod: thuật toán '%s' không "
                      "được phép",
                      alg);
    xmlNodePtr sm = next_el(c14n->next);
    if (!is_dsig(sm, "SignatureMethod") ||
        !alg_in(sm, sig_algs, r->algorithm, sizeof(r->algorithm)))
        return refuse(r, RES_INVALID,
                      "SignedInfo/SignatureMethod: thuật toán '%s' không được "
                      "phép",
                      r->algorithm);
    size_t nref = 0;
    xmlNodePtr ref = NULL;
    for (xmlNodePtr c = next_el(sm->next); c; c = next_el(c->next)) {
        if (!is_dsig(c, "Reference"))
            return refuse(r, RES_INVALID, "SignedInfo: phần tử lạ '%s'", (const char *)c->name);
        ref = c;
        nref++;
    }
    if (nref != 1)
        return refuse(r, RES_INVALID,
                      "SignedInfo: phải có đúng một Reference bao trùm toàn bộ gói tin%s", NULL);
    xmlChar *uri = xmlGetProp(ref, BAD_CAST "URI");
    bool uri_ok = false;
    if (uri && uri[0] == '\0') {
        uri_ok = true;
    } else if (uri && uri[0] == '#' && uri[1]) {
        /* A same-document id is accepted only if it names the document element: anything
         * narrower leaves content unsigned (signature wrapping). */
        xmlAttrPtr id = xmlGetID(doc, uri + 1);
        uri_ok = id && id->parent == xmlDocGetRootElement(doc);
    }
    if (!uri_ok) {
        refuse(r, RES_INVALID,
               "Reference: URI '%s' không được phép (chỉ URI=\"\" hoặc #id của "
               "phần tử gốc)",
               uri ? (const char *)uri : "(không có)");
        xmlFree(uri);
        return RES_INVALID;
    }
    xmlFree(uri);
    xmlNodePtr c = next_el(ref->children);
    bool enveloped = false;
    if (is_dsig(c, "Transforms")) {
        for (xmlNodePtr t = next_el(c->children); t; t = next_el(t->next)) {
            xmlChar *a = xmlGetProp(t, BAD_CAST "Algorithm");
            bool env = a && !strcmp((const char *)a, ENVELOPED);
            snprintf(alg, sizeof(alg), "%s", a ? (const char *)a : "");
            xmlFree(a);
            if (!is_dsig(t, "Transform") || (!env && !alg_in(t, c14n_algs, NULL, 0)) ||
                !plain_params(t))
                return refuse(r, RES_INVALID,
                              "Reference/Transforms: phép biến đổi '%s' không "
                              "được phép",
                              alg);
            enveloped |= env;
        }
        c = next_el(c->next);
    }
    if (!enveloped)
        return refuse(r, RES_INVALID, "Reference: thiếu phép biến đổi enveloped-signature%s", NULL);
    if (!is_dsig(c, "DigestMethod") || !alg_in(c, digest_algs, alg, sizeof(alg)))
        return refuse(r, RES_INVALID, "Reference/DigestMethod: thuật toán '%s' không được phép",
                      alg);
    xmlNodePtr sv = next_el(si->next);
    xmlNodePtr ki = sv ? next_el(sv->next) : NULL;
    if (!is_dsig(sv, "SignatureValue") || !is_dsig(ki, "KeyInfo"))
        return refuse(r, RES_INVALID, "Signature: thiếu SignatureValue hoặc KeyInfo%s", NULL);
    /* X509Data may carry the chain; the signer is the one whose key verifies. */
    *ncerts = 0;
    for (xmlNodePtr k = next_el(ki->children); k; k = next_el(k->next)) {
        if (!is_dsig(k, "X509Data"))
            return refuse(r, RES_INVALID, "KeyInfo: chỉ chấp nhận X509Data, gặp '%s'",
                          (const char *)k->name);
        for (xmlNodePtr x = next_el(k->children); x; x = next_el(x->next)) {
            if (!is_dsig(x, "X509Certificate"))
                continue;
            if (*ncerts == XMLDSIG_MAX_CERTS)
                return refuse(r, RES_INVALID, "KeyInfo/X509Data: quá nhiều chứng thư%s", NULL);
            X509 *cert = decode_cert(x);
            if (!cert)
                return refuse(r, RES_INVALID, "KeyInfo/X509Data/X509Certificate: chứng thư hỏng%s",
                              NULL);
            certs[(*ncerts)++] = cert;
        }
    }
    if (*ncerts == 0)
        return refuse(r, RES_INVALID, "KeyInfo/X509Data: thiếu X509Certificate%s", NULL);
    return RES_OK;
}

static void enable_transforms(xmlSecDSigCtxPtr ctx)
{
    xmlSecTransformId c14n[] = {
        xmlSecTransformInclC14NId,   xmlSecTransformInclC14NWithCommentsId,
        xmlSecTransformExclC14NId,   xmlSecTransformExclC14NWithCommentsId,
        xmlSecTransformInclC14N11Id, xmlSecTransformInclC14N11WithCommentsId,
    };
    for (size_t i = 0; i < sizeof(c14n) / sizeof(c14n[0]); i++) {
        xmlSecDSigCtxEnableReferenceTransform(ctx, c14n[i]);
        xmlSecDSigCtxEnableSignatureTransform(ctx, c14n[i]);
    }
    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId);
    xmlSecTransformId digests[] = {xmlSecTransformSha1Id, xmlSecTransformSha256Id,
                                   xmlSecTransformSha384Id, xmlSecTransformSha512Id};
    for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
        xmlSecDSigCtxEnableReferenceTransform(ctx, digests[i]);
    xmlSecTransformId sigs[] = {xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id,
                                xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        xmlSecDSigCtxEnableSignatureTransform(ctx, sigs[i]);
}

result_t xmldsig_verify_doc(xmlDocPtr doc, const struct xmldsig_verify_opts *o,
                            struct xmldsig_result *r)
{
    xmlSecKeysMngrPtr mngr = NULL;
    xmlSecDSigCtxPtr ctx = NULL;
    X509 *certs[XMLDSIG_MAX_CERTS];
    size_t ncerts = 0;
    r->res = RES_INVALID;
    if (!ensure_init(r->reason, sizeof(r->reason)))
        return r->res = RES_INTERNAL;
    xmlNodePtr sig = NULL;
    size_t nsig = count_signatures(xmlDocGetRootElement(doc), &sig);
    if (nsig == 0) {
        r->no_signature = true;
        refuse(r, RES_INVALID, "không có chữ ký XML-DSig (Signature thuộc namespace %s)",
               XMLDSIG_NS);
        goto out;
    }
    if (nsig > 1) {
        refuse(r, RES_INVALID, "có nhiều hơn một chữ ký XML-DSig%s", NULL);
        goto out;
    }
    if (check_shape(doc, sig, r, certs, &ncerts) != RES_OK)
        goto out;

    mngr = xmlSecKeysMngrCreate();
    if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0) {
        refuse(r, RES_INTERNAL, "không tạo được kho khoá%s", NULL);
        goto out;
    }
    if (o && o->trusted_pem &&
        xmlSecCryptoAppKeysMngrCertLoad(mngr, o->trusted_pem, xmlSecKeyDataFormatPem,
                                        xmlSecKeyDataTypeTrusted) < 0) {
        refuse(r, RES_IO, "không đọc được chứng thư tin cậy %s", o->trusted_pem);
        goto out;
    }
    ctx = xmlSecDSigCtxCreate(mngr);
    if (!ctx) {
        refuse(r, RES_INTERNAL, "không tạo được ngữ cảnh xmlsec%s", NULL);
        goto out;
    }
    ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
    ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument;
    enable_transforms(ctx);
    xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData, (void *)xmlSecKeyDataX509Id);
    xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData, (void *)xmlSecKeyDataRsaId);
    ctx->keyInfoReadCtx.maxRetrievalMethodLevel = 0;
    if (!o || !o->trusted_pem)
        ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
    last_error[0] = '\0';
    if (xmlSecDSigCtxVerify(ctx, sig) < 0) {
        refuse(r, RES_CRYPTO, "không kiểm tra được chữ ký (%s)", last_error);
        goto out;
    }
    if (ctx->status != xmlSecDSigStatusSucceeded) {
        refuse(r, RES_CRYPTO,
               "chữ ký không khớp nội dung: gói tin đã bị thay đổi hoặc sai "
               "khoá%s",
               NULL);
        goto out;
    }
    /* The key xmlsec used must be the certificate's: bind the result to that cert. */
    EVP_PKEY *used =
        ctx->signKey ? xmlSecOpenSSLEvpKeyDataGetEvp(xmlSecKeyGetValue(ctx->signKey)) : NULL;
    for (size_t i = 0; used && i < ncerts && !r->signer; i++)
        if (EVP_PKEY_eq(used, X509_get0_pubkey(certs[i])) == 1) {
            r->signer = certs[i];
            certs[i] = NULL;
        }
    if (!r->signer) {
        refuse(r, RES_CRYPTO, "khoá kiểm tra không khớp chứng thư trong KeyInfo%s", NULL);
        goto out;
    }
    X509_NAME_oneline(X509_get_subject_name(r->signer), r->subject, sizeof(r->subject));
    r->res = RES_OK;
    snprintf(r->reason, sizeof(r->reason), "chữ ký hợp lệ%s",
             o && o->trusted_pem ? ", chứng thư được tin cậy" : " (chưa kiểm tra chuỗi tin cậy)");
out:
    for (size_t i = 0; i < ncerts; i++)
        X509_free(certs[i]);
    if (ctx)
        xmlSecDSigCtxDestroy(ctx);
    if (mngr)
        xmlSecKeysMngrDestroy(mngr);
    return r->res;
}

static result_t verify_read(const char *data, size_t len, const char *path,
                            const struct xmldsig_verify_opts *o, struct xmldsig_result *r)
{
    struct edxml_limits lim;
    edxml_limits_default(&lim);
    struct edxml_issues is;
    edxml_issues_init(&is);
    struct edxml_read rd;
    edxml_read_init(&rd, &lim, &is, false);
    rd.keep_blanks = true;
    result_t res = path ? edxml_read_file(&rd, path) : edxml_read_memory(&rd, data, len);
    if (res != RES_OK)
        refuse(r, res, "%s", is.error ? is.error : "không đọc được XML");
    else
        xmldsig_verify_doc(rd.doc, o, r);
    edxml_read_release(&rd);
    edxml_issues_release(&is);
    return r->res;
}

result_t xmldsig_verify(const char *data, size_t len, const struct xmldsig_verify_opts *o,
                        struct xmldsig_result *r)
{
    return verify_read(data, len, NULL, o, r);
}

result_t xmldsig_verify_file(const char *path, const struct xmldsig_verify_opts *o,
                             struct xmldsig_result *r)
{
    return verify_read(NULL, 0, path, o, r);
}
