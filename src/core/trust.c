/* The trust store in the database: adding CA certificates (PEM or DER, roots and
 * intermediates) and CRLs (checked against the store), removing them, listing them
 * with the files of <data_dir>/trust/. Every change bumps the generation that the
 * snapshot cache (trust_cache.c) compares. */
#include "core/trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/tx.h"
#include "db/db.h"
#include "db/db_json.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

#define TRUST_MAX_CERTS 64 /* certificates in one uploaded file */
#define NAME_MAX_BYTES  1024

/* ---- certificate facts ---- */

struct cert_facts {
    char subject[NAME_MAX_BYTES];
    char issuer[NAME_MAX_BYTES];
    char serial[128];
    char fingerprint[65];
    int64_t not_before, not_after;
};

/* One-line RFC 2253 name in UTF-8, cut on a character boundary. */
static void name_oneline(const X509_NAME *name, char *out, size_t size)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p = NULL;
    long n = 0;
    out[0] = '\0';
    if (!b)
        return;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
        n = BIO_get_mem_data(b, &p);
    if (n > 0 && p) {
        size_t len = (size_t)n < size - 1 ? (size_t)n : size - 1;
        while (len > 0 && len < (size_t)n && ((unsigned char)p[len] & 0xC0) == 0x80)
            len--; /* do not split a UTF-8 sequence */
        memcpy(out, p, len);
        out[len] = '\0';
    }
    BIO_free(b);
    if (!text_valid_utf8(out, strlen(out))) {
        /* a name in a legacy string type: fall back to escaped ASCII */
        b = BIO_new(BIO_s_mem());
        out[0] = '\0';
        if (b && X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0 &&
            (n = BIO_get_mem_data(b, &p)) > 0)
            snprintf(out, size, "%.*s", (int)n, p);
        BIO_free(b);
    }
    ERR_clear_error();
}

static bool cert_facts(X509 *x, struct cert_facts *f)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    name_oneline(X509_get_subject_name(x), f->subject, sizeof(f->subject));
    name_oneline(X509_get_issuer_name(x), f->issuer, sizeof(f->issuer));
    cert_serial_hex(x, f->serial, sizeof(f->serial));
    f->not_before = cert_time_to_unix(X509_get0_notBefore(x));
    f->not_after = cert_time_to_unix(X509_get0_notAfter(x));
    if (!X509_digest(x, EVP_sha256(), md, &mdlen) || mdlen != 32)
        return false;
    hex_encode(md, mdlen, f->fingerprint);
    return f->not_before != INT64_MIN && f->not_after != INT64_MIN;
}

static bool is_ca(X509 *x)
{
    return (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
}

static bool extensions_valid(X509 *x)
{
    return (X509_get_extension_flags(x) & EXFLAG_INVALID) == 0;
}

static bool is_self_signed(X509 *x)
{
    return X509_check_issued(x, x) == X509_V_OK;
}

/* Revoked certificates listed; an empty CRL has no list at all. */
static int crl_entries(X509_CRL *crl)
{
    int n = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
    return n > 0 ? n : 0;
}

/* ---- changes ---- */

result_t trust_bump_generation(struct db_conn *c)
{
    result_t r = db_run(c,
                        "UPDATE setting SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                        "WHERE key = 'trust_generation'",
                        "");
    if (r == RES_OK && db_changes(c) == 0)
        r = db_run(c, "INSERT INTO setting (key, value) VALUES ('trust_generation', '1')", "");
    return r;
}

#define CERT_COLS                                                                             \
    "c.id, c.kind, c.subject, c.issuer, c.serial, c.fingerprint, c.not_before, c.not_after, " \
    "c.active, c.created_at, COALESCE(u.full_name, '') FROM trust_cert c "                    \
    "LEFT JOIN app_user u ON u.id = c.created_by "
#define CERT_SPEC                                                                     \
    "id:i,kind:t,subject:t,issuer:t,serial:t,fingerprint:t,not_before:i,not_after:i," \
    "active:b,created_at:i,created_by_name:t"
#define CRL_COLS                                                                         \
    "c.id, c.issuer, c.this_update, c.next_update, c.entries, c.fingerprint, c.active, " \
    "c.created_at, COALESCE(u.full_name, '') FROM trust_crl c "                          \
    "LEFT JOIN app_user u ON u.id = c.created_by "
#define CRL_SPEC                                                                  \
    "id:i,issuer:t,this_update:i,next_update:i,entries:i,fingerprint:t,active:b," \
    "created_at:i,created_by_name:t"

/* Queues the audit row of a trust-store change (core/tx.h): installation-wide. */
static void audit_trust(struct tx *t, const struct actor *a, const char *action, const char *type,
                        int64_t id, const char *summary)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    tx_audit(t, &(struct audit_entry){.actor_id = a->user_id,
                                      .actor_login = a->login,
                                      .agency_id = 0,
                                      .action = action,
                                      .object_type = type,
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = a->client_addr});
}

