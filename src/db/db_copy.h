/* Copying an installation's database into another engine (SQLite → PostgreSQL) for
 * `qlvb migrate-to-postgres`: rows of every table, references intact, identity
 * counters continued, row counts verified. The target must be freshly migrated to the
 * source's schema version; the audit chain is verified by the caller (core/audit). */
#ifndef QLVB_DB_COPY_H
#define QLVB_DB_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

#define DB_COPY_MAX_TABLES 128

struct db_copy_table {
    char name[64];
    int64_t rows;
};

struct db_copy_report {
    struct db_copy_table tables[DB_COPY_MAX_TABLES];
    int ntables;
    int bad_table; /* 1-based index of a table whose counts differ; 0 if none */
};

/* Called as rows are copied (every 500 rows and at the end of each table). */
typedef void (*db_copy_progress)(void *arg, const char *table, int64_t done, int64_t total);

/* True in *empty if db holds no table at all (a target must be empty before its
 * migrations run). */
result_t db_copy_target_empty(struct db *db, bool *empty);
/* Copies every table of from (SQLite) into to, in one transaction on to, then checks
 * the row counts: RES_INVALID (rep->bad_table) if they differ. */
result_t db_copy(struct db *from, struct db *to, db_copy_progress cb, void *arg,
                 struct db_copy_report *rep);

#endif
