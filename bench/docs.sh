#!/usr/bin/env bash
# Document lists and search at scale (issue 11 "Views"), SQLite. Not a test.
#
#   bench/docs.sh [COUNT]       COUNT incoming documents in one agency (default 1000000)
#
# 1. qlvb init --demo in a data directory (kept in $BENCH_DOCS_DIR, default
#    /tmp/qlvb-bench-docs-COUNT: a second run reuses the generated database), then
#    bench/docs_gen.c fills Sở KH&CN with COUNT documents directly through SQL, and
#    COUNT/20 outgoing documents ($BENCH_OUTGOING) issued to 1-6 agencies of the
#    installation each, their receivers' copies in mixed states (issue 12)
# 2. qlvb serve --threads 2; API logins of the specialist, the clerk and the leader
# 3. wrk (2 threads, 2 connections = the server's threads, so latency is service time,
#    not queueing; raise BENCH_CONNECTIONS for throughput; 10 s, --latency) on
#      to_process, first page           (specialist: their pending assignments)
#      to_process, deep page (cursor)   (clerk: registered documents, ~row 1000)
#      all, first page / deep page       (leader: the whole agency, cursor at row COUNT/2)
#      all and done, first page          (specialist: what they are on, ~9000 rows at 1M)
#      all, deep page                    (specialist: a cursor half-way through their rows)
#      tracking                          (leader: processing per unit and person, this month)
#      an outgoing document              (clerk: GET of an issued one with six receivers,
#                                         the sender's tracking of its copies)
#      search: a rare pair, a common phrase, a number/symbol, a prefix (leader)
#      counts                            (specialist)
# 4. bench/docs_search.c: the same searches in process, against an SQLite FTS5 phrase
#    query over the same folded subjects (built in a side file), p50/p99
# 5. summary → bench/results/docs-latest.txt and stdout
#
# Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (2), BENCH_THREADS (2), BENCH_ITER (200),
# BENCH_BIN (the binary to measure, default build/qlvb), BENCH_OUTGOING (COUNT/20).
# bench/views_pairs.sh compares two binaries on the same data, interleaved.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=${1:-1000000}
BIN=${BENCH_BIN:-$ROOT/build/qlvb}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-2}
WTHREADS=${BENCH_THREADS:-2}
ITER=${BENCH_ITER:-200}
OUTGOING=${BENCH_OUTGOING:-$((COUNT / 20))}
DIR=${BENCH_DOCS_DIR:-/tmp/qlvb-bench-docs-$COUNT}
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
for tool in wrk curl gcc pkg-config sqlite3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done
[ -x "$BIN" ] && [ -f build/libqlvb.a ] || { echo "bench: run make first" >&2; exit 1; }

# The libraries the binary links with, from the Makefile.
MK=$(mktemp)
printf 'include Makefile\nprint-libs: ; @echo $(PKG_LIBS)\nprint-cflags: ; @echo $(PKG_CFLAGS)\n' >"$MK"
LIBS=$(make -s -f "$MK" print-libs)
CFLAGS=$(make -s -f "$MK" print-cflags)
rm -f "$MK"
for b in docs_gen docs_search; do
    gcc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Isrc $CFLAGS -o "build/$b" "bench/$b.c" \
        build/libqlvb.a $LIBS
done

export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}
GEN_S=reused
if [ ! -f "$DIR/generated" ]; then
    rm -rf "$DIR"
    "$BIN" init --data "$DIR" --demo >/dev/null 2>&1
    t0=$(date +%s)
    build/docs_gen --db "sqlite:$DIR/qlvb.db" --count "$COUNT" --outgoing "$OUTGOING"
    GEN_S=$(( $(date +%s) - t0 ))s
    sqlite3 "$DIR/qlvb.db" 'ANALYZE' # what PRAGMA optimize does for a running installation
    touch "$DIR/generated"
fi
DB=$DIR/qlvb.db

PID=
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
PORT=$((20000 + RANDOM % 30000))
"$BIN" serve --data "$DIR" --listen "127.0.0.1:$PORT" --threads 2 >/dev/null 2>&1 &
PID=$!
BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 200); do curl -s -o /dev/null --max-time 1 "$BASE/login" && break; sleep 0.05; done

token() {
    curl -s --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"Demo@2026qlvb\"}" "$BASE/api/v1/login" |
        grep -o '"token" *: *"[0-9a-zA-Z_-]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/'
}
SPEC=$(token 040090000145)
CLERK=$(token 040090000143)
LEADER=$(token 040090000142)
[ -n "$SPEC" ] && [ -n "$CLERK" ] && [ -n "$LEADER" ] || { echo "bench: login failed" >&2; exit 1; }

