#!/usr/bin/env bash
# The layering check (docs/architecture.md "Layers"): every #include "dir/file.h" in
# src/<layer>/*.[ch] must name the file's own layer or a lower one, and the libraries
# that one layer owns (MuPDF, libmicrohttpd, SQLite, libpq, libxml2/xmlsec, utf8proc,
# libxlsxwriter)
# are included only there. Prints every violation and one closing line
# "layers: N passed, N failed" (one test) for tests/run.sh; exits 1 on a violation.
set -u
cd "$(dirname "$0")/.."

find src -name '*.[ch]' | sort | awk '
BEGIN {
    # Rank of each layer, lowest first; a layer may include only strictly lower ranks
    # (peers of one rank do not include each other). Keep in step with the docs.
    split("util:0 text:1 crypto:1 db:1 xml:2 pdf:2 report:2 blob:2 jobs:2 core:3 doc:4 http:5 " \
          "api:6 web:6 cli:7 main:8", pairs, " ")
    for (i in pairs) { split(pairs[i], kv, ":"); rank[kv[1]] = kv[2] }
    # System headers (prefix of the name in <...>) and the one layer that owns each.
    split("mupdf/:pdf microhttpd.h:http sqlite3.h:db libpq-fe.h:db libxml/:xml " \
          "xmlsec/:xml utf8proc.h:text xlsxwriter:report", libs, " ")
    bad = 0
}
function layer_of(path,    p) {
    if (path == "src/main.c" || path == "src/version.h") return path == "src/main.c" ? "main" : "util"
    split(path, p, "/")
    return p[2]
}
{
    file = $0
    own = layer_of(file)
    if (!(own in rank)) {
        printf "%s: layer \"%s\" has no place in the order (tests/layers.sh, docs/architecture.md)\n", file, own
        bad++
        next
    }
    n = 0
    while ((getline line < file) > 0) {
        n++
        if (line ~ /^[ \t]*#[ \t]*include[ \t]*"/) {
            inc = line
            sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
            if (index(inc, "/") == 0) continue  # version.h, check.h: no layer
            dep = inc; sub(/\/.*$/, "", dep)
            if (dep == own) continue
            if (!(dep in rank)) {
                printf "%s:%d: includes \"%s\" of an unknown layer\n", file, n, inc
                bad++
            } else if (rank[dep] >= rank[own]) {
                printf "%s:%d: %s (rank %d) includes \"%s\" of %s (rank %d)\n", file, n, own, rank[own], inc, dep, rank[dep]
                bad++
            }
        } else if (line ~ /^[ \t]*#[ \t]*include[ \t]*</) {
            inc = line
            sub(/^[^<]*</, "", inc); sub(/>.*$/, "", inc)
            for (i in libs) {
                split(libs[i], kv, ":")
                if (index(inc, kv[1]) == 1 && own != kv[2]) {
                    printf "%s:%d: <%s> belongs to %s/ only\n", file, n, inc, kv[2]
                    bad++
                }
            }
        }
    }
    close(file)
}
END {
    if (bad) printf "layers: %d violation(s)\n", bad
    printf "layers: %d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0
    exit bad ? 1 : 0
}'
