/* One way for C unit tests to get a real application on SQLite: a fresh temporary data
 * directory, the migrated database, the demo province, optionally the blob store, and
 * the `system` actor (the CLI's). Tests of core and doc share it instead of each
 * building the same start-up; app_fixture_open_pg runs on PostgreSQL when asked. */
#ifndef QLVB_TEST_APP_FIXTURE_H
#define QLVB_TEST_APP_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob/blob.h"
#include "core/actor.h"
#include "core/app.h"
#include "core/demo.h"
#include "db/db.h"

/* The database of app_fixture_open_pg on QLVB_TEST_PG, "" when none. */
static char app_fixture_pg_url[600];

/* 0 on success; the data directory is written to dir (at least 64 bytes). The database
 * at url, or SQLite in dir when url is NULL. */
static int app_fixture_open_at(struct app *app, struct actor *sys, char *dir, size_t dirsize,
                               const char *name, bool with_blobs, const char *url_or_null)
{
    setenv("QLVB_ARGON2_MEMORY_KIB", "1024", 1);
    setenv("QLVB_ARGON2_ITERATIONS", "1", 1);
    snprintf(dir, dirsize, "/tmp/qlvb-%s-XXXXXX", name);
    if (!mkdtemp(dir))
        return 2;
    char url[160];
    snprintf(url, sizeof(url), "sqlite:%s/qlvb.db", dir);
    config_defaults(&app->cfg);
    snprintf(app->cfg.data_dir, sizeof(app->cfg.data_dir), "%s", dir);
    if (db_open(url_or_null ? url_or_null : url, &app->db) != RES_OK ||
        db_migrate(app->db) != RES_OK)
        return 2;
    if (with_blobs) {
        snprintf(url, sizeof(url), "file:%s/blobs", dir);
        if (blob_open(url, 0, &app->blobs) != RES_OK)
            return 2;
    }
    FILE *devnull = fopen("/dev/null", "w");
    result_t r = demo_seed(app, devnull);
    if (devnull)
        fclose(devnull);
    if (r != RES_OK)
        return 2;
    sys->system = true;
    snprintf(sys->login, sizeof(sys->login), "system");
    return 0;
}

static int app_fixture_open(struct app *app, struct actor *sys, char *dir, size_t dirsize,
                            const char *name, bool with_blobs)
{
    return app_fixture_open_at(app, sys, dir, dirsize, name, with_blobs, NULL);
}

/* Runs on PostgreSQL when QLVB_TEST_PG names a server (its maintenance database, as
 * tests/run.sh's PostgreSQL pass exports it): a throw-away database there,
 * qlvb_unit_<name>_<pid>, dropped by app_fixture_drop_pg; else as app_fixture_open. */
static inline int app_fixture_open_pg(struct app *app, struct actor *sys, char *dir, size_t dirsize,
                                      const char *name, bool with_blobs)
{
    const char *pg = getenv("QLVB_TEST_PG");
    if (!pg || !*pg)
        return app_fixture_open(app, sys, dir, dirsize, name, with_blobs);
    char db_name[64], sql[128];
    snprintf(db_name, sizeof(db_name), "qlvb_unit_%s_%d", name, (int)getpid());
    struct db *adm = NULL;
    if (db_open(pg, &adm) != RES_OK)
        return 2;
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db_name);
    bool ok = db_exec(db_conn(adm), sql) == RES_OK;
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db_name);
    ok = ok && db_exec(db_conn(adm), sql) == RES_OK;
    db_close(adm);
    if (!ok)
        return 2;
    /* the server's URL with its database name replaced */
    const char *auth = strstr(pg, "://");
    const char *slash = auth ? strchr(auth + 3, '/') : NULL;
    const char *query = slash ? strchr(slash, '?') : NULL;
    int head = slash ? (int)(slash - pg) : (int)strlen(pg);
    snprintf(app_fixture_pg_url, sizeof(app_fixture_pg_url), "%.*s/%s%s", head, pg, db_name,
             query ? query : "");
    fprintf(stderr, "== on postgres (%s)\n", db_name);
    return app_fixture_open_at(app, sys, dir, dirsize, name, with_blobs, app_fixture_pg_url);
}

/* After db_close: drops app_fixture_open_pg's database, if any. */
static inline void app_fixture_drop_pg(void)
{
    const char *pg = getenv("QLVB_TEST_PG");
    const char *slash = strrchr(app_fixture_pg_url, '/');
    if (!pg || !*pg || !app_fixture_pg_url[0] || !slash)
        return;
    char sql[128];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.*s", (int)strcspn(slash + 1, "?"),
             slash + 1);
    struct db *adm = NULL;
    if (db_open(pg, &adm) == RES_OK) {
        db_exec(db_conn(adm), sql);
        db_close(adm);
    }
}

/* Participant rows whose copy of their document's sort key (doc_participant_keys, for
 * the box to process) differs from the document: 0 when every copy is true, -1 when the
 * query failed. */
static inline int64_t app_fixture_stale_participant_keys(struct app *app)
{
    int64_t n = -1;
    if (db_one_i64(db_conn(app->db), &n,
                   "SELECT COUNT(*) FROM doc_participant p, document d WHERE d.id = "
                   "p.document_id AND (p.doc_urgency <> d.urgency OR "
                   "COALESCE(p.doc_received_at, -1) <> COALESCE(d.received_at, -1))",
                   "") != RES_OK)
        return -1;
    return n;
}

#endif
