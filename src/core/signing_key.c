/* Signing keys: import through the signer process (which alone sees the PKCS#12
 * opened), listing, revocation, and loading a key for a signature with the PIN lock. */
#include "core/signing_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/trust.h"
#include "core/validate.h"
#include "crypto/signer.h"
#include "db/db.h"
#include "db/db_json.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/rand.h"
#include "util/str.h"

void signing_key_init(struct signing_key *k)
{
    memset(k, 0, sizeof(*k));
    buf_init(&k->sealed, SIGNING_KEY_MAX_P12 + 1024);
}

void signing_key_release(struct signing_key *k)
{
    buf_release(&k->sealed);
    X509_free(k->cert);
    sk_X509_pop_free(k->chain, X509_free);
    signing_key_init(k);
}

/* Certificate then chain as PEM text. */
static char *certs_pem(X509 *cert, STACK_OF(X509) * chain)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p = NULL, *out;
    PEM_write_bio_X509(b, cert);
    for (int i = 0; i < sk_X509_num(chain); i++)
        PEM_write_bio_X509(b, sk_X509_value(chain, i));
    long n = BIO_get_mem_data(b, &p);
    out = strndup(p, (size_t)n);
    BIO_free(b);
    return out;
}

/* The certificate must chain to a trusted root now and be usable for signing. */
static bool cert_acceptable(struct app *app, X509 *cert, STACK_OF(X509) * chain, struct verrs *e,
                            const char *field)
{
    struct cert_check cc;
    const struct certstore *cs = trust_acquire(app);
    certstore_verify(cs, cert, chain, clock_now(), &cc);
    trust_release(app, cs);
    if (cc.status == CERT_OK)
        return true;
    const char *why = cc.status == CERT_EXPIRED         ? "Chứng thư số đã hết hạn."
                      : cc.status == CERT_NOT_YET_VALID ? "Chứng thư số chưa có hiệu lực."
                      : cc.status == CERT_REVOKED       ? "Chứng thư số đã bị thu hồi."
                      : cc.status == CERT_UNTRUSTED
                          ? "Chứng thư số không do tổ chức cung cấp dịch vụ tin cậy cấp (chưa có "
                            "chứng thư gốc trong danh sách tin cậy)."
                          : "Chứng thư số không hợp lệ.";
    verrs_add(e, field, "%s Không thể dùng để ký.", why);
    return false;
}

static result_t member_of(struct db_conn *c, int64_t user_id, int64_t agency_id)
{
    int64_t one;
    return db_one_i64(c, &one,
                      "SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE "
                      "m.user_id = $1 AND m.agency_id = $2 AND m.active = 1 AND u.disabled = 0",
                      "ii", user_id, agency_id);
}

