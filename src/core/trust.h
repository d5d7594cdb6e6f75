/* The installation's trust store: trusted roots, intermediate CA certificates and
 * certificate revocation lists, kept in the database (trust_cert, trust_crl) and
 * managed by system administrators, plus PEM/CRL files an operator drops into
 * <data_dir>/trust/. Verification borrows a read-only certstore snapshot that is
 * rebuilt when the store changes (on any server of the installation: a generation
 * number in the setting table, and the directory's modification time, are compared
 * on each acquire). Implemented in trust.c (the store) and trust_cache.c (snapshots). */
#ifndef QLVB_CORE_TRUST_H
#define QLVB_CORE_TRUST_H

#include <jansson.h>
#include <stddef.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "crypto/certstore.h"
#include "util/result.h"

#define TRUST_MAX_FILE (1u << 20) /* a certificate or CRL file */

/* A snapshot of the store; never NULL (an empty store when nothing is configured or
 * the database cannot be read). Release every acquire. Thread-safe. */
const struct certstore *trust_acquire(struct app *app);
void trust_release(struct app *app, const struct certstore *cs);
/* Frees the cached snapshot (at shutdown, after every snapshot was released). */
void trust_shutdown(struct app *app);

/* Marks the store changed, inside the caller's write transaction on c (every writer
 * of trust_cert or trust_crl calls it before committing). */
struct db_conn;
result_t trust_bump_generation(struct db_conn *c);

/* Adds every CA certificate of a PEM or DER file: self-signed ones as roots, others as
 * intermediates. Leaf certificates, duplicates and garbage are refused with a
 * Vietnamese field error on "file". *added receives the new rows as a JSON array. */
result_t trust_add_certs(struct app *app, const struct actor *a, const unsigned char *data,
                         size_t len, struct verrs *e, json_t **added);
/* Adds a PEM or DER CRL whose signature verifies against a certificate of the store. */
result_t trust_add_crl(struct app *app, const struct actor *a, const unsigned char *data,
                       size_t len, struct verrs *e, json_t **added);
/* Lists: {"certificates": [...], "crls": [...]} with subject, issuer, validity, kind, active. */
result_t trust_list(struct app *app, const struct actor *a, json_t **out);
/* Removes (deactivates) a certificate or CRL; kept for the record. */
result_t trust_remove_cert(struct app *app, const struct actor *a, int64_t id);
result_t trust_remove_crl(struct app *app, const struct actor *a, int64_t id);

#endif
