#!/usr/bin/env bash
# Issuance throughput (issue 12 "Benchmark"): documents per second, each signed by the
# director (personal key: signature, then number and date stamped), sealed by the clerk
# (agency key) and issued to 5 agencies of the installation (5 incoming copies in the
# issuing transaction), over HTTP from parallel clients. Not a test.
#
#   bench/issue.sh [sqlite|postgres|both]     (default sqlite)
#
# 1. a fresh `qlvb init --demo` data directory (SQLite, or a private PostgreSQL cluster
#    from tests/pg.sh with QLVB_PG_DURABLE=1: fsync on, as in production); the test PKI
#    (scripts/test-pki.sh) trusted
# 2. qlvb serve --threads $BENCH_SERVER_THREADS (16)
# 3. baseline: wrk GET /api/v1/me (the cheapest authenticated request), $BENCH_DURATION
# 4. bench/issue.mjs: 5 new agencies (POST /api/v1/agencies as the system administrator),
#    the keys, N approved drafts addressed to the 5 agencies (not timed); then C clients
#    each take documents through sign → seal → issue (timed)
# 5. checks: numbers unique and consecutive, 5 copies per document, pdfsig of one sealed
#    document (both signatures valid) and its size
# 6. summary → bench/results/issue-latest.txt and stdout
#
# Env: BENCH_DOCS (200), BENCH_CLIENTS (8), BENCH_DURATION (5s, the baseline),
# BENCH_SERVER_THREADS (16), BENCH_TMP (/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/qlvb
ENGINES=${1:-sqlite}
[ "$ENGINES" = both ] && ENGINES="sqlite postgres"
DOCS=${BENCH_DOCS:-200}
CLIENTS=${BENCH_CLIENTS:-8}
DURATION=${BENCH_DURATION:-5s}
STHREADS=${BENCH_SERVER_THREADS:-16}
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
for tool in wrk curl python3 node pdfsig; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: run make first" >&2; exit 1; }
export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/qlvb-bench-issue-XXXXXX")
PID= PGDIR=
cleanup() {
    [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$PGDIR" ] && bash "$ROOT/tests/pg.sh" stop "$PGDIR" >/dev/null 2>&1
    [ -n "${BENCH_KEEP:-}" ] && tail -n 30 "$WORK"/serve-*.log >&2
    rm -rf "$WORK"
    true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash scripts/test-pki.sh "$WORK/pki" >/dev/null 2>&1
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
lat() { # 50% or 99% line of wrk --latency, in ms
    awk -v want="$2" '$1 == want {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : -1
        printf "%.2f", v * f }' "$1"
}
jget() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); exec("v=d"+sys.argv[2]); print(v)' "$1" "$2"; }