result_t signing_key_import(struct app *app, const struct actor *a,
                            const struct signing_key_input *in, struct verrs *e, int64_t *id)
{
    struct db_conn *c = db_conn(app->db);
    struct buf sealed = BUF_INIT(SIGNING_KEY_MAX_P12 + 1024);
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    char *pem = NULL, *label = NULL;
    result_t r;

    if (!c)
        return RES_DB;
    if ((r = authz_check(a, AZ_SIGNING_MANAGE, in->agency_id)) != RES_OK)
        return r;
    r = RES_INVALID;
    if (!app->signer) {
        verrs_add(e, "file", "Tiến trình ký số chưa được khởi động trên máy chủ.");
        r = RES_UNSUPPORTED;
        goto out;
    }
    label = field_clean(in->label, "label", "tên gợi nhớ", false, 200, e);
    if (in->user_id && member_of(c, in->user_id, in->agency_id) != RES_OK)
        verrs_add(e, "user_id", "Người dùng không thuộc cơ quan này.");
    if (!in->p12 || !in->p12_len)
        verrs_add(e, "file", "Chọn tệp khóa ký số (.p12, .pfx).");
    else if (in->p12_len > SIGNING_KEY_MAX_P12)
        verrs_add(e, "file", "Tệp khóa ký số quá lớn (tối đa 256 KB).");
    if (!in->pin || !*in->pin)
        verrs_add(e, "pin", "Nhập mã PIN của khóa ký số.");
    else if (strlen(in->pin) > 128)
        verrs_add(e, "pin", "Mã PIN quá dài.");
    if (e->count)
        goto out;
    r = signer_import_p12(app->signer, in->p12, in->p12_len, in->pin, &sealed, &cert, &chain);
    if (r == RES_FORBIDDEN) {
        verrs_add(e, "pin", "Mã PIN không đúng với tệp khóa ký số.");
        r = RES_INVALID;
        goto out;
    }
    if (r != RES_OK) {
        verrs_add(e, "file", "Tệp không phải khóa ký số PKCS#12 (.p12, .pfx) hợp lệ.");
        r = RES_INVALID;
        goto out;
    }
    if (!cert_acceptable(app, cert, chain, e, "file")) {
        r = RES_INVALID;
        goto out;
    }

    char cn[256], org[256], issuer[256], fp[65], serial[80];
    unsigned char *der = NULL;
    int dlen = i2d_X509(cert, &der);
    sha256_hex(der, dlen > 0 ? (size_t)dlen : 0, fp);
    OPENSSL_free(der);
    cert_name_entry(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
    cert_name_entry(X509_get_subject_name(cert), NID_organizationName, org, sizeof(org));
    cert_name_entry(X509_get_issuer_name(cert), NID_commonName, issuer, sizeof(issuer));
    cert_serial_hex(cert, serial, sizeof(serial));
    pem = certs_pem(cert, chain);
    int64_t now = clock_now(), dup;

    if ((r = db_begin(c)) != RES_OK)
        goto out;
    if (db_one_i64(c, &dup,
                   "SELECT id FROM signing_key WHERE agency_id = $1 AND fingerprint = $2 AND "
                   "revoked_at = 0",
                   "it", in->agency_id, fp) == RES_OK) {
        db_rollback(c);
        verrs_add(e, "file", "Khóa ký số này đã được cấp trong cơ quan.");
        r = RES_CONFLICT;
        goto out;
    }
    r = db_run(c,
               "INSERT INTO signing_key (agency_id, user_id, label, sealed, cert_pem, subject_cn, "
               "subject_o, issuer_cn, serial, fingerprint, not_before, not_after, created_by, "
               "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
               "iItbttttttiiIi", in->agency_id, in->user_id, label ? label : "", sealed.data,
               sealed.len, pem, cn, org, issuer, serial, fp,
               cert_time_to_unix(X509_get0_notBefore(cert)),
               cert_time_to_unix(X509_get0_notAfter(cert)), a->user_id, now);
    if (r == RES_OK)
        r = db_one_i64(c, id, "SELECT MAX(id) FROM signing_key WHERE fingerprint = $1", "t", fp);
    char oid[24], summary[480];
    snprintf(oid, sizeof(oid), "%lld", (long long)*id);
    snprintf(summary, sizeof(summary), "%s: %.150s (số hiệu %.40s, %.150s)",
             in->user_id ? "Khóa cá nhân" : "Khóa của cơ quan", cn, serial, issuer);
    struct audit_entry ae = {a->user_id,    a->login, in->agency_id, "signing_key_import",
                             "signing_key", oid,      summary,       a->client_addr};
    r = audit_finish(c, r, &ae);
out:
    free(label);
    free(pem);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    secure_wipe(sealed.data, sealed.len);
    buf_release(&sealed);
    return r;
}

#define KEY_COLUMNS                                                                    \
    "k.id, k.agency_id, k.user_id, COALESCE(u.full_name, ''), k.label, k.subject_cn, " \
    "k.subject_o, k.issuer_cn, k.serial, k.fingerprint, k.not_before, k.not_after, "   \
    "k.locked_until, k.last_used_at, k.revoked_at, k.revoke_reason, k.created_at"
#define KEY_SPEC                                                                         \
    "id:i,agency_id:i,user_id:I,owner_name:t,label:t,subject:t,organization:t,issuer:t," \
    "serial:t,fingerprint:t,not_before:i,not_after:i,locked_until:i,last_used_at:i,"     \
    "revoked_at:i,revoke_reason:t,created_at:i"

result_t signing_key_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    result_t r;
    if (!c)
        return RES_DB;
    if ((r = authz_check(a, AZ_SIGNING_MANAGE, agency_id)) != RES_OK)
        return r;
    r = db_query(c, &s,
                 "SELECT " KEY_COLUMNS " FROM signing_key k LEFT JOIN app_user u ON u.id = "
                 "k.user_id WHERE k.agency_id = $1 ORDER BY k.revoked_at <> 0, u.full_name, k.id",
                 "i", agency_id);
    return r == RES_OK ? db_collect(s, KEY_SPEC, out) : r;
}

