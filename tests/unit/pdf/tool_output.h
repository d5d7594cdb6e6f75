/* Test helpers for reading generated files back with independent tools (poppler's
 * pdftotext/pdfinfo, unzip): write the bytes to a file in a test directory, run a
 * command on it, return what it printed. Header-only: each test binary is one file. */
#ifndef QLVB_TEST_TOOL_OUTPUT_H
#define QLVB_TEST_TOOL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "util/buf.h"

/* The output of cmd_fmt (one %s: the file's path) run on b written to dir/name, at most
 * 1 MiB; malloc'd, NULL when the file could not be written or the command not run. */
static inline char *tool_output(const char *dir, const char *name, const struct buf *b,
                                const char *cmd_fmt)
{
    char path[256], cmd[768];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        if (f)
            fclose(f);
        return NULL;
    }
    fclose(f);
    snprintf(cmd, sizeof(cmd), cmd_fmt, path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    struct buf out = BUF_INIT(1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        (void)buf_append(&out, chunk, n);
    pclose(p);
    return buf_detach(&out, NULL);
}

/* White space runs (spaces, line and page breaks, tabs) squeezed to one space in place,
 * so that wrapped lines compare as one text. */
static inline void tool_squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (char *p = s; *p; p++) {
        bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\f';
        if (ws && space)
            continue;
        *w++ = ws ? ' ' : *p;
        space = ws;
    }
    *w = '\0';
}

#endif
