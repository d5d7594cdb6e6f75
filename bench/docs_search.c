/* In-process timing of the document search for bench/docs.sh: doc_list with q (the words
 * index of migration 0011, as the API runs it, minus HTTP) against a plain SQLite FTS5
 * phrase query over the same folded subjects, on the same database file, same process,
 * same run. FTS5 is timed twice: its own best case (the first matches by rowid, newest
 * first) and the page the list shows (matches joined to document, urgent first, newest
 * received). The FTS5 table lives in a side file (fts.db) built on first use. Not a test.
 *
 *   docs_search SQLITE_FILE [ITERATIONS]   prints one line per query */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/role.h"
#include "db/db.h"
#include "doc/doc.h"
#include "util/str.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void pct(double *v, int n, double *p50, double *p99)
{
    qsort(v, (size_t)n, sizeof(double), cmp_d);
    *p50 = v[n / 2];
    *p99 = v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
}

static int64_t one(struct db_conn *c, const char *sql, const char *arg)
{
    int64_t v = 0;
    if (db_one_i64(c, &v, sql, "t", arg) != RES_OK) {
        fprintf(stderr, "docs_search: %s failed\n", sql);
        exit(1);
    }
    return v;
}

static int fts_rows(sqlite3 *f, sqlite3_stmt *st, const char *match, int64_t agency)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_int64(st, 2, agency);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    (void)f;
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: docs_search SQLITE_FILE [ITERATIONS]\n");
        return 2;
    }
    long iters = 200;
    if (argc > 2) {
        char *end = NULL;
        iters = strtol(argv[2], &end, 10);
        if (end == argv[2] || *end || iters < 10 || iters > 1000000) {
            fprintf(stderr, "docs_search: ITERATIONS must be 10..1000000\n");
            return 2;
        }
    }
    char url[600];
    snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
    static struct app app;
    config_defaults(&app.cfg);
    if (db_open(url, &app.db) != RES_OK)
        return 1;
    struct db_conn *c = db_conn(app.db);
    struct actor leader = {0};
    leader.user_id = one(c, "SELECT id FROM app_user WHERE login = $1", "040090000142");
    leader.membership_id = one(c,
                               "SELECT id FROM membership WHERE user_id = (SELECT id FROM "
                               "app_user WHERE login = $1)",
                               "040090000142");
    leader.agency_id = one(c, "SELECT id FROM agency WHERE code = $1", "000.00.04.H41");
    leader.roles = ROLE_AGENCY_LEADER;
    str_copy(leader.login, "040090000142", sizeof(leader.login));

    /* FTS5 over the same folded subjects, in a side file. */
    char fts_path[600];
    snprintf(fts_path, sizeof(fts_path), "%s.fts.db", argv[1]);
    sqlite3 *f = NULL;
    if (sqlite3_open(fts_path, &f) != SQLITE_OK)
        return 1;
    char attach[700];
    snprintf(attach, sizeof(attach), "ATTACH '%s' AS m", argv[1]);
    sqlite3_exec(f, attach, NULL, NULL, NULL);
    sqlite3_exec(f, "PRAGMA cache_size = -200000", NULL, NULL, NULL);
    sqlite3_stmt *chk = NULL;
    sqlite3_prepare_v2(f, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'fts'", -1, &chk, NULL);
    sqlite3_step(chk);
    int have = sqlite3_column_int(chk, 0);
    sqlite3_finalize(chk);
    if (!have) {
        double t0 = now_ms();
        fprintf(stderr, "docs_search: building the FTS5 table …\n");
        sqlite3_exec(f,
                     "CREATE VIRTUAL TABLE fts USING fts5(subject, tokenize = 'unicode61 "
                     "remove_diacritics 2'); INSERT INTO fts(rowid, subject) SELECT id, "
                     "subject_folded FROM m.document WHERE agency_id = (SELECT id FROM m.agency "
                     "WHERE code = '000.00.04.H41'); INSERT INTO fts(fts) VALUES ('optimize')",
                     NULL, NULL, NULL);
        fprintf(stderr, "docs_search: FTS5 built in %.0f s\n", (now_ms() - t0) / 1000);
    }
    sqlite3_stmt *fa = NULL, *fb = NULL;
    sqlite3_prepare_v2(f, "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid DESC LIMIT 21",
                       -1, &fa, NULL);
    sqlite3_prepare_v2(f,
                       "SELECT d.id FROM m.document d WHERE d.id IN (SELECT rowid FROM fts WHERE "
                       "fts MATCH ?1) AND d.agency_id = ?2 AND d.direction = 'incoming' ORDER BY "
                       "d.urgency DESC, d.received_at DESC, d.id DESC LIMIT 21",
                       -1, &fb, NULL);

    static const char *const queries[][2] = {
        /* what a person types, the FTS5 phrase query for it */
        {"chuyển đổi số", "\"chuyen doi so\""},
        {"Đắk Lắk", "\"dak lak\""},
        {"Krông Pắc chuyển đổi số", "\"krong pac\" AND \"chuyen doi so\""},
        {"85/SNV", "\"85\" AND \"snv\""},
        {"phòng chống thiên", "\"phong chong thien\"*"},
        {"sở hữu trí tuệ Ea Kar", "\"so huu tri tue\" AND \"ea kar\""},
    };
    printf(
        "%-28s %8s %8s %6s | %8s %8s (fts5 first 21 by rowid) | %8s %8s %6s (fts5, list order)\n",
        "query", "p50 ms", "p99 ms", "rows", "p50", "p99", "p50", "p99", "rows");
    double *v = malloc(sizeof(double) * (size_t)iters);
    for (size_t qi = 0; qi < sizeof(queries) / sizeof(queries[0]); qi++) {
        double p50[3], p99[3];
        int rows[3] = {0};
        for (int mode = 0; mode < 3; mode++) {
            for (int i = 0; i < iters + 5; i++) {
                double t = now_ms();
                if (mode == 0) {
                    struct doc_filter fl = {.q = queries[qi][0], .urgency = -1, .limit = 20};
                    struct verrs e = {0};
                    json_t *list = NULL;
                    char *next = NULL;
                    if (doc_list(&app, &leader, &fl, &e, &list, &next) != RES_OK) {
                        fprintf(stderr, "docs_search: doc_list failed\n");
                        return 1;
                    }
                    rows[0] = (int)json_array_size(list);
                    json_decref(list);
                    free(next);
                } else {
                    rows[mode] = fts_rows(f, mode == 1 ? fa : fb, queries[qi][1], leader.agency_id);
                }
                if (i >= 5) /* the first runs warm the caches */
                    v[i - 5] = now_ms() - t;
            }
            pct(v, iters, &p50[mode], &p99[mode]);
        }
        printf("%-28s %8.2f %8.2f %6d | %8.2f %8.2f                          | %8.2f %8.2f %6d\n",
               queries[qi][0], p50[0], p99[0], rows[0], p50[1], p99[1], p50[2], p99[2],
               rows[2] > 20 ? 20 : rows[2]);
    }
    free(v);
    sqlite3_finalize(fa);
    sqlite3_finalize(fb);
    sqlite3_close(f);
    db_close(app.db);
    return 0;
}
