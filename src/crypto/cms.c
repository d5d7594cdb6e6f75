/* CMS SignedData for PDF signatures on OpenSSL 3. The signed attributes are encoded
 * with PKCS7_ATTR_SIGN (a DER SET OF, sorted) exactly as i2d_CMS_ContentInfo encodes
 * them later, which is what lets the key holder sign their digest separately. */
#include "crypto/cms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include "util/alloc.h"

void cms_prepared_init(struct cms_prepared *p)
{
    p->cms = NULL;
    p->si = NULL;
    memset(p->attrs_digest, 0, sizeof(p->attrs_digest));
}

void cms_prepared_release(struct cms_prepared *p)
{
    CMS_ContentInfo_free(p->cms);
    cms_prepared_init(p);
}

static int add_ess_v2(CMS_SignerInfo *si, X509 *cert)
{
    int ok = 0;
    unsigned char *der = NULL;
    ESS_SIGNING_CERT_V2 *sc = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert, NULL, 1);
    int len = sc ? i2d_ESS_SIGNING_CERT_V2(sc, &der) : -1;
    if (len > 0)
        ok = CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                         der, len);
    OPENSSL_free(der);
    ESS_SIGNING_CERT_V2_free(sc);
    return ok;
}

static int attrs_digest(CMS_SignerInfo *si, unsigned char out[32])
{
    int ok = 0, n = CMS_signed_get_attr_count(si);
    unsigned char *der = NULL;
    STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; attrs && i < n; i++)
        sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i));
    int len =
        attrs ? ASN1_item_i2d((ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN)) : -1;
    if (len > 0)
        ok = EVP_Digest(der, (size_t)len, out, NULL, EVP_sha256(), NULL);
    OPENSSL_free(der);
    sk_X509_ATTRIBUTE_free(attrs);
    return ok;
}

result_t cms_prepare(struct cms_prepared *p, X509 *cert, STACK_OF(X509) * chain,
                     const unsigned char content_digest[32])
{
    result_t r = RES_CRYPTO;
    const unsigned int flags = CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP;

    cms_prepared_init(p);
    if (!cert)
        return RES_INVALID;
    p->cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_DETACHED);
    if (!p->cms)
        goto out;
    /* The public key stands in for the private one: with CMS_PARTIAL nothing is signed,
     * CMS_add1_signer only checks that key and certificate match. */
    p->si = CMS_add1_signer(p->cms, cert, X509_get0_pubkey(cert), EVP_sha256(), flags);
    if (!p->si)
        goto out;
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        X509 *x = sk_X509_value(chain, i);
        if (X509_cmp(x, cert) != 0 && !CMS_add1_cert(p->cms, x))
            ERR_clear_error(); /* duplicates are refused; that is fine */
    }
    if (!CMS_signed_add1_attr_by_NID(p->si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                     OBJ_nid2obj(NID_pkcs7_data), -1) ||
        !CMS_signed_add1_attr_by_NID(p->si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                     content_digest, 32) ||
        !add_ess_v2(p->si, cert) || !attrs_digest(p->si, p->attrs_digest))
        goto out;
    r = RES_OK;
out:
    ERR_clear_error();
    if (r != RES_OK)
        cms_prepared_release(p);
    return r;
}

result_t cms_finish(struct cms_prepared *p, const unsigned char *sig, size_t sig_len,
                    struct buf *der)
{
    unsigned char *out = NULL;
    int len;
    result_t r = RES_CRYPTO;

    if (!p->si || !sig || sig_len == 0 || sig_len > 16384)
        return RES_INVALID;
    if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(p->si), sig, (int)sig_len))
        goto out;
    len = i2d_CMS_ContentInfo(p->cms, &out);
    if (len <= 0)
        goto out;
    r = buf_append(der, out, (size_t)len);
out:
    OPENSSL_free(out);
    ERR_clear_error();
    return r;
}

result_t cms_sign_digest(X509 *cert, STACK_OF(X509) * chain, const unsigned char content_digest[32],
                         cms_sign_fn sign, void *arg, struct buf *der)
{
    struct cms_prepared p;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    result_t r = cms_prepare(&p, cert, chain, content_digest);
    if (r != RES_OK)
        return r;
    if ((r = sign(arg, p.attrs_digest, &sig, &sig_len)) != RES_OK)
        goto out;
    r = cms_finish(&p, sig, sig_len, der);
out:
    free(sig);
    cms_prepared_release(&p);
    return r;
}

size_t cms_max_size(X509 *cert, STACK_OF(X509) * chain)
{
    size_t n = 2048; /* structure, algorithms, attributes */
    n += (size_t)i2d_X509(cert, NULL);
    for (int i = 0; chain && i < sk_X509_num(chain); i++)
        n += (size_t)i2d_X509(sk_X509_value(chain, i), NULL);
    n += (size_t)EVP_PKEY_get_size(X509_get0_pubkey(cert)) + 64;
    return n;
}

void cms_check_init(struct cms_check *c)
{
    memset(c, 0, sizeof(*c));
    c->signing_time = INT64_MIN;
}

void cms_check_release(struct cms_check *c)
{
    X509_free(c->signer);
    sk_X509_pop_free(c->certs, X509_free);
    cms_check_init(c);
}

