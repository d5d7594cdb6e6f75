/* The write path of core/: every state change runs as one tx_run() unit — begin, the
 * callback's writes, its audit rows, commit — so an acknowledged change always has its
 * audit row and a failed audit row means no change (docs/architecture.md "Write path").
 *
 * The callback gets the transaction's connection from tx_conn() and queues its audit
 * rows with tx_audit(); after it returns RES_OK the rows are appended to the chain and
 * the transaction commits. Any other result (a refusal like RES_CONFLICT, or an error)
 * rolls back everything and is returned. On RES_BUSY the whole unit runs again (at most
 * DB_TX_TRIES times, db/db.h), so a callback may run more than once:
 *   - it must (re)set every output it writes through `arg` at its start, and report
 *     results to the caller only through `arg`, read after tx_run returned RES_OK;
 *   - it must not act outside the database (no files, no messages, no signer calls).
 * The queued audit rows are cleared before each attempt. */
#ifndef QLVB_CORE_TX_H
#define QLVB_CORE_TX_H

#include "core/audit.h"
#include "util/result.h"

struct db;
struct db_conn;
struct tx;

typedef result_t (*tx_fn)(struct tx *t, void *arg);

/* The connection inside the transaction; valid only during the callback. */
struct db_conn *tx_conn(struct tx *t);
/* Queues an audit row (strings are copied). Appended in order before commit. */
void tx_audit(struct tx *t, const struct audit_entry *e);

/* A state change with its audit row(s): committing without at least one queued audit
 * row is refused (RES_INTERNAL, rolled back) — a change nobody can see in the log is a
 * bug. Callers must check the result. */
__attribute__((warn_unused_result)) result_t tx_run(struct db *db, tx_fn fn, void *arg);
/* Infrastructure writes that are not user actions and have no audit row (a session's
 * last-seen time, demo seed data, a signing draft (a user's scratch upload), the
 * sweeps of expired drafts and sessions). Audit rows queued here are still appended. */
__attribute__((warn_unused_result)) result_t tx_run_noaudit(struct db *db, tx_fn fn, void *arg);
/* An event that changes nothing else but must be on record (a failed login, a
 * signature handed out): its own transaction holding only the audit row. */
__attribute__((warn_unused_result)) result_t tx_audit_only(struct db *db,
                                                           const struct audit_entry *e);

#endif