/* Rows by id, in the order given, as a JSON array (after the commit). */
static json_t *rows_by_id(struct db_conn *c, const char *select, const char *spec,
                          const int64_t *ids, int n)
{
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        struct db_stmt *s = NULL;
        if (db_query(c, &s, select, "i", ids[i]) != RES_OK)
            continue;
        if (db_step(s) == RES_ROW)
            json_array_append_new(out, db_row_json(s, spec));
        db_finalize(s);
    }
    return out;
}

/* Inserts one certificate, or reactivates a removed row with the same fingerprint. */
static result_t store_cert(struct db_conn *c, const struct actor *a, X509 *x,
                           const struct cert_facts *f, bool root, struct verrs *e, int64_t *id)
{
    struct db_stmt *s = NULL;
    int64_t now = clock_now();
    result_t r = db_query(c, &s, "SELECT id, active FROM trust_cert WHERE fingerprint = $1", "t",
                          f->fingerprint);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    int64_t existing = r == RES_ROW ? db_col_i64(s, 0) : 0;
    bool active = r == RES_ROW && db_col_i64(s, 1);
    db_finalize(s);
    if (r != RES_ROW && r != RES_DONE)
        return r;
    if (active) {
        verrs_add(e, "file", "Chứng thư này đã có trong danh sách tin cậy.");
        return RES_CONFLICT;
    }
    if (existing) {
        *id = existing;
        return db_run(c,
                      "UPDATE trust_cert SET active = 1, kind = $1, created_by = $2, "
                      "created_at = $3 WHERE id = $4",
                      "tIii", root ? "root" : "intermediate", a->user_id, now, existing);
    }
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    if (len <= 0)
        return RES_INTERNAL;
    r = db_one_i64(c, id,
                   "INSERT INTO trust_cert (kind, subject, issuer, serial, fingerprint, "
                   "not_before, not_after, der, active, created_by, created_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id",
                   "tttttiibIi", root ? "root" : "intermediate", f->subject, f->issuer, f->serial,
                   f->fingerprint, f->not_before, f->not_after, der, (size_t)len, a->user_id, now);
    OPENSSL_free(der);
    return r;
}

/* Every certificate of the file, one audit row each, and the generation bump. A
 * duplicate is a refusal (RES_CONFLICT, with its field error). */
struct certs_put {
    const struct actor *a;
    STACK_OF(X509) * certs;
    const struct cert_facts *facts;
    const bool *skip;
    int64_t *ids;                           /* out, count of them */
    char (*summaries)[NAME_MAX_BYTES + 64]; /* out */
    struct verrs *e;
    int count; /* out */
};

static result_t certs_put_tx(struct tx *t, void *arg)
{
    struct certs_put *cp = arg;
    struct db_conn *c = tx_conn(t);
    result_t r;
    cp->count = 0;
    for (int i = 0; i < sk_X509_num(cp->certs); i++) {
        if (cp->skip[i])
            continue;
        X509 *x = sk_X509_value(cp->certs, i);
        bool root = is_self_signed(x);
        int k = cp->count;
        if ((r = store_cert(c, cp->a, x, &cp->facts[i], root, cp->e, &cp->ids[k])) != RES_OK)
            return r; /* a refusal (duplicate) ends the unit: nothing is written */
        snprintf(cp->summaries[k], sizeof(cp->summaries[k]), "%s: %s",
                 root ? "Chứng thư gốc" : "Chứng thư trung gian", cp->facts[i].subject);
        audit_trust(t, cp->a, "trust_cert_add", "trust_cert", cp->ids[k], cp->summaries[k]);
        cp->count++;
    }
    return trust_bump_generation(c);
}