result_t signing_key_usable(struct app *app, const struct actor *a, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    result_t r;
    if (!c)
        return RES_DB;
    if ((r = authz_check(a, AZ_SIGN_USE, a->agency_id)) != RES_OK)
        return r;
    /* the agency's own keys too, when the policy lets the actor use one (clerks) */
    struct authz_object agency_key = {.kind = AZ_OBJ_SIGNING, .agency_id = a->agency_id};
    bool agency_keys = authz_check_object(a, AZ_SIGN_USE, &agency_key) == RES_OK;
    r = db_query(c, &s,
                 "SELECT " KEY_COLUMNS " FROM signing_key k LEFT JOIN app_user u ON u.id = "
                 "k.user_id WHERE k.agency_id = $1 AND k.revoked_at = 0 AND k.not_after > $2 "
                 "AND (k.user_id = $3 OR (k.user_id IS NULL AND $4 = 1)) "
                 "ORDER BY k.user_id IS NULL, k.id",
                 "iiii", a->agency_id, clock_now(), a->user_id, (int64_t)agency_keys);
    return r == RES_OK ? db_collect(s, KEY_SPEC, out) : r;
}

result_t signing_key_revoke(struct app *app, const struct actor *a, int64_t id, const char *reason,
                            struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    int64_t agency_id, revoked;
    struct db_stmt *s = NULL;
    result_t r;
    if (!c)
        return RES_DB;
    r = db_query(
        c, &s, "SELECT agency_id, revoked_at, COALESCE(user_id, 0) FROM signing_key WHERE id = $1",
        "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    agency_id = r == RES_ROW ? db_col_i64(s, 0) : 0;
    revoked = r == RES_ROW ? db_col_i64(s, 1) : 0;
    struct authz_object key = {.kind = AZ_OBJ_SIGNING,
                               .agency_id = agency_id,
                               .owner_user_id = r == RES_ROW ? db_col_i64(s, 2) : 0};
    db_finalize(s);
    if (r != RES_ROW)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    /* another agency's key answers RES_NOT_FOUND: its existence is not confirmed */
    if ((r = authz_check_object(a, AZ_SIGNING_MANAGE, &key)) != RES_OK)
        return r;
    char *why = field_clean(reason, "reason", "lý do thu hồi", false, 500, e);
    if (e->count) {
        free(why);
        return RES_INVALID;
    }
    if (revoked) {
        free(why);
        verrs_add(e, "reason", "Khóa ký số đã được thu hồi trước đó.");
        return RES_CONFLICT;
    }
    if ((r = db_begin(c)) != RES_OK) {
        free(why);
        return r;
    }
    r = db_run(c,
               "UPDATE signing_key SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 "
               "WHERE id = $4 AND revoked_at = 0",
               "iIti", clock_now(), a->user_id, why ? why : "", id);
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    struct audit_entry ae = {a->user_id,
                             a->login,
                             agency_id,
                             "signing_key_revoke",
                             "signing_key",
                             oid,
                             why && *why ? why : "Thu hồi khóa ký số",
                             a->client_addr};
    r = audit_finish(c, r, &ae);
    free(why);
    return r;
}

result_t signing_key_open(struct app *app, const struct actor *a, int64_t id, struct verrs *e,
                          struct signing_key *k)
{
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    result_t r;
    if (!c)
        return RES_DB;
    r = db_query(c, &s,
                 "SELECT agency_id, COALESCE(user_id, 0), sealed, cert_pem, subject_cn, "
                 "not_after, locked_until, revoked_at FROM signing_key WHERE id = $1",
                 "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r != RES_ROW) {
        db_finalize(s);
        return r == RES_DONE ? RES_NOT_FOUND : r;
    }
    k->id = id;
    k->agency_id = db_col_i64(s, 0);
    k->user_id = db_col_i64(s, 1);
    int64_t not_after = db_col_i64(s, 5), locked_until = db_col_i64(s, 6),
            revoked = db_col_i64(s, 7), now = clock_now();
    /* Who holds the key is the policy's (AZ_SIGN_USE on the key). To the signing form
     * a key the actor may not use is no key of theirs: RES_NOT_FOUND either way. */
    struct authz_object key = {
        .kind = AZ_OBJ_SIGNING, .agency_id = k->agency_id, .owner_user_id = k->user_id};
    if (authz_check_object(a, AZ_SIGN_USE, &key) != RES_OK) {
        db_finalize(s);
        return RES_NOT_FOUND;
    }
    size_t len = 0;
    const void *sealed = db_col_blob(s, 2, &len);
    buf_append(&k->sealed, sealed, len);
    r = cert_parse_pem_chain(db_col_text(s, 3), &k->cert, &k->chain);
    str_copy(k->subject_cn, db_col_text(s, 4), sizeof(k->subject_cn));
    db_finalize(s);
    if (r != RES_OK)
        return RES_INTERNAL;
    if (revoked) {
        verrs_add(e, "key_id", "Khóa ký số đã bị thu hồi.");
        return RES_INVALID;
    }
    if (not_after <= now) {
        verrs_add(e, "key_id", "Chứng thư số của khóa đã hết hạn.");
        return RES_INVALID;
    }
    if (locked_until > now) {
        char t[64];
        clock_format_vn(locked_until, t, sizeof(t));
        verrs_add(e, "pin", "Nhập sai mã PIN quá %d lần. Khóa ký tạm khóa đến %s.",
                  SIGNING_KEY_PIN_TRIES, t);
        return RES_LOCKED;
    }
    if (!cert_acceptable(app, k->cert, k->chain, e, "key_id"))
        return RES_INVALID;
    return RES_OK;
}

void signing_key_pin_result(struct app *app, const struct actor *a, int64_t id, bool ok,
                            const struct audit_entry *also)
{
    struct db_conn *c = db_conn(app->db);
    int64_t fails = 0, agency_id = 0, now = clock_now();
    if (!c || db_begin(c) != RES_OK)
        return;
    if (ok) {
        /* one transaction (one fsync) for the key's state and the signature's audit row */
        result_t r = db_run(c,
                            "UPDATE signing_key SET failed_pins = 0, last_used_at = $1 WHERE "
                            "id = $2",
                            "ii", now, id);
        if (also)
            audit_finish(c, r, also);
        else if (r == RES_OK)
            db_commit(c);
        else
            db_rollback(c);
        return;
    }
    db_run(c, "UPDATE signing_key SET failed_pins = failed_pins + 1 WHERE id = $1", "i", id);
    db_one_i64(c, &fails, "SELECT failed_pins FROM signing_key WHERE id = $1", "i", id);
    db_one_i64(c, &agency_id, "SELECT agency_id FROM signing_key WHERE id = $1", "i", id);
    if (fails < SIGNING_KEY_PIN_TRIES) {
        db_commit(c);
        return;
    }
    result_t r =
        db_run(c, "UPDATE signing_key SET failed_pins = 0, locked_until = $1 WHERE id = $2", "ii",
               now + SIGNING_KEY_LOCK_SECS, id);
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    struct audit_entry ae = {a->user_id,
                             a->login,
                             agency_id,
                             "signing_key_pin_locked",
                             "signing_key",
                             oid,
                             "Nhập sai mã PIN nhiều lần",
                             a->client_addr};
    audit_finish(c, r, &ae);
}
