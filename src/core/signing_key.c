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
#include "core/tx.h"
#include "core/validate.h"
#include "crypto/signer.h"
#include "text/text.h"
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

/* RES_OK when the user has an active post in the agency; their full name into name. */
static result_t member_of(struct db_conn *c, int64_t user_id, int64_t agency_id, char *name,
                          size_t namesize)
{
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT u.full_name FROM membership m JOIN app_user u ON u.id = m.user_id WHERE "
                 "m.user_id = $1 AND m.agency_id = $2 AND m.active = 1 AND u.disabled = 0",
                 "ii", user_id, agency_id);
    if (r == RES_OK) {
        r = db_step(s);
        if (r == RES_ROW) {
            const char *t = db_col_text(s, 0);
            str_copy(name, t ? t : "", namesize);
            r = RES_OK;
        } else if (r == RES_DONE) {
            r = RES_NOT_FOUND;
        }
    }
    db_finalize(s);
    return r;
}

bool signing_key_name_matches(const char *cert_cn, const char *full_name)
{
    char *a = cert_cn ? text_fold(cert_cn) : NULL, *b = full_name ? text_fold(full_name) : NULL;
    bool same = false;
    if (a && b) {
        text_squeeze(a);
        text_squeeze(b);
        same = *a && strcmp(a, b) == 0;
    }
    free(a);
    free(b);
    return same;
}

struct key_insert {
    const struct actor *a;
    const struct signing_key_input *in;
    const char *label;
    const struct buf *sealed;
    const char *pem, *cn, *org, *issuer, *serial, *fp;
    const char *owner, *mismatch_reason; /* the account's name; set when it differs */
    int64_t not_before, not_after;
    int64_t id; /* out */
};

/* The check gives the clear refusal; the unique index signing_key_live_fingerprint
 * (migration 0004) refuses a racing duplicate the same way (RES_CONFLICT). */
static result_t key_insert_tx(struct tx *t, void *arg)
{
    struct key_insert *k = arg;
    struct db_conn *c = tx_conn(t);
    int64_t dup;
    k->id = 0;
    result_t r = db_one_i64(c, &dup,
                            "SELECT id FROM signing_key WHERE agency_id = $1 AND fingerprint = $2 "
                            "AND revoked_at = 0",
                            "it", k->in->agency_id, k->fp);
    if (r == RES_OK)
        return RES_CONFLICT;
    if (r != RES_NOT_FOUND)
        return r;
    r = db_one_i64(c, &k->id,
                   "INSERT INTO signing_key (agency_id, user_id, label, sealed, cert_pem, "
                   "subject_cn, subject_o, issuer_cn, serial, fingerprint, not_before, not_after, "
                   "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                   "$12, $13, $14) RETURNING id",
                   "iItbttttttiiIi", k->in->agency_id, k->in->user_id, k->label, k->sealed->data,
                   k->sealed->len, k->pem, k->cn, k->org, k->issuer, k->serial, k->fp,
                   k->not_before, k->not_after, k->a->user_id, clock_now());
    if (r != RES_OK)
        return r;
    char oid[24], summary[900];
    snprintf(oid, sizeof(oid), "%lld", (long long)k->id);
    int n =
        snprintf(summary, sizeof(summary), "%s: %.150s (số hiệu %.40s, %.150s)",
                 k->in->user_id ? "Khóa cá nhân" : "Khóa của cơ quan", k->cn, k->serial, k->issuer);
    if (k->mismatch_reason && n > 0 && (size_t)n < sizeof(summary))
        snprintf(summary + n, sizeof(summary) - (size_t)n,
                 "; cấp cho %.150s dù tên trên chứng thư khác, lý do: %.300s", k->owner,
                 k->mismatch_reason);
    tx_audit(t, &(struct audit_entry){.actor_id = k->a->user_id,
                                      .actor_login = k->a->login,
                                      .agency_id = k->in->agency_id,
                                      .action = "signing_key_import",
                                      .object_type = "signing_key",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = k->a->client_addr});
    return RES_OK;
}

result_t signing_key_import(struct app *app, const struct actor *a,
                            const struct signing_key_input *in, struct verrs *e, int64_t *id)
{
    struct db_conn *c = db_conn(app->db);
    struct buf sealed = BUF_INIT(SIGNING_KEY_MAX_P12 + 1024);
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    char *pem = NULL, *label = NULL, *reason = NULL, owner[256] = "";
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
    if (in->user_id && member_of(c, in->user_id, in->agency_id, owner, sizeof(owner)) != RES_OK)
        verrs_add(e, "user_id", "Người dùng không thuộc cơ quan này.");
    if (in->name_confirmed)
        reason = field_clean(in->name_reason, "name_reason", "lý do", true, 300, e);
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
    /* A person key is the person's: a certificate naming someone else is refused unless
     * the administrator confirms it with a reason, which goes into the audit row. */
    bool mismatch = in->user_id && !signing_key_name_matches(cn, owner);
    if (mismatch && !in->name_confirmed) {
        verrs_add(e, "name_confirm",
                  "Chứng thư số cấp cho «%s», không phải «%s». Kiểm tra lại người nhận khóa; "
                  "nếu vẫn cấp cho người này, đánh dấu xác nhận và ghi lý do.",
                  cn, owner);
        r = RES_INVALID;
        goto out;
    }
    pem = certs_pem(cert, chain);

    struct key_insert ki = {.a = a,
                            .in = in,
                            .label = label ? label : "",
                            .sealed = &sealed,
                            .pem = pem,
                            .cn = cn,
                            .org = org,
                            .issuer = issuer,
                            .serial = serial,
                            .fp = fp,
                            .owner = owner,
                            .mismatch_reason = mismatch ? reason : NULL,
                            .not_before = cert_time_to_unix(X509_get0_notBefore(cert)),
                            .not_after = cert_time_to_unix(X509_get0_notAfter(cert))};
    r = tx_run(app->db, key_insert_tx, &ki);
    if (r == RES_CONFLICT)
        verrs_add(e, "file", "Khóa ký số này đã được cấp trong cơ quan.");
    else if (r == RES_OK && id)
        *id = ki.id;
out:
    free(label);
    free(reason);
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

struct key_revoke {
    const struct actor *a;
    int64_t id, agency_id;
    const char *why;
};

static result_t key_revoke_tx(struct tx *t, void *arg)
{
    const struct key_revoke *k = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = db_run(c,
                        "UPDATE signing_key SET revoked_at = $1, revoked_by = $2, "
                        "revoke_reason = $3 WHERE id = $4 AND revoked_at = 0",
                        "iIti", clock_now(), k->a->user_id, k->why, k->id);
    if (r != RES_OK)
        return r;
    if (db_changes(c) == 0)
        return RES_CONFLICT; /* revoked meanwhile */
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)k->id);
    tx_audit(t, &(struct audit_entry){.actor_id = k->a->user_id,
                                      .actor_login = k->a->login,
                                      .agency_id = k->agency_id,
                                      .action = "signing_key_revoke",
                                      .object_type = "signing_key",
                                      .object_id = oid,
                                      .summary = *k->why ? k->why : "Thu hồi khóa ký số",
                                      .client_addr = k->a->client_addr});
    return RES_OK;
}