result_t trust_add_certs(struct app *app, const struct actor *a, const unsigned char *data,
                         size_t len, struct verrs *e, json_t **added)
{
    result_t r = authz_check(a, AZ_TRUST_MANAGE, 0);
    if (r != RES_OK)
        return r;
    if (!data || len == 0) {
        verrs_add(e, "file", "Chưa chọn tệp chứng thư.");
        return RES_INVALID;
    }
    if (len > TRUST_MAX_FILE) {
        verrs_add(e, "file", "Tệp quá lớn (tối đa 1 MB).");
        return RES_INVALID;
    }
    STACK_OF(X509) *certs = NULL;
    if (cert_parse_certs(data, len, TRUST_MAX_CERTS, &certs) != RES_OK) {
        verrs_add(e, "file", "Tệp không chứa chứng thư số hợp lệ (PEM hoặc DER).");
        return RES_INVALID;
    }
    int n = sk_X509_num(certs);
    struct cert_facts *facts = xcalloc((size_t)n, sizeof(*facts));
    int64_t *ids = xcalloc((size_t)n, sizeof(*ids));
    bool *skip = xcalloc((size_t)n, sizeof(*skip));
    char(*summaries)[NAME_MAX_BYTES + 64] = xcalloc((size_t)n, sizeof(*summaries));
    struct db_conn *c = NULL;
    for (int i = 0; i < n; i++) {
        X509 *x = sk_X509_value(certs, i);
        if (!cert_facts(x, &facts[i]) || !extensions_valid(x)) {
            verrs_add(e, "file", "Tệp không chứa chứng thư số hợp lệ (PEM hoặc DER).");
            r = RES_INVALID;
            goto out;
        }
        if (!is_ca(x)) {
            verrs_add(e, "file",
                      "Đây là chứng thư của người dùng cuối, không phải của tổ chức chứng "
                      "thực (CA). Chỉ nhận chứng thư gốc hoặc trung gian.");
            r = RES_INVALID;
            goto out;
        }
        if (is_self_signed(x) && X509_verify(x, X509_get0_pubkey(x)) != 1) {
            ERR_clear_error();
            verrs_add(e, "file", "Chữ ký trên chứng thư gốc không hợp lệ.");
            r = RES_INVALID;
            goto out;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(facts[j].fingerprint, facts[i].fingerprint) == 0)
                skip[i] = true; /* the same certificate twice in one file */
    }
    if (!(c = db_conn(app->db))) {
        r = RES_DB;
        goto out;
    }
    struct certs_put cp = {.a = a,
                           .certs = certs,
                           .facts = facts,
                           .skip = skip,
                           .ids = ids,
                           .summaries = summaries,
                           .e = e};
    if ((r = tx_run(app->db, certs_put_tx, &cp)) != RES_OK)
        goto out;
    int count = cp.count;
    if (added)
        *added = rows_by_id(c, "SELECT " CERT_COLS "WHERE c.id = $1", CERT_SPEC, ids, count);
out:
    free(facts);
    free(ids);
    free(skip);
    free(summaries);
    sk_X509_pop_free(certs, X509_free);
    return r;
}

/* Is the CRL signed by a certificate of the store? */
static bool crl_issuer_trusted(const struct certstore *cs, X509_CRL *crl)
{
    bool found = false;
    STACK_OF(X509) *roots = X509_STORE_get1_all_certs(cs->store);
    STACK_OF(X509) * lists[2] = {roots, cs->intermediates};
    for (int l = 0; l < 2 && !found; l++) {
        for (int i = 0; i < sk_X509_num(lists[l]) && !found; i++) {
            X509 *x = sk_X509_value(lists[l], i);
            found = X509_NAME_cmp(X509_get_subject_name(x), X509_CRL_get_issuer(crl)) == 0 &&
                    X509_CRL_verify(crl, X509_get0_pubkey(x)) == 1;
        }
    }
    sk_X509_pop_free(roots, X509_free);
    ERR_clear_error();
    return found;
}

