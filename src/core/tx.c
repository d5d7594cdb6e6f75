/* The audit-aware wrapper around db_tx (db/db_tx.c): the callback queues audit rows,
 * the wrapper appends them after the callback's writes and before commit, inside the
 * same attempt, so a retry on RES_BUSY replays writes and rows together. */
#include "core/tx.h"

#include <stdbool.h>
#include <stdlib.h>

#include "db/db.h"
#include "util/alloc.h"
#include "util/log.h"

/* Rows one unit may queue: a state change needs one or two, an issuance one per side of
 * each delivery (doc_deliver + doc_arrive for up to 100 recipient agencies) and its own. */
#define TX_AUDIT_MAX 256

struct tx {
    struct db_conn *c;
    tx_fn fn;
    void *arg;
    bool need_audit;
    bool overflow;
    int n, cap;
    struct audit_entry *rows; /* grown on demand up to TX_AUDIT_MAX */
};

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void rows_clear(struct tx *t)
{
    for (int i = 0; i < t->n; i++) {
        struct audit_entry *e = &t->rows[i];
        free((char *)e->actor_login);
        free((char *)e->action);
        free((char *)e->object_type);
        free((char *)e->object_id);
        free((char *)e->summary);
        free((char *)e->client_addr);
    }
    t->n = 0;
    t->overflow = false;
}

struct db_conn *tx_conn(struct tx *t)
{
    return t->c;
}

void tx_audit(struct tx *t, const struct audit_entry *e)
{
    if (t->n == TX_AUDIT_MAX) {
        t->overflow = true;
        return;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 4 : 4;
        if (t->cap > TX_AUDIT_MAX)
            t->cap = TX_AUDIT_MAX;
        t->rows = xrealloc(t->rows, (size_t)t->cap * sizeof(*t->rows));
    }
    t->rows[t->n++] = (struct audit_entry){
        .actor_id = e->actor_id,
        .actor_login = dup_or_null(e->actor_login),
        .agency_id = e->agency_id,
        .action = dup_or_null(e->action),
        .object_type = dup_or_null(e->object_type),
        .object_id = dup_or_null(e->object_id),
        .summary = dup_or_null(e->summary),
        .client_addr = dup_or_null(e->client_addr),
    };
}

/* One attempt, inside db_tx's transaction. */
static result_t attempt(struct db_conn *c, void *p)
{
    struct tx *t = p;
    rows_clear(t);
    t->c = c;
    result_t r = t->fn(t, t->arg);
    if (r != RES_OK)
        return r;
    bool complete = !t->overflow;
    for (int i = 0; i < t->n; i++)
        complete = complete && t->rows[i].action && *t->rows[i].action;
    if (!complete) {
        log_error("msg=\"transaction refused: too many audit rows or one without action\"");
        return RES_INTERNAL;
    }
    if (t->need_audit && t->n == 0) {
        log_error("msg=\"transaction refused: a state change without an audit row\"");
        return RES_INTERNAL;
    }
    for (int i = 0; i < t->n; i++)
        if ((r = audit_append(c, &t->rows[i])) != RES_OK)
            return r;
    return RES_OK;
}

static result_t run(struct db *db, tx_fn fn, void *arg, bool need_audit)
{
    struct tx t = {.fn = fn, .arg = arg, .need_audit = need_audit};
    result_t r = db_tx(db, attempt, &t);
    if (r != RES_OK && r != RES_CONFLICT && r != RES_NOT_FOUND && r != RES_INVALID &&
        r != RES_FORBIDDEN)
        log_error("msg=\"transaction rolled back\" action=%s result=%s",
                  t.n && t.rows[0].action ? t.rows[0].action : "-", result_name(r));
    rows_clear(&t);
    free(t.rows);
    return r;
}

result_t tx_run(struct db *db, tx_fn fn, void *arg)
{
    return run(db, fn, arg, true);
}

result_t tx_run_noaudit(struct db *db, tx_fn fn, void *arg)
{
    return run(db, fn, arg, false);
}

static result_t audit_only(struct tx *t, void *arg)
{
    tx_audit(t, arg);
    return RES_OK;
}

result_t tx_audit_only(struct db *db, const struct audit_entry *e)
{
    return tx_run(db, audit_only, (void *)e);
}
