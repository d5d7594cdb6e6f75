/* The audit log (standards.md §12: who did what). Every state change appends a row in
 * the same transaction as the change. Rows are hash-chained: each stores the previous
 * row's hash, and audit_head keeps the last sequence and hash, so verify finds the
 * first altered, inserted or deleted row. */
#ifndef QLVB_AUDIT_H
#define QLVB_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

struct db;
struct db_conn;

struct audit_entry {
    int64_t actor_id; /* 0 = none (system, or unknown login) */
    const char *actor_login;
    int64_t agency_id;       /* 0 = installation-wide */
    const char *action;      /* key from audit_actions */
    const char *object_type; /* "user", "agency", ... */
    const char *object_id;
    const char *summary; /* short, human-readable: what changed */
    const char *client_addr;
};

struct audit_action {
    const char *key;
    const char *label; /* Vietnamese */
};
extern const struct audit_action audit_actions[];
const char *audit_action_label(const char *key);

/* Appends one row to the chain inside the caller's write transaction. State changes do
 * not call this: they queue rows with tx_audit() and run through tx_run() (core/tx.h),
 * which appends them before commit. */
result_t audit_append(struct db_conn *c, const struct audit_entry *e);
/* Failure injection for tests: the next n calls of audit_append fail with r (RES_DB,
 * or RES_BUSY to exercise retries) without writing; n = 0 turns it off. Never called
 * outside tests. */
void audit_fail_next(int n, result_t r);

struct audit_verify_report {
    int64_t rows;     /* rows checked */
    int64_t bad_id;   /* first bad row id, 0 if the chain is intact */
    char reason[256]; /* English, for sysadmins */
};
/* RES_OK if intact, RES_INVALID if tampered (report filled), other codes on errors. */
result_t audit_verify(struct db *db, struct audit_verify_report *rep);

struct audit_filter {
    int64_t agency_id; /* 0 = all agencies (system administrators only) */
    const char *actor; /* login, or folded name fragment */
    const char *action;
    int64_t from, to;  /* unix seconds; 0 = open */
    int64_t before_id; /* keyset paging: rows with id < before_id; 0 = newest */
    int limit;
};
/* Array of rows, newest first. */
result_t audit_list(struct db_conn *c, const struct audit_filter *f, json_t **out);
/* audit_list after the authorization check: agency 0 (everything) is for system
 * administrators; an agency administrator reads only their agency's rows. */
struct app;
struct actor;
result_t audit_search(struct app *app, const struct actor *a, const struct audit_filter *f,
                      json_t **out);

#endif