struct crl_put {
    const struct actor *a;
    const char *issuer, *fp;
    const unsigned char *der;
    size_t derlen;
    int64_t this_update, next_update;
    int entries;
    bool newer; /* out: refused because a newer list of the issuer is active */
    int64_t id; /* out */
};

static result_t crl_put_tx(struct tx *t, void *arg)
{
    struct crl_put *cp = arg;
    struct db_conn *c = tx_conn(t);
    int64_t existing = 0, newer = 0;
    struct db_stmt *s = NULL;
    result_t r;
    cp->newer = false;
    cp->id = 0;
    if ((r = db_query(c, &s, "SELECT id, active FROM trust_crl WHERE fingerprint = $1", "t",
                      cp->fp)) != RES_OK)
        return r;
    if ((r = db_step(s)) == RES_ROW) {
        existing = db_col_i64(s, 0);
        if (db_col_i64(s, 1)) {
            db_finalize(s);
            return RES_CONFLICT; /* this very list is active */
        }
    }
    db_finalize(s);
    if (r != RES_ROW && r != RES_DONE)
        return r;
    r = db_one_i64(c, &newer,
                   "SELECT id FROM trust_crl WHERE issuer = $1 AND active = 1 AND this_update > $2",
                   "ti", cp->issuer, cp->this_update);
    if (r == RES_OK) {
        cp->newer = true;
        return RES_CONFLICT;
    }
    if (r != RES_NOT_FOUND)
        return r;
    /* A newer list of the same issuer replaces the older ones (they stay for the record). */
    r = db_run(c, "UPDATE trust_crl SET active = 0 WHERE issuer = $1 AND active = 1", "t",
               cp->issuer);
    if (r == RES_OK && existing) {
        cp->id = existing;
        r = db_run(c,
                   "UPDATE trust_crl SET active = 1, created_by = $1, created_at = $2 "
                   "WHERE id = $3",
                   "Iii", cp->a->user_id, clock_now(), existing);
    } else if (r == RES_OK) {
        r = db_one_i64(c, &cp->id,
                       "INSERT INTO trust_crl (issuer, this_update, next_update, entries, "
                       "fingerprint, der, active, created_by, created_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
                       "tiiitbIi", cp->issuer, cp->this_update, cp->next_update,
                       (int64_t)cp->entries, cp->fp, cp->der, cp->derlen, cp->a->user_id,
                       clock_now());
    }
    /* trust_crl_one_active or the fingerprint: a concurrent import of this issuer
     * committed first. Replay (RES_BUSY): the checks above then see it. */
    if (r == RES_CONFLICT)
        r = RES_BUSY;
    if (r == RES_OK)
        r = trust_bump_generation(c);
    if (r != RES_OK)
        return r;
    char summary[NAME_MAX_BYTES + 64];
    snprintf(summary, sizeof(summary), "CRL của %s (%d chứng thư bị thu hồi)", cp->issuer,
             cp->entries);
    audit_trust(t, cp->a, "trust_crl_add", "trust_crl", cp->id, summary);
    return RES_OK;
}

