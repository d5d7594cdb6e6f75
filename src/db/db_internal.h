/* Between db.c and db_tx.c: the combined write transactions of single-writer engines
 * (db.c, "combined write transactions"). Not for callers outside src/db/. */
#ifndef QLVB_DB_INTERNAL_H
#define QLVB_DB_INTERNAL_H

#include <stdbool.h>

#include "db/db.h"

/* Whether db_tx on c runs through db_tx_combined: a single-writer engine, combining on
 * (QLVB_DB_COMBINE unset or not "0") and c in no transaction, with no open statement. */
bool db_tx_combines(struct db *db, struct db_conn *c);
/* Runs fn(c', arg) in a batch with the other waiting units, c' the leader's connection;
 * fn's result, acknowledged after the sync covering the batch's commit. *alone true:
 * the batch broke and nothing of this unit stayed; run it again alone (*ran: fn ran
 * once already, which counts as one of db_tx's tries). */
result_t db_tx_combined(struct db *db, struct db_conn *c, db_tx_fn fn, void *arg, bool *alone,
                        bool *ran);

/* Whether c holds a read snapshot of db_read_begin, where no write may run (logged). */
bool db_in_read(const struct db_conn *c);

#endif
