/* The statements behind the specialist's boxes all and done and the leaders' tracking,
 * the shape before and after issue 11/12's change, run in process on one SQLite
 * database, alternating (old, new, old, new, ...) so that a shared machine's load falls
 * on both alike; p50/p99 per statement and the rows each returns (which must be the
 * same). Not a test; bench/views_pairs.sh measures the same through HTTP.
 *
 *   views_inproc DB [ITERATIONS]
 *
 * DB: a database made by bench/docs.sh (the demo specialist on ~9000 rows). */
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Runs st to the end; returns the rows and a checksum of the first column. */
static int run(sqlite3_stmt *st, long long *sum)
{
    int n = 0;
    *sum = 0;
    sqlite3_reset(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        n++;
        *sum = *sum * 31 + sqlite3_column_int64(st, 0);
    }
    return n;
}

#define STANDS_OR                                                                      \
    "(p.user_id = %lld OR (p.user_id IS NULL AND p.department_id = %lld AND p.role = " \
    "'for_info'))"
#define SET                                                                                  \
    "SELECT p.document_id FROM doc_participant p WHERE p.user_id = %lld%s UNION ALL SELECT " \
    "p.document_id FROM doc_participant p WHERE p.department_id = %lld AND p.user_id IS "    \
    "NULL AND p.role = 'for_info'%s"
#define LIST                                                                                \
    "SELECT d.id, d.subject, d.state, d.deadline FROM document d LEFT JOIN doc_register r " \
    "ON r.id = d.register_id WHERE d.agency_id = %lld AND d.direction = 'incoming' AND "