/* Issue 12, key cache (crypto/signer.h): a revoked key is wiped from the signer
 * process at once, not when its cache entry expires. */
static void forget_cached_key(struct app *app, int64_t id)
{
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    size_t len = 0;
    if (!app->signer || !c ||
        db_query(c, &s, "SELECT sealed FROM signing_key WHERE id = $1", "i", id) != RES_OK)
        return;
    if (db_step(s) == RES_ROW) {
        const void *sealed = db_col_blob(s, 0, &len);
        if (sealed && len)
            (void)signer_forget_sealed(app->signer, sealed, len);
    }
    db_finalize(s);
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
    struct key_revoke kr = {.a = a, .id = id, .agency_id = agency_id, .why = why ? why : ""};
    r = tx_run(app->db, key_revoke_tx, &kr);
    if (r == RES_OK)
        forget_cached_key(app, id); /* issue 12 */
    if (r == RES_CONFLICT)
        verrs_add(e, "reason", "Khóa ký số đã được thu hồi trước đó.");
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

struct pin_outcome {
    const struct actor *a;
    int64_t id;
    bool ok;
    const struct audit_entry *also;
    bool locked;    /* out */
    int tries_left; /* out: wrong PINs still allowed before the lock */
};

static result_t pin_outcome_tx(struct tx *t, void *arg)
{
    struct pin_outcome *p = arg;
    struct db_conn *c = tx_conn(t);
    int64_t fails = 0, agency_id = 0, now = clock_now();
    result_t r;
    p->locked = false;
    p->tries_left = SIGNING_KEY_PIN_TRIES;
    if (p->ok) {
        /* one transaction (one fsync) for the key's state and the signature's audit row */
        r = db_run(c, "UPDATE signing_key SET failed_pins = 0, last_used_at = $1 WHERE id = $2",
                   "ii", now, p->id);
        if (r == RES_OK && p->also)
            tx_audit(t, p->also);
        return r;
    }
    r = db_run(c, "UPDATE signing_key SET failed_pins = failed_pins + 1 WHERE id = $1", "i", p->id);
    if (r == RES_OK)
        r = db_one_i64(c, &fails, "SELECT failed_pins FROM signing_key WHERE id = $1", "i", p->id);
    if (r == RES_OK)
        r = db_one_i64(c, &agency_id, "SELECT agency_id FROM signing_key WHERE id = $1", "i",
                       p->id);
    if (r != RES_OK)
        return r;
    p->locked = fails >= SIGNING_KEY_PIN_TRIES;
    p->tries_left = p->locked ? 0 : SIGNING_KEY_PIN_TRIES - (int)fails;
    if (p->locked &&
        (r = db_run(c, "UPDATE signing_key SET failed_pins = 0, locked_until = $1 WHERE id = $2",
                    "ii", now + SIGNING_KEY_LOCK_SECS, p->id)) != RES_OK)
        return r;
    char oid[24], summary[96];
    snprintf(oid, sizeof(oid), "%lld", (long long)p->id);
    snprintf(summary, sizeof(summary), "Nhập sai mã PIN (lần %lld liên tiếp)", (long long)fails);
    tx_audit(t, &(struct audit_entry){
                    .actor_id = p->a->user_id,
                    .actor_login = p->a->login,
                    .agency_id = agency_id,
                    .action = p->locked ? "signing_key_pin_locked" : "signing_key_pin_failed",
                    .object_type = "signing_key",
                    .object_id = oid,
                    .summary = p->locked ? "Nhập sai mã PIN nhiều lần" : summary,
                    .client_addr = p->a->client_addr,
                });
    return RES_OK;
}

result_t signing_key_pin_result(struct app *app, const struct actor *a, int64_t id, bool ok,
                                const struct audit_entry *also, int *tries_left)
{
    struct pin_outcome p = {.a = a, .id = id, .ok = ok, .also = also};
    /* A right PIN with no signature to record (also == NULL) only resets the counter:
     * the key's bookkeeping, not a user action of its own. */
    result_t r = ok && !also ? tx_run_noaudit(app->db, pin_outcome_tx, &p)
                             : tx_run(app->db, pin_outcome_tx, &p);
    if (r == RES_OK && tries_left)
        *tries_left = p.tries_left;
    return r;
}
