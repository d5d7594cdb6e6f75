/* One way for C unit tests to get a real application on SQLite: a fresh temporary data
 * directory, the migrated database, the demo province, optionally the blob store, and
 * the `system` actor (the CLI's). Tests of core and doc share it instead of each
 * building the same start-up. */
#ifndef QLVB_TEST_APP_FIXTURE_H
#define QLVB_TEST_APP_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "blob/blob.h"
#include "core/actor.h"
#include "core/app.h"
#include "core/demo.h"
#include "db/db.h"

/* 0 on success; the data directory is written to dir (at least 64 bytes). */
static int app_fixture_open(struct app *app, struct actor *sys, char *dir, size_t dirsize,
                            const char *name, bool with_blobs)
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
    if (db_open(url, &app->db) != RES_OK || db_migrate(app->db) != RES_OK)
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

#endif