SUMMARY=$WORK/summary.txt
: >"$SUMMARY"
for ENGINE in $ENGINES; do
    DATA=$WORK/data-$ENGINE
    DBARGS=()
    if [ "$ENGINE" = postgres ]; then
        PGDIR=$(mktemp -u /tmp/qlvb-bench-issue-pg-XXXXXX)
        PGURL=$(QLVB_PG_DURABLE=1 bash "$ROOT/tests/pg.sh" start "$PGDIR")
        DBARGS=(--db "$PGURL")
    fi
    "$BIN" init --data "$DATA" "${DBARGS[@]}" --demo >/dev/null 2>&1
    mkdir -p "$DATA/trust" && cp "$WORK/pki/root.pem" "$WORK/pki/inter.pem" "$DATA/trust/"
    PORT=$((20000 + RANDOM % 30000))
    "$BIN" serve --data "$DATA" "${DBARGS[@]}" --listen "127.0.0.1:$PORT" --threads "$STHREADS" \
        >"$WORK/serve-$ENGINE.log" 2>&1 &
    PID=$!
    BASE="http://127.0.0.1:$PORT"
    for i in $(seq 1 200); do curl -s -o /dev/null --max-time 1 "$BASE/login" && break; sleep 0.05; done
    TOKEN=$(curl -s -H 'Content-Type: application/json' \
        -d '{"login":"040090000143","password":"Demo@2026qlvb"}' "$BASE/api/v1/login" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    echo "bench[$ENGINE]: baseline GET /api/v1/me ($DURATION, $CLIENTS connections)" >&2
    wrk -t"$(( CLIENTS < 2 ? 1 : 2 ))" -c"$CLIENTS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
        "$BASE/api/v1/me" >"$WORK/$ENGINE-me.txt" 2>&1
    echo "bench[$ENGINE]: issuance of $DOCS documents, $CLIENTS clients" >&2
    OUT=$(BASE=$BASE PKI=$WORK/pki N=$DOCS C=$CLIENTS node bench/issue.mjs)
    # One sealed document: pdfsig, size.
    curl -s -H "Authorization: Bearer $TOKEN" -o "$WORK/sealed.pdf" "$BASE$(jget "$OUT" '["sealed_file"]')"
    VALID=$(pdfsig "$WORK/sealed.pdf" 2>/dev/null | grep -c 'Signature is Valid' || true)
    SIZE=$(stat -c %s "$WORK/sealed.pdf")
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
    if [ "$ENGINE" = sqlite ]; then
        Q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DATA/qlvb.db" "$1"; }
    else
        Q() { psql -X -q -A -t -d "$PGURL" -c "$1"; }
    fi
    ISSUED=$(Q "SELECT COUNT(*) FROM document WHERE direction = 'outgoing' AND state = 'issued' AND subject LIKE '%đo tải%'")
    DISTINCT=$(Q "SELECT COUNT(DISTINCT reg_number) FROM document WHERE subject LIKE '%đo tải%' AND direction = 'outgoing'")
    SPAN=$(Q "SELECT MAX(reg_number) - MIN(reg_number) + 1 FROM document WHERE subject LIKE '%đo tải%' AND direction = 'outgoing'")
    COPIES=$(Q "SELECT COUNT(*) FROM document c JOIN agency a ON a.id = c.agency_id WHERE c.direction = 'incoming' AND a.name LIKE 'Cơ quan nhận đo tải%'")
    {
        echo "[$ENGINE] server --threads $STHREADS; $CLIENTS clients"
        printf '  %-34s %10s %9s %9s\n' "" "per s" "p50 ms" "p99 ms"
        printf '  %-34s %10s %9s %9s\n' "baseline GET /api/v1/me (wrk)" "$(rps "$WORK/$ENGINE-me.txt")" \
            "$(lat "$WORK/$ENGINE-me.txt" 50%)" "$(lat "$WORK/$ENGINE-me.txt" 99%)"
        printf '  %-34s %10s %9s %9s\n' "issued documents (sign+seal+issue)" "$(jget "$OUT" '["docs_per_s"]')" \
            "$(jget "$OUT" '["total"]["p50_ms"]')" "$(jget "$OUT" '["total"]["p99_ms"]')"
        for s in sign seal issue; do
            printf '  %-34s %10s %9s %9s\n' "  step $s" "" "$(jget "$OUT" "[\"$s\"][\"p50_ms\"]")" "$(jget "$OUT" "[\"$s\"][\"p99_ms\"]")"
        done
        echo "  $DOCS documents in $(jget "$OUT" '["seconds"]') s (preparing the approved drafts, not timed: $(jget "$OUT" '["prepare_s"]') s)"
        echo "  issued: $ISSUED; numbers: $DISTINCT distinct over a span of $SPAN; incoming copies in the 5 agencies: $COPIES"
        echo "  one sealed one-page document: $SIZE bytes, pdfsig: $VALID valid signatures"
        echo
    } >>"$SUMMARY"
    if [ "$ENGINE" = postgres ]; then bash "$ROOT/tests/pg.sh" stop "$PGDIR" >/dev/null 2>&1; PGDIR=; fi
done
{
    echo "qlvb issuance throughput — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(uname -m), $(nproc) CPUs (shared with other work: figures are a floor)"
    echo "each document: POST /documents/{id}/sign (personal key, number stamped), /seal (agency key), /issue (5 agencies of the installation); loopback"
    echo
    cat "$SUMMARY"
    for f in "$WORK"/*-me.txt; do echo "---- wrk output: $(basename "$f" .txt)"; cat "$f"; done
} >"$RESULTS/issue-latest.txt"
sed '/^---- wrk output/,$d' "$RESULTS/issue-latest.txt"