#define ORDER " ORDER BY d.urgency DESC, d.received_at DESC, d.id DESC LIMIT 21"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: views_inproc DB [ITERATIONS]\n");
        return 2;
    }
    int iter = 100;
    if (argc > 2) {
        char *end = NULL;
        errno = 0;
        long v = strtol(argv[2], &end, 10);
        if (errno || end == argv[2] || *end || v < 1 || v > 100000) {
            fprintf(stderr, "ITERATIONS: 1–100000\n");
            return 2;
        }
        iter = (int)v;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return 1;
    long long ag = one(db, "SELECT id FROM agency WHERE code = '000.00.04.H41'");
    long long u = one(db, "SELECT id FROM app_user WHERE login = '040090000145'");
    long long dep = one(db, "SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = "
                            "(SELECT id FROM app_user WHERE login = '040090000145')");
    char sql[4096], key[200];
    snprintf(sql, sizeof(sql),
             "SELECT urgency || ',' || received_at || ',' || id FROM document WHERE agency_id = "
             "%lld AND direction = 'incoming' AND id IN (SELECT document_id FROM "
             "doc_participant WHERE user_id = %lld) ORDER BY urgency DESC, received_at DESC, id "
             "DESC LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM doc_participant WHERE user_id = "
             "%lld)",
             ag, u, u);
    sqlite3_stmt *k = NULL;
    key[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) == SQLITE_OK && sqlite3_step(k) == SQLITE_ROW)
        snprintf(key, sizeof(key), "%s", (const char *)sqlite3_column_text(k, 0));
    sqlite3_finalize(k);
    char deep[256];
    snprintf(deep, sizeof(deep), " AND (d.urgency, d.received_at, d.id) < (%s)", key);
    char today[16], soon[16]; /* Vietnam dates; due soon: a week, as a stand-in */
    time_t vn = time(NULL) + 7 * 3600, week = vn + 7 * 86400;
    strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&vn));
    strftime(soon, sizeof(soon), "%Y-%m-%d", gmtime(&week));

    struct {
        const char *name;
        char sql[2][4096];
    } q[5];
    int nq = 0;
    for (int deepp = 0; deepp < 2; deepp++, nq++) {
        q[nq].name = deepp ? "all, deep page" : "all, first page";
        snprintf(q[nq].sql[0], sizeof(q[nq].sql[0]),
                 LIST "(d.created_by = %lld OR EXISTS (SELECT 1 FROM doc_participant p WHERE "
                      "p.document_id = d.id AND " STANDS_OR " LIMIT 1 OFFSET 0))%s" ORDER,
                 ag, u, u, dep, deepp ? deep : "");
        snprintf(q[nq].sql[1], sizeof(q[nq].sql[1]),
                 LIST "(d.id IN (" SET " UNION ALL SELECT s.id FROM document s WHERE s.created_by "
                      "= %lld)) IS TRUE%s" ORDER,
                 ag, u, "", dep, "", u, deepp ? deep : "");
    }
    const char *dn = " AND p.status IN ('done', 'forwarded', 'returned')";
    q[nq].name = "done (2 sets: unused)";
    snprintf(q[nq].sql[0], sizeof(q[nq].sql[0]),
             LIST
             "EXISTS (SELECT 1 FROM doc_participant p WHERE p.document_id = d.id AND " STANDS_OR
             " AND (p.status IN ('done', 'forwarded', 'returned') OR d.state = 'completed') "
             "LIMIT 1 OFFSET 0)" ORDER,
             ag, u, dep);
    snprintf(q[nq].sql[1], sizeof(q[nq].sql[1]),
             LIST "(d.id IN (" SET ") OR (d.id IN (" SET
                  ") AND d.state = 'completed')) IS TRUE" ORDER,
             ag, u, dn, dep, dn, u, "", dep, "");
    nq++;
    q[nq].name = "tracking, open rows";
    snprintf(q[nq].sql[0], sizeof(q[nq].sql[0]),
             "SELECT COALESCE(p.department_id, 0), COALESCE(p.user_id, 0), COALESCE(u.full_name, "
             "''), COALESCE(dp.name, ''), COUNT(*), SUM(CASE WHEN d.deadline < '%s' THEN 1 ELSE "
             "0 END), SUM(CASE WHEN d.deadline >= '%s' AND d.deadline <= '%s' THEN 1 ELSE 0 END) "
             "FROM doc_participant p JOIN document d ON d.id = p.document_id LEFT JOIN app_user u "
             "ON u.id = p.user_id LEFT JOIN department dp ON dp.id = p.department_id WHERE "
             "d.agency_id = %lld AND p.role = 'lead' AND p.active = 1 AND p.status IN "
             "('pending', 'in_progress') GROUP BY p.department_id, p.user_id, u.full_name, "
             "dp.name ORDER BY 1, 2",
             today, today, soon, ag);
    snprintf(q[nq].sql[1], sizeof(q[nq].sql[1]),
             "SELECT g.department_id, g.user_id, COALESCE(u.full_name, ''), COALESCE(dp.name, "
             "''), g.n, g.overdue, g.due_soon FROM (SELECT COALESCE(p.department_id, 0) AS "
             "department_id, COALESCE(p.user_id, 0) AS user_id, COUNT(*) AS n, SUM(CASE WHEN "
             "d.deadline < '%s' THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN d.deadline >= '%s' "
             "AND d.deadline <= '%s' THEN 1 ELSE 0 END) AS due_soon FROM doc_participant p CROSS "
             "JOIN document d WHERE d.id = p.document_id AND d.agency_id = %lld AND p.role = "
             "'lead' AND p.active = 1 AND p.status IN ('pending', 'in_progress') GROUP BY "
             "COALESCE(p.department_id, 0), COALESCE(p.user_id, 0)) g LEFT JOIN app_user u ON "
             "u.id = g.user_id LEFT JOIN department dp ON dp.id = g.department_id ORDER BY 1, 2",
             today, today, soon, ag);
    nq++;

    printf("%-22s %9s %9s %6s | %9s %9s %6s  same\n", "statement (in process)", "old p50",
           "old p99", "rows", "new p50", "new p99", "rows");
    for (int i = 0; i < nq; i++) {
        sqlite3_stmt *st[2] = {NULL, NULL};
        for (int v = 0; v < 2; v++)
            if (sqlite3_prepare_v2(db, q[i].sql[v], -1, &st[v], NULL) != SQLITE_OK) {
                fprintf(stderr, "%s: %s\n", q[i].name, sqlite3_errmsg(db));
                return 1;
            }
        double *t[2] = {malloc(sizeof(double) * (size_t)iter),
                        malloc(sizeof(double) * (size_t)iter)};
        int rows[2] = {0, 0};
        long long sum[2] = {0, 0};
        for (int n = 0; n < iter; n++)
            for (int v = 0; v < 2; v++) {
                double t0 = now_ms();
                rows[v] = run(st[v], &sum[v]);
                t[v][n] = now_ms() - t0;
            }
        printf("%-22s", q[i].name);
        for (int v = 0; v < 2; v++) {
            qsort(t[v], (size_t)iter, sizeof(double), cmp_d);
            printf(" %9.2f %9.2f %6d%s", t[v][iter / 2], t[v][(iter * 99) / 100], rows[v],
                   v ? "" : " |");
            free(t[v]);
            sqlite3_finalize(st[v]);
        }
        printf("  %s\n", rows[0] == rows[1] && sum[0] == sum[1] ? "yes" : "NO");
    }
    sqlite3_close(db);
    return 0;
}
