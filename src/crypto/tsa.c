/* Time-stamp requests, answers and verification with OpenSSL's TS API. The imprint is
 * the SHA-256 of the SignerInfo signature value (RFC 3161 appendix A, ETSI CAdES-T). */
#include "crypto/tsa.h"

#include <stdio.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "util/alloc.h"

static CMS_SignerInfo *first_signer(CMS_ContentInfo *cms)
{
    STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
    return sk_CMS_SignerInfo_num(sis) == 1 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
}

static int signature_imprint(CMS_SignerInfo *si, unsigned char out[32])
{
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    return sig && EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), out, NULL,
                             EVP_sha256(), NULL);
}

static TS_REQ *make_request(const unsigned char imprint[32])
{
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    ASN1_INTEGER *nonce = NULL;
    unsigned char rnd[8];
    BIGNUM *bn = NULL;
    int ok = req && mi && alg && TS_REQ_set_version(req, 1) &&
             X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
             TS_MSG_IMPRINT_set_algo(mi, alg) &&
             TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)imprint, 32) &&
             TS_REQ_set_msg_imprint(req, mi) && RAND_bytes(rnd, sizeof(rnd)) == 1 &&
             (bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) != NULL &&
             (nonce = BN_to_ASN1_INTEGER(bn, NULL)) != NULL && TS_REQ_set_nonce(req, nonce) &&
             TS_REQ_set_cert_req(req, 1);
    ASN1_INTEGER_free(nonce);
    BN_free(bn);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(mi);
    if (!ok) {
        TS_REQ_free(req);
        return NULL;
    }
    return req;
}

result_t tsa_timestamp_cms(struct buf *cms_der, tsa_fn tsa, void *arg)
{
    result_t r = RES_CRYPTO;
    const unsigned char *p = (const unsigned char *)cms_der->data;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)cms_der->len);
    CMS_SignerInfo *si = first_signer(cms);
    TS_REQ *req = NULL;
    TS_RESP *resp = NULL;
    TS_VERIFY_CTX *vctx = NULL;
    unsigned char imprint[32], *reqder = NULL, *tok = NULL, *out = NULL;
    struct buf answer = BUF_INIT(1 << 20);
    int reqlen, toklen, outlen;

    if (!si || !signature_imprint(si, imprint) || !(req = make_request(imprint)) ||
        (reqlen = i2d_TS_REQ(req, &reqder)) <= 0)
        goto out;
    if ((r = tsa(arg, reqder, (size_t)reqlen, &answer)) != RES_OK)
        goto out;
    r = RES_CRYPTO;
    p = (const unsigned char *)answer.data;
    resp = answer.len ? d2i_TS_RESP(NULL, &p, (long)answer.len) : NULL;
    /* Granted, same imprint, same nonce; the token's signature is checked by verifiers. */
    if (!resp || !(vctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL)) ||
        TS_RESP_verify_response(vctx, resp) != 1)
        goto out;
    if ((toklen = i2d_PKCS7(TS_RESP_get_token(resp), &tok)) <= 0 ||
        !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, tok,
                                       toklen) ||
        (outlen = i2d_CMS_ContentInfo(cms, &out)) <= 0)
        goto out;
    buf_reset(cms_der);
    r = buf_append(cms_der, out, (size_t)outlen);
out:
    OPENSSL_free(out);
    OPENSSL_free(tok);
    OPENSSL_free(reqder);
    TS_VERIFY_CTX_free(vctx);
    TS_RESP_free(resp);
    TS_REQ_free(req);
    CMS_ContentInfo_free(cms);
    buf_release(&answer);
    ERR_clear_error();
    return r;
}

result_t tsa_verify_cms(const unsigned char *der, size_t len, const struct certstore *trust,
                        struct tsa_check *out)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = NULL;
    CMS_SignerInfo *si;
    PKCS7 *token = NULL;
    TS_TST_INFO *info = NULL;
    TS_VERIFY_CTX *vctx = NULL;
    unsigned char imprint[32];

    memset(out, 0, sizeof(*out));
    out->time = INT64_MIN;
    cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
    si = first_signer(cms);
    if (!si)
        goto out;
    int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    ASN1_TYPE *t = idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0) : NULL;
    if (!t)
        goto out;
    out->present = true;
    if (t->type != V_ASN1_SEQUENCE) {
        snprintf(out->error, sizeof(out->error), "time-stamp token is not a SEQUENCE");
        goto out;
    }
    p = t->value.sequence->data;
    token = d2i_PKCS7(NULL, &p, t->value.sequence->length);
    info = token ? PKCS7_to_TS_TST_INFO(token) : NULL;
    if (!info || !signature_imprint(si, imprint)) {
        snprintf(out->error, sizeof(out->error), "unreadable time-stamp token");
        goto out;
    }
    if (!trust || !trust->store) {
        snprintf(out->error, sizeof(out->error), "no trust anchors for the time-stamp");
        goto out;
    }
    vctx = TS_VERIFY_CTX_new();
    unsigned char *imp = OPENSSL_memdup(imprint, sizeof(imprint));
    if (!vctx || !imp || !X509_STORE_up_ref(trust->store)) {
        OPENSSL_free(imp);
        goto out;
    }
    TS_VERIFY_CTX_set_flags(vctx, TS_VFY_SIGNATURE | TS_VFY_VERSION | TS_VFY_IMPRINT);
    TS_VERIFY_CTX_set_imprint(vctx, imp, sizeof(imprint));
    TS_VERIFY_CTX_set_store(vctx, trust->store);
    TS_VERIFY_CTX_set_certs(vctx, X509_chain_up_ref(trust->intermediates));
    if (TS_RESP_verify_token(vctx, token) != 1) {
        unsigned long e = ERR_peek_last_error();
        snprintf(out->error, sizeof(out->error), "time-stamp does not verify: %s",
                 e ? ERR_reason_error_string(e) : "unknown");
        goto out;
    }
    out->valid = true;
    out->time = cert_time_to_unix(TS_TST_INFO_get_time(info));
    /* The authority's name: its signing certificate's CN (the optional tsa field of
     * TSTInfo is rarely filled). */
    STACK_OF(X509) *signers = PKCS7_get0_signers(token, NULL, 0);
    X509 *tsa_cert = sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
    cert_name_entry(tsa_cert ? X509_get_subject_name(tsa_cert) : NULL, NID_commonName,
                    out->tsa_name, sizeof(out->tsa_name));
    sk_X509_free(signers);
out:
    TS_VERIFY_CTX_free(vctx);
    TS_TST_INFO_free(info);
    PKCS7_free(token);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return RES_OK;
}