static int64_t attr_time(CMS_SignerInfo *si)
{
    struct tm tm;
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    ASN1_TYPE *t = idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0) : NULL;
    if (!t || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME))
        return INT64_MIN;
    if (!ASN1_TIME_to_tm((const ASN1_TIME *)t->value.asn1_string, &tm))
        return INT64_MIN;
    return (int64_t)timegm(&tm);
}

static void check_ess(CMS_SignerInfo *si, X509 *signer, struct cms_check *out)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1);
    ASN1_TYPE *t = idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0) : NULL;
    if (!t) {
        idx = CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificate, -1);
        out->has_ess = idx >= 0;
        out->ess_ok = out->has_ess; /* v1 (SHA-1) accepted as present, not re-checked */
        return;
    }
    out->has_ess = true;
    if (t->type != V_ASN1_SEQUENCE)
        return;
    const unsigned char *q = t->value.sequence->data;
    ESS_SIGNING_CERT_V2 *ss = d2i_ESS_SIGNING_CERT_V2(NULL, &q, t->value.sequence->length);
    STACK_OF(X509) *chain = sk_X509_new_null();
    if (ss && chain && sk_X509_push(chain, signer))
        out->ess_ok = OSSL_ESS_check_signing_certs(NULL, ss, chain, 1) > 0;
    sk_X509_free(chain);
    ESS_SIGNING_CERT_V2_free(ss);
}

static int digest_ranges(const EVP_MD *md, const unsigned char *data,
                         const struct cms_range *ranges, size_t n, unsigned char *out,
                         unsigned int *outlen)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    int ok = mctx && EVP_DigestInit_ex(mctx, md, NULL);
    for (size_t i = 0; ok && i < n; i++)
        ok = EVP_DigestUpdate(mctx, data + ranges[i].offset, ranges[i].length);
    ok = ok && EVP_DigestFinal_ex(mctx, out, outlen);
    EVP_MD_CTX_free(mctx);
    return ok;
}

/* Without signed attributes the signature covers the content itself. */
static void verify_plain(CMS_ContentInfo *cms, const unsigned char *data,
                         const struct cms_range *ranges, size_t n, struct cms_check *out)
{
    struct buf all = BUF_INIT((size_t)1 << 30);
    BIO *in = NULL;
    for (size_t i = 0; i < n; i++)
        if (buf_append(&all, data + ranges[i].offset, ranges[i].length) != RES_OK)
            goto out;
    in = BIO_new_mem_buf(all.data ? all.data : "", (int)all.len);
    if (in && CMS_verify(cms, NULL, NULL, in, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1)
        out->digest_ok = out->signature_ok = true;
out:
    BIO_free(in);
    buf_release(&all);
}

result_t cms_verify_detached(const unsigned char *der, size_t der_len, const unsigned char *data,
                             const struct cms_range *ranges, size_t nranges, struct cms_check *out)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = NULL;
    CMS_SignerInfo *si;
    STACK_OF(CMS_SignerInfo) * sis;
    X509_ALGOR *dig_alg = NULL;
    const ASN1_OBJECT *dig_obj = NULL;
    const EVP_MD *md;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;

    cms_check_init(out);
    if (der_len == 0 || der_len > (1u << 24)) {
        snprintf(out->error, sizeof(out->error), "empty or oversized CMS");
        goto out;
    }
    cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        snprintf(out->error, sizeof(out->error), "not a CMS SignedData");
        goto out;
    }
    sis = CMS_get0_SignerInfos(cms);
    if (sk_CMS_SignerInfo_num(sis) != 1) {
        snprintf(out->error, sizeof(out->error), "CMS must have exactly one signer");
        goto out;
    }
    si = sk_CMS_SignerInfo_value(sis, 0);
    out->certs = CMS_get1_certs(cms);
    for (int i = 0; i < sk_X509_num(out->certs); i++) {
        X509 *x = sk_X509_value(out->certs, i);
        if (CMS_SignerInfo_cert_cmp(si, x) == 0) {
            X509_up_ref(x);
            out->signer = x;
            break;
        }
    }
    if (!out->signer) {
        snprintf(out->error, sizeof(out->error), "signer certificate not embedded");
        goto out;
    }
    CMS_SignerInfo_set1_signer_cert(si, out->signer);
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig_alg, NULL);
    X509_ALGOR_get0(&dig_obj, NULL, NULL, dig_alg);
    md = dig_obj ? EVP_get_digestbyobj(dig_obj) : NULL;
    if (!md) {
        snprintf(out->error, sizeof(out->error), "unsupported digest algorithm");
        goto out;
    }
    snprintf(out->digest_name, sizeof(out->digest_name), "%s", EVP_MD_get0_name(md));
    out->parsed = true;
    if (CMS_signed_get_attr_count(si) < 0) {
        verify_plain(cms, data, ranges, nranges, out);
        goto out;
    }
    ASN1_OCTET_STRING *mdv = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest),
                                                         -3, V_ASN1_OCTET_STRING);
    if (digest_ranges(md, data, ranges, nranges, digest, &digest_len) && mdv &&
        (unsigned int)ASN1_STRING_length(mdv) == digest_len &&
        memcmp(ASN1_STRING_get0_data(mdv), digest, digest_len) == 0)
        out->digest_ok = true;
    out->signature_ok = CMS_SignerInfo_verify(si) == 1;
    out->signing_time = attr_time(si);
    check_ess(si, out->signer, out);
out:
    ERR_clear_error();
    CMS_ContentInfo_free(cms);
    return RES_OK;
}