# Cursors of deep pages, from the sort key of the row before them (u.<urgency>.<at>.<id>).
key_at() { # WHERE OFFSET
    sqlite3 "$DB" "SELECT 'u.' || urgency || '.' || received_at || '.' || id FROM document
        WHERE agency_id = (SELECT id FROM agency WHERE code = '000.00.04.H41') AND
        direction = 'incoming' $1 ORDER BY urgency DESC, received_at DESC, id DESC
        LIMIT 1 OFFSET $2"
}
DEEP_ALL=$(key_at "" $((COUNT / 2)))
DEEP_CLERK=$(key_at "AND state IN ('arrived', 'registered')" 1000)
SPEC_ID=$(sqlite3 "$DB" "SELECT id FROM app_user WHERE login = '040090000145'")
SPEC_ROWS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM doc_participant WHERE user_id = $SPEC_ID")
DEEP_SPEC=$(key_at "AND id IN (SELECT document_id FROM doc_participant WHERE user_id = $SPEC_ID)" $((SPEC_ROWS / 2)))
[ -n "$DEEP_SPEC" ] || DEEP_SPEC=$DEEP_ALL
OUTDOC=$(sqlite3 "$DB" "SELECT d.id FROM document d WHERE d.direction = 'outgoing' AND d.state =
    'issued' AND (SELECT COUNT(*) FROM doc_recipient r WHERE r.document_id = d.id AND r.kind =
    'agency') = 6 ORDER BY d.id DESC LIMIT 1")
[ -n "$DEEP_CLERK" ] || DEEP_CLERK=$(key_at "AND state IN ('arrived', 'registered')" 20)

declare -a NAMES URLS TOKS
add() { NAMES+=("$1"); URLS+=("$2"); TOKS+=("$3"); }
add to_process_first "/api/v1/documents?box=to_process" "$SPEC"
add to_process_deep "/api/v1/documents?box=to_process&cursor=$DEEP_CLERK" "$CLERK"
add all_first "/api/v1/documents" "$LEADER"
add all_deep "/api/v1/documents?cursor=$DEEP_ALL" "$LEADER"
add mine_all_first "/api/v1/documents" "$SPEC"
add mine_all_deep "/api/v1/documents?cursor=$DEEP_SPEC" "$SPEC"
add mine_done_first "/api/v1/documents?box=done" "$SPEC"
add search_rare_pair "/api/v1/documents?q=Kr%C3%B4ng%20P%E1%BA%AFc%20chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91" "$LEADER"
add search_phrase "/api/v1/documents?q=chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91" "$LEADER"
add search_number "/api/v1/documents?q=85%2FSNV" "$LEADER"
add search_prefix "/api/v1/documents?q=ph%C3%B2ng%20ch%E1%BB%91ng%20thi%C3%AAn" "$LEADER"
add counts "/api/v1/documents/counts" "$SPEC"
add tracking "/api/v1/documents/tracking" "$LEADER"
[ -n "$OUTDOC" ] && add outgoing_page "/api/v1/documents/$OUTDOC" "$CLERK"

for i in "${!NAMES[@]}"; do
    code=$(curl -s -o "$RESULTS/docs-${NAMES[$i]}.json" -w '%{http_code}' \
        -H "Authorization: Bearer ${TOKS[$i]}" "$BASE${URLS[$i]}")
    [ "$code" = 200 ] || { echo "bench: ${NAMES[$i]} answered $code" >&2; cat "$RESULTS/docs-${NAMES[$i]}.json" >&2; exit 1; }
    echo "bench: ${NAMES[$i]} ($DURATION, $WTHREADS threads, $CONNS connections)" >&2
    wrk -t"$WTHREADS" -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer ${TOKS[$i]}" \
        "$BASE${URLS[$i]}" >"$RESULTS/docs-${NAMES[$i]}.tmp" 2>&1
done
kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=

rps() { awk '/^Requests\/sec:/ {print $2}' "$RESULTS/docs-$1.tmp"; }
lat() { # 50% or 99% line in ms
    awk -v want="$2" '$1 == want {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : -1
        printf "%.2f", v * f }' "$RESULTS/docs-$1.tmp"
}
rows() { grep -o '"id": *[0-9]*, *"direction"' "$RESULTS/docs-$1.json" | wc -l; }
errors() { grep -E 'Non-2xx|Socket errors' "$RESULTS/docs-$1.tmp" | sed 's/^ *//' | paste -sd';' - || true; }

echo "bench: in-process search vs FTS5 ($ITER iterations each)" >&2
INPROC=$(build/docs_search "$DB" "$ITER")
{
    echo "qlvb document lists — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(uname -m), $(nproc) CPUs (shared), SQLite"
    echo "$COUNT incoming and $(sqlite3 "$DB" "SELECT COUNT(*) FROM document WHERE direction = 'outgoing'") outgoing documents in one agency, $(sqlite3 "$DB" "SELECT COUNT(*) FROM document WHERE source_document_id IS NOT NULL") receivers' copies (generated: $GEN_S); $(sqlite3 "$DB" 'SELECT COUNT(*) FROM doc_search_token') search words, $(sqlite3 "$DB" 'SELECT COUNT(*) FROM doc_participant') participant rows; database $(du -h "$DB" | cut -f1)"
    echo "wrk -t$WTHREADS -c$CONNS -d$DURATION --latency, loopback; qlvb serve --threads 2"
    echo
    printf '%-20s %10s %9s %9s %5s  %s\n' "target" "req/s" "p50 ms" "p99 ms" "rows" "errors"
    for n in "${NAMES[@]}"; do
        printf '%-20s %10s %9s %9s %5s  %s\n' "$n" "$(rps "$n")" "$(lat "$n" 50%)" "$(lat "$n" 99%)" "$(rows "$n")" "$(errors "$n")"
    done
    echo
    echo "In process (no HTTP), one thread: doc_list with q vs SQLite FTS5 over the same folded subjects"
    echo "$INPROC"
    echo
    for n in "${NAMES[@]}"; do
        echo "---- wrk output: $n"
        cat "$RESULTS/docs-$n.tmp"
    done
} >"$RESULTS/docs-latest.txt"
rm -f "$RESULTS"/docs-*.tmp "$RESULTS"/docs-*.json
sed '/^---- wrk output/,$d' "$RESULTS/docs-latest.txt"