result_t trust_add_crl(struct app *app, const struct actor *a, const unsigned char *data,
                       size_t len, struct verrs *e, json_t **added)
{
    result_t r = authz_check(a, AZ_TRUST_MANAGE, 0);
    if (r != RES_OK)
        return r;
    if (!data || len == 0) {
        verrs_add(e, "file", "Chưa chọn tệp danh sách thu hồi.");
        return RES_INVALID;
    }
    if (len > TRUST_MAX_FILE) {
        verrs_add(e, "file", "Tệp quá lớn (tối đa 1 MB).");
        return RES_INVALID;
    }
    X509_CRL *crl = NULL;
    (void)certstore_parse_crl(data, len, &crl); /* NULL when invalid: answered below */
    unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
    unsigned int mdlen = 0;
    int derlen = 0;
    char issuer[NAME_MAX_BYTES], fp[65];
    int64_t this_update = 0, next_update = 0, id = 0;
    if (crl) {
        this_update = cert_time_to_unix(X509_CRL_get0_lastUpdate(crl));
        next_update =
            X509_CRL_get0_nextUpdate(crl) ? cert_time_to_unix(X509_CRL_get0_nextUpdate(crl)) : 0;
        derlen = i2d_X509_CRL(crl, &der);
    }
    if (!crl || this_update == INT64_MIN || next_update == INT64_MIN || derlen <= 0 ||
        !X509_CRL_digest(crl, EVP_sha256(), md, &mdlen) || mdlen != 32) {
        verrs_add(e, "file", "Tệp không phải danh sách thu hồi chứng thư (CRL) hợp lệ.");
        r = RES_INVALID;
        goto out;
    }
    hex_encode(md, mdlen, fp);
    name_oneline(X509_CRL_get_issuer(crl), issuer, sizeof(issuer));
    const struct certstore *cs = trust_acquire(app);
    bool trusted = crl_issuer_trusted(cs, crl);
    trust_release(app, cs);
    if (!trusted) {
        verrs_add(e, "file", "Danh sách thu hồi không do CA tin cậy phát hành.");
        r = RES_INVALID;
        goto out;
    }
    int entries = crl_entries(crl);
    struct db_conn *c = db_conn(app->db);
    if (!c) {
        r = RES_DB;
        goto out;
    }
    struct crl_put cp = {.a = a,
                         .issuer = issuer,
                         .fp = fp,
                         .der = der,
                         .derlen = (size_t)derlen,
                         .this_update = this_update,
                         .next_update = next_update,
                         .entries = entries};
    r = tx_run(app->db, crl_put_tx, &cp);
    if (r == RES_CONFLICT)
        verrs_add(e, "file",
                  cp.newer ? "Đã có danh sách thu hồi mới hơn của CA này."
                           : "Danh sách thu hồi này đã được thêm.");
    if (r != RES_OK)
        goto out;
    id = cp.id;
    if (added)
        *added = rows_by_id(c, "SELECT " CRL_COLS "WHERE c.id = $1", CRL_SPEC, &id, 1);
    goto out;
out:
    OPENSSL_free(der);
    X509_CRL_free(crl);
    return r;
}

struct row_off {
    const struct actor *a;
    const char *table; /* "trust_cert" or "trust_crl" */
    int64_t id;
    bool already; /* out: the row was inactive (nothing to do, rolled back) */
};

static result_t row_off_tx(struct tx *t, void *arg)
{
    struct row_off *ro = arg;
    struct db_conn *c = tx_conn(t);
    bool cert = strcmp(ro->table, "trust_cert") == 0;
    char sql[160];
    struct db_stmt *s = NULL;
    result_t r;
    ro->already = false;
    snprintf(sql, sizeof(sql), "SELECT active, %s FROM %s WHERE id = $1",
             cert ? "subject" : "issuer", ro->table);
    if ((r = db_query(c, &s, sql, "i", ro->id)) != RES_OK)
        return r;
    char summary[NAME_MAX_BYTES + 64] = "";
    bool active = false;
    r = db_step(s);
    if (r == RES_ROW) {
        active = db_col_i64(s, 0);
        snprintf(summary, sizeof(summary), "%s: %s", cert ? "Gỡ chứng thư" : "Gỡ CRL của",
                 db_col_text(s, 1));
    }
    db_finalize(s);
    if (r != RES_ROW)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    if (!active) {
        ro->already = true;
        return RES_CONFLICT;
    }
    snprintf(sql, sizeof(sql), "UPDATE %s SET active = 0 WHERE id = $1", ro->table);
    r = db_run(c, sql, "i", ro->id);
    if (r == RES_OK)
        r = trust_bump_generation(c);
    if (r != RES_OK)
        return r;
    audit_trust(t, ro->a, cert ? "trust_cert_remove" : "trust_crl_remove", ro->table, ro->id,
                summary);
    return RES_OK;
}

static result_t remove_row(struct app *app, const struct actor *a, const char *table, int64_t id)
{
    result_t r = authz_check(a, AZ_TRUST_MANAGE, 0);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct row_off ro = {.a = a, .table = table, .id = id};
    r = tx_run(app->db, row_off_tx, &ro);
    /* removing twice is not an error: the row stays, inactive, for the record */
    return r == RES_CONFLICT && ro.already ? RES_OK : r;
}

