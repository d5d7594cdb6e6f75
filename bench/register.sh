#!/usr/bin/env bash
# Registration throughput (issue 11 "Benchmark"): 32 parallel clients registering
# incoming documents, a 100 KB scanned PDF each, through POST /api/v1/documents/incoming.
# Not a test.
#
#   bench/register.sh [sqlite|postgres|both]     (default sqlite)
#
# 1. a fresh `qlvb init --demo` data directory (SQLite, or a private PostgreSQL cluster
#    from tests/pg.sh with QLVB_PG_DURABLE=1: fsync on, as in production)
# 2. qlvb serve --threads $BENCH_SERVER_THREADS (default 32: one per client, so a
#    client waits on the server's work, not on a free thread); an API login of the clerk
# 3. wrk -t2 -c32 --latency, $BENCH_DURATION (10 s) each, in this order:
#      me          GET /api/v1/me: the cheapest authenticated request (session lookup)
#      refused     the same 100 KB multipart POST with a register that does not exist:
#                  read, parsed, the file sniffed, checked and refused (422), nothing written
#      register    the real thing: every document a new number, file, history and audit row
#    then: documents registered (rows in the database), numbers unique and consecutive,
#    the server's RSS (VmRSS sampled during the run, VmHWM at the end), and how many of
#    the server's HTTP threads served the register run (CPU time of each thread before
#    and after; libmicrohttpd's thread pool hands a burst of new connections to whichever
#    threads wake first (a woken worker accepts while connections are pending), so 32
#    connections may land on 4 threads, each serving its connections one request at a
#    time: the figure explains most of the spread between runs; BENCH_SERVER_THREADS=1
#    takes that lottery out, the figure is then one registration's latency)
# 4. summary → bench/results/register-latest.txt and stdout
#
# Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_THREADS (2 wrk threads),
# BENCH_SERVER_THREADS (32), BENCH_TMP (/tmp; /dev/shm takes the disk out: fsync costs nothing),
# BENCH_BIN (the binary to measure, default build/qlvb), BENCH_TAG (the summary goes to
# bench/results/register-$BENCH_TAG.txt, default latest), BENCH_PERF (a file: perf record -g
# of the server during the register run goes there), BENCH_ONLY_REGISTER=1 (skip me/refused).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BENCH_BIN:-$ROOT/build/qlvb}
TAG=${BENCH_TAG:-latest}
ENGINES=${1:-sqlite}
[ "$ENGINES" = both ] && ENGINES="sqlite postgres"
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
WTHREADS=${BENCH_THREADS:-2}
STHREADS=${BENCH_SERVER_THREADS:-32}
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: run make first" >&2; exit 1; }
export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/qlvb-bench-register-XXXXXX") # BENCH_TMP=/dev/shm: no disk
TRASH=${BENCH_TMP:-/tmp}/qlvb-bench-register-trash
PID= PGDIR=
cleanup() {
    [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$PGDIR" ] && bash "$ROOT/tests/pg.sh" stop "$PGDIR" >/dev/null 2>&1
    # Not removed here: thousands of inodes freed just now make the next run's file
    # creations slow on an ext4 without a journal (its allocator skips recently deleted
    # inodes, reading their table blocks: recently_deleted() was 35% of the server's CPU
    # in a run that followed another). Remove $TRASH when a series of runs is over.
    mkdir -p "$TRASH" && mv "$WORK" "$TRASH/" 2>/dev/null || rm -rf "$WORK"
    true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A valid one-page PDF of 100 KB (text lines in its content stream) with a 10-byte
# marker the Lua script replaces per request.
python3 - "$WORK/scan.pdf" <<'PY'
import sys
lines = ["%NNNNNNNNNN"]
y = 800
while sum(len(l) + 1 for l in lines) < 100 * 1024 - 600:
    lines.append(f"BT /F1 9 Tf 40 {y} Td (Cong van so hoa - dong {len(lines):05d} - du lieu do tai QLVB) Tj ET")
    y = 800 if y < 60 else y - 11
content = "\n".join(lines).encode()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
out, offs = b"%PDF-1.7\n", []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
SIZE=$(stat -c %s "$WORK/scan.pdf")

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
lat() { # 50% or 99% line in ms
    awk -v want="$2" '$1 == want {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : -1
        printf "%.2f", v * f }' "$1"
}
errs() { grep -E 'Non-2xx|Socket errors|statuses' "$1" | sed 's/^ *//' | paste -sd';' - || true; }

SUMMARY=$WORK/summary.txt
: >"$SUMMARY"
for ENGINE in $ENGINES; do
    DATA=$WORK/data-$ENGINE
    DBARGS=()
    if [ "$ENGINE" = postgres ]; then
        PGDIR=$(mktemp -u /tmp/qlvb-bench-register-pg-XXXXXX) # not under WORK: the cluster runs as postgres
        PGURL=$(QLVB_PG_DURABLE=1 bash "$ROOT/tests/pg.sh" start "$PGDIR")
        DBARGS=(--db "$PGURL")
    fi
    "$BIN" init --data "$DATA" "${DBARGS[@]}" --demo >/dev/null 2>&1
    PORT=$((20000 + RANDOM % 30000))
    "$BIN" serve --data "$DATA" "${DBARGS[@]}" --listen "127.0.0.1:$PORT" --threads "$STHREADS" \
        --max-body 4194304 >"$WORK/serve-$ENGINE.log" 2>&1 &
    PID=$!
    BASE="http://127.0.0.1:$PORT"
    for i in $(seq 1 200); do curl -s -o /dev/null --max-time 1 "$BASE/login" && break; sleep 0.05; done
    TOKEN=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
        -d '{"login":"040090000143","password":"Demo@2026qlvb"}' "$BASE/api/v1/login" |
        grep -o '"token" *: *"[0-9a-zA-Z_-]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/')
    [ -n "$TOKEN" ] || { echo "bench: login failed" >&2; exit 1; }
    REGISTER=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/registers?kind=incoming" |
        python3 -c 'import json,sys; print(next(r["id"] for r in json.load(sys.stdin)["registers"] if r["kind"] == "incoming"))')
    export BENCH_TOKEN=$TOKEN BENCH_REGISTER=$REGISTER BENCH_PDF=$WORK/scan.pdf
    if [ "${BENCH_ONLY_REGISTER:-0}" = 1 ]; then
        : >"$WORK/$ENGINE-me.txt"; : >"$WORK/$ENGINE-refused.txt"
    else
        echo "bench[$ENGINE]: me ($DURATION, $CONNS connections)" >&2
        wrk -t"$WTHREADS" -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
            "$BASE/api/v1/me" >"$WORK/$ENGINE-me.txt" 2>&1
        echo "bench[$ENGINE]: refused ($DURATION)" >&2
        BENCH_BAD=1 wrk -t"$WTHREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/register.lua \
            "$BASE" >"$WORK/$ENGINE-refused.txt" 2>&1
    fi
    echo "bench[$ENGINE]: register ($DURATION)" >&2
    RSS_MAX=0
    ( while kill -0 "$PID" 2>/dev/null; do
          awk '/^VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null; sleep 0.5
      done ) >"$WORK/$ENGINE-rss.txt" &
    SAMPLER=$!
    # CPU ticks (utime + stime) of each HTTP thread: "tid ticks", before and after
    threads_cpu() {
        for t in /proc/"$PID"/task/*; do
            case "$(cat "$t/comm" 2>/dev/null)" in MHD-*) ;; *) continue ;; esac
            awk -v tid="${t##*/}" '{ sub(/^.*\) /, ""); print tid, $12 + $13 }' "$t/stat" 2>/dev/null
        done
    }
    threads_cpu >"$WORK/$ENGINE-threads-before.txt"
    PERF=
    if [ -n "${BENCH_PERF:-}" ]; then
        perf record ${BENCH_PERF_ARGS:--g} -o "$BENCH_PERF" -p "$PID" >/dev/null 2>&1 &
        PERF=$!
    fi
    # CPU seconds: the server's (utime + stime of every thread, /proc/PID/stat) and the
    # client's (bash's `time` of wrk), so that a registration's CPU cost is known apart
    # from how the two shared the machine's cores.
    proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
    SCPU0=$(proc_cpu "$PID")
    TIMEFORMAT='%U %S'
    { time BENCH_BAD=0 wrk -t"$WTHREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/register.lua \
        "$BASE" >"$WORK/$ENGINE-register.txt" 2>&1; } 2>"$WORK/$ENGINE-wrk-time.txt"
    SCPU=$(awk -v a="$SCPU0" -v b="$(proc_cpu "$PID")" 'BEGIN { printf "%.2f", b - a }')
    WCPU=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/$ENGINE-wrk-time.txt")
    HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")
    threads_cpu >"$WORK/$ENGINE-threads-after.txt"
    # threads with at least 50 ms of CPU in the run (one request takes a few ms)
    SERVED=$(awk 'NR == FNR { before[$1] = $2; next } $2 - before[$1] >= 5 { n++ } END { print n + 0 }' \
        "$WORK/$ENGINE-threads-before.txt" "$WORK/$ENGINE-threads-after.txt")
    NTHREADS=$(wc -l <"$WORK/$ENGINE-threads-after.txt")
    if [ -n "$PERF" ]; then kill -INT "$PERF"; wait "$PERF" 2>/dev/null || true; fi
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    RSS_MAX=$(sort -n "$WORK/$ENGINE-rss.txt" | tail -n1)
    if [ "$ENGINE" = sqlite ]; then
        Q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DATA/qlvb.db" "$1"; }
    else
        Q() { psql -X -q -A -t -d "$PGURL" -c "$1"; }
    fi
    # The search words left pending at the end of the run (doc_search_pending, written by
    # the job doc.search_index in batches): waited for, and the server's CPU of that
    # counted with the run's, so that the figure per registration includes its words.
    PEND=$(Q "SELECT COUNT(*) FROM doc_search_pending" 2>/dev/null || echo -)
    DRAIN_S=0 DCPU=0
    if [ "$PEND" != - ]; then
        for i in $(seq 1 600); do
            [ "$(Q "SELECT COUNT(*) FROM doc_search_pending")" = 0 ] && break
            sleep 0.1
        done
        DRAIN_S=$(awk -v i="$i" 'BEGIN { printf "%.1f", i / 10 }')
        DCPU=$(awk -v a="$SCPU" -v b="$(proc_cpu "$PID")" -v s="$SCPU0" 'BEGIN { printf "%.2f", b - s - a }')
    fi
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=
    # What was written: documents of this run, numbers unique and without gaps.
    DOCS=$(Q "SELECT COUNT(*) FROM document WHERE subject LIKE '%đo tải%'")
    DISTINCT=$(Q "SELECT COUNT(DISTINCT reg_number) FROM document WHERE register_id = $REGISTER")
    SPAN=$(Q "SELECT MAX(reg_number) - MIN(reg_number) + 1 FROM document WHERE register_id = $REGISTER")
    ROWS=$(Q "SELECT COUNT(*) FROM document WHERE register_id = $REGISTER")
    BLOBS=$(du -sh "$DATA/blobs" 2>/dev/null | cut -f1)
    {
        echo "[$ENGINE] server --threads $STHREADS; wrk -t$WTHREADS -c$CONNS -d$DURATION --latency"
        printf '  %-10s %10s %9s %9s  %s\n' target "req/s" "p50 ms" "p99 ms" errors
        for t in me refused register; do
            printf '  %-10s %10s %9s %9s  %s\n' "$t" "$(rps "$WORK/$ENGINE-$t.txt")" \
                "$(lat "$WORK/$ENGINE-$t.txt" 50%)" "$(lat "$WORK/$ENGINE-$t.txt" 99%)" "$(errs "$WORK/$ENGINE-$t.txt")"
        done
        echo "  registered: $DOCS documents ($ROWS in the register: $DISTINCT distinct numbers over a span of $SPAN); blobs $BLOBS"
        echo "  server RSS: max sampled $((RSS_MAX / 1024)) MiB, high-water $((HWM / 1024)) MiB"
        echo "  HTTP threads that served the register run: $SERVED of $NTHREADS"
        echo "  CPU in the register run: server ${SCPU} s ($(awk -v c="$SCPU" -v n="$DOCS" 'BEGIN { printf "%.2f", n ? c * 1000 / n : 0 }') ms per registration), wrk ${WCPU} s"
        [ "$PEND" != - ] && echo "  search words pending at the end: $PEND documents, indexed in ${DRAIN_S} s with ${DCPU} s of server CPU; all told $(awk -v c="$SCPU" -v d="$DCPU" -v n="$DOCS" 'BEGIN { printf "%.2f", n ? (c + d) * 1000 / n : 0 }') ms per registration"
        GC=$(grep -o 'msg="group commit" commits=[0-9]* syncs=[0-9]*' "$WORK/serve-$ENGINE.log" | tail -n1 | cut -d' ' -f3- || true)
        [ -n "$GC" ] && echo "  group commit (whole server run, demo seed excluded): $GC"
        WT=$(grep -o 'msg="writer turns" .*' "$WORK/serve-$ENGINE.log" | tail -n1 | cut -d' ' -f3- || true)
        [ -n "$WT" ] && echo "  writer's turn (whole server run): $WT"
        echo
    } >>"$SUMMARY"
    if [ "$ENGINE" = postgres ]; then bash "$ROOT/tests/pg.sh" stop "$PGDIR" >/dev/null 2>&1; PGDIR=; fi
done
{
    echo "qlvb registration throughput — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(uname -m), $(nproc) CPUs (shared with other work: figures are a floor)"
    echo "binary: $BIN"
    echo "POST /api/v1/documents/incoming, multipart: JSON metadata + a $SIZE-byte PDF, every one different; loopback"
    echo
    cat "$SUMMARY"
    for f in "$WORK"/*-register.txt "$WORK"/*-refused.txt "$WORK"/*-me.txt; do
        echo "---- wrk output: $(basename "$f" .txt)"
        cat "$f"
    done
} >"$RESULTS/register-$TAG.txt"
sed '/^---- wrk output/,$d' "$RESULTS/register-$TAG.txt"
