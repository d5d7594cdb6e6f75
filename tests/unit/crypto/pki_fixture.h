/* Test helper: builds the throw-away PKI of scripts/test-pki.sh once per test binary in
 * a temporary directory (removed by pki_cleanup) and names files inside it. */
#ifndef QLVB_TEST_PKI_FIXTURE_H
#define QLVB_TEST_PKI_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

static char pki_dir_[64];

static inline const char *pki_dir(void)
{
    if (!pki_dir_[0]) {
        char cmd[256];
        snprintf(pki_dir_, sizeof(pki_dir_), "/tmp/qlvb-pki-XXXXXX");
        if (!mkdtemp(pki_dir_)) {
            perror("mkdtemp");
            exit(2);
        }
        snprintf(cmd, sizeof(cmd), "bash ../../scripts/test-pki.sh %s >/dev/null 2>&1", pki_dir_);
        if (system(cmd) != 0) {
            fprintf(stderr, "test-pki.sh failed\n");
            exit(2);
        }
    }
    return pki_dir_;
}

/* Path of a file of the PKI; returns a static buffer (rotating, 8 slots). */
static inline const char *pki_path(const char *name)
{
    static char paths[8][256];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 256, "%s/%s", pki_dir(), name);
    return p;
}

static inline void pki_cleanup(void)
{
    if (getenv("QLVB_KEEP_PKI")) /* debugging: keep the files the test wrote */
        fprintf(stderr, "kept %s\n", pki_dir_);
    else if (pki_dir_[0]) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", pki_dir_);
        if (system(cmd) != 0)
            fprintf(stderr, "cleanup of %s failed\n", pki_dir_);
    }
}

#endif
