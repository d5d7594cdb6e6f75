/* Arrival and issue numbers: consecutive within a register and a year, restarting on
 * 1 January in Vietnam time (ND30 Điều 22, standards.md §2). The counter row is moved
 * inside the caller's transaction, so the number and the document that uses it commit
 * or roll back together; the unique index document_reg_number stands behind it. */
#include <time.h>

#include "db/db.h"
#include "doc/doc.h"
#include "util/clock.h"

int doc_year_of(int64_t t)
{
    time_t v = (time_t)(t + VN_UTC_OFFSET);
    struct tm tm;
    if (!gmtime_r(&v, &tm))
        return 0;
    return tm.tm_year + 1900;
}

result_t doc_number_next(struct db_conn *c, int64_t register_id, int year, int64_t *out)
{
    *out = 0;
    /* The first document of the year creates the row; a concurrent first one waits on
     * the primary key and then does nothing. */
    result_t r =
        db_run(c,
               "INSERT INTO doc_counter (register_id, year, next_number) VALUES ($1, $2, 1) "
               "ON CONFLICT (register_id, year) DO NOTHING",
               "ii", register_id, (int64_t)year);
    if (r != RES_OK)
        return r;
    /* The row lock (PostgreSQL) or the write lock (SQLite) makes the others queue here
     * until this transaction ends. */
    r = db_one_i64(c, out,
                   "UPDATE doc_counter SET next_number = next_number + 1 WHERE register_id = $1 "
                   "AND year = $2 RETURNING next_number - 1",
                   "ii", register_id, (int64_t)year);
    return r == RES_NOT_FOUND ? RES_INTERNAL : r;
}