result_t trust_remove_cert(struct app *app, const struct actor *a, int64_t id)
{
    return remove_row(app, a, "trust_cert", id);
}

result_t trust_remove_crl(struct app *app, const struct actor *a, int64_t id)
{
    return remove_row(app, a, "trust_crl", id);
}

/* ---- listing ---- */

static bool fingerprint_listed(json_t *rows, const char *fp)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *f = json_string_value(json_object_get(row, "fingerprint"));
        if (f && strcmp(f, fp) == 0 && json_is_true(json_object_get(row, "active")))
            return true;
    }
    return false;
}

/* Certificates and CRLs that come from <data_dir>/trust/ files (not in the database). */
static void add_file_entries(const struct certstore *cs, json_t *certs, json_t *crls)
{
    STACK_OF(X509) *roots = X509_STORE_get1_all_certs(cs->store);
    STACK_OF(X509) * lists[2] = {roots, cs->intermediates};
    for (int l = 0; l < 2; l++) {
        for (int i = 0; i < sk_X509_num(lists[l]); i++) {
            X509 *x = sk_X509_value(lists[l], i);
            struct cert_facts f;
            if (!cert_facts(x, &f) || fingerprint_listed(certs, f.fingerprint))
                continue;
            json_array_append_new(
                certs,
                json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:b,s:i,s:s,s:s}", "id", 0, "kind",
                          l == 0 ? "root" : "intermediate", "subject", f.subject, "issuer",
                          f.issuer, "serial", f.serial, "fingerprint", f.fingerprint, "not_before",
                          (json_int_t)f.not_before, "not_after", (json_int_t)f.not_after, "active",
                          1, "created_at", 0, "created_by_name", "", "source", "file"));
        }
    }
    sk_X509_pop_free(roots, X509_free);
    for (int i = 0; i < sk_X509_CRL_num(cs->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(cs->crls, i);
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        char fp[65], issuer[NAME_MAX_BYTES];
        if (!X509_CRL_digest(crl, EVP_sha256(), md, &mdlen) || mdlen != 32)
            continue;
        hex_encode(md, mdlen, fp);
        if (fingerprint_listed(crls, fp))
            continue;
        name_oneline(X509_CRL_get_issuer(crl), issuer, sizeof(issuer));
        const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
        json_array_append_new(
            crls,
            json_pack("{s:i,s:s,s:I,s:I,s:i,s:s,s:b,s:i,s:s,s:s}", "id", 0, "issuer", issuer,
                      "this_update", (json_int_t)cert_time_to_unix(X509_CRL_get0_lastUpdate(crl)),
                      "next_update", (json_int_t)(next ? cert_time_to_unix(next) : 0), "entries",
                      crl_entries(crl), "fingerprint", fp, "active", 1, "created_at", 0,
                      "created_by_name", "", "source", "file"));
    }
    ERR_clear_error();
}

static void mark_source(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_object_set_new(row, "source", json_string("database"));
    }
}

result_t trust_list(struct app *app, const struct actor *a, json_t **out)
{
    result_t r = authz_check(a, AZ_TRUST_READ, 0);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    json_t *certs = NULL, *crls = NULL;
    if ((r = db_query(c, &s,
                      "SELECT " CERT_COLS "ORDER BY c.active DESC, "
                      "CASE c.kind WHEN 'root' THEN 0 ELSE 1 END, c.subject, c.id",
                      "")) != RES_OK ||
        (r = db_collect(s, CERT_SPEC, &certs)) != RES_OK)
        return r;
    if ((r = db_query(c, &s, "SELECT " CRL_COLS "ORDER BY c.active DESC, c.issuer, c.id DESC",
                      "")) != RES_OK ||
        (r = db_collect(s, CRL_SPEC, &crls)) != RES_OK) {
        json_decref(certs);
        return r;
    }
    mark_source(certs);
    mark_source(crls);
    const struct certstore *cs = trust_acquire(app);
    add_file_entries(cs, certs, crls);
    trust_release(app, cs);
    *out = json_pack("{s:o,s:o}", "certificates", certs, "crls", crls);
    return RES_OK;
}
