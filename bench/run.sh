#!/usr/bin/env bash
# Throughput benchmark (make bench): qlvb against a bare libmicrohttpd baseline, same
# machine, same run, loopback only, fixed durations.
#
#   bench/run.sh [BIN]     BIN defaults to build/qlvb
#
# 1. demo data directory in /tmp, qlvb serve --threads 2 (request log to /dev/null)
# 2. API login → bearer token
# 3. wrk (2 threads, 64 connections, 10 s, --latency) on
#      a) GET /api/v1/me   with the bearer header
#      b) GET /login       (template render)
#      c) GET /            on bench/hello.c (same MHD flags, thread pool 2)
# 4. summary (requests/s, p99, /api/v1/me vs hello) → bench/results/latest.txt and stdout
#
# Env: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-build/qlvb}")
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
WTHREADS=${BENCH_THREADS:-2}
SERVER_THREADS=2
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

for tool in wrk curl gcc pkg-config; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable (make all)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/qlvb-bench.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a loopback port nobody answers on
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"; return 0
        fi
    done
    echo "bench: no free port" >&2; return 1
}

wait_http() { # URL PID: until the URL answers (max 10 s) or the process is gone
    local i
    for i in $(seq 1 200); do
        kill -0 "$2" 2>/dev/null || { echo "bench: server exited early" >&2; return 1; }
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.05
    done
    echo "bench: $1 did not answer" >&2; return 1
}

# ---- qlvb
export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}
"$BIN" init --data "$WORK/data" --demo >/dev/null 2>&1
QPORT=$(free_port)
"$BIN" serve --data "$WORK/data" --listen "127.0.0.1:$QPORT" --threads "$SERVER_THREADS" \
    >/dev/null 2>&1 &
PIDS+=($!)
QBASE="http://127.0.0.1:$QPORT"
wait_http "$QBASE/login" "${PIDS[-1]}"

LOGIN_JSON=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d '{"login":"040090000141","password":"Demo@2026qlvb"}' "$QBASE/api/v1/login")
TOKEN=$(printf '%s' "$LOGIN_JSON" | grep -o '"token" *: *"[0-9a-zA-Z_-]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$TOKEN" ] || { echo "bench: API login failed: $LOGIN_JSON" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$QBASE/api/v1/me")
[ "$code" = 200 ] || { echo "bench: GET /api/v1/me answered $code" >&2; exit 1; }

# ---- hello baseline
gcc -O2 -o "$WORK/hello" bench/hello.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread
HPORT=$(free_port)
"$WORK/hello" "$HPORT" "$SERVER_THREADS" >/dev/null 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$HPORT/" "${PIDS[-1]}"

run_wrk() { # NAME URL [wrk args...]
    local name=$1 url=$2
    shift 2
    echo "bench: $name ($DURATION, $WTHREADS threads, $CONNS connections)" >&2
    wrk -t"$WTHREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$RESULTS/$name.tmp" 2>&1
}
run_wrk me "$QBASE/api/v1/me" -H "Authorization: Bearer $TOKEN"
run_wrk login "$QBASE/login"
run_wrk hello "http://127.0.0.1:$HPORT/"

# ---- summary
rps() { awk '/^Requests\/sec:/ {print $2}' "$RESULTS/$1.tmp"; }
p99ms() { # the 99% line of --latency, in milliseconds
    awk '$1 == "99%" {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
        printf "%.2f", v * f }' "$RESULTS/$1.tmp"
}
errors() { # non-2xx and socket errors, if wrk reported any
    grep -E 'Non-2xx|Socket errors' "$RESULTS/$1.tmp" | sed 's/^ *//' | paste -sd';' - || true
}

ME=$(rps me)
HELLO=$(rps hello)
{
    echo "qlvb bench — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(uname -m), $(nproc) CPUs, $("$BIN" version 2>/dev/null | head -n1)"
    echo "wrk -t$WTHREADS -c$CONNS -d$DURATION --latency, loopback; servers with $SERVER_THREADS threads"
    echo
    printf '%-22s %12s %10s  %s\n' "target" "requests/s" "p99 ms" "errors"
    printf '%-22s %12s %10s  %s\n' "GET /api/v1/me" "$ME" "$(p99ms me)" "$(errors me)"
    printf '%-22s %12s %10s  %s\n' "GET /login" "$(rps login)" "$(p99ms login)" "$(errors login)"
    printf '%-22s %12s %10s  %s\n' "hello (bare MHD)" "$HELLO" "$(p99ms hello)" "$(errors hello)"
    echo
    awk -v me="$ME" -v h="$HELLO" 'BEGIN {
        if (me > 0 && h > 0)
            printf "/api/v1/me vs hello: %.2f of the baseline throughput (hello is %.1fx faster)\n", me / h, h / me
        else
            print "/api/v1/me vs hello: n/a" }'
    echo
    for n in me login hello; do
        echo "---- wrk output: $n"
        cat "$RESULTS/$n.tmp"
    done
} >"$RESULTS/latest.txt"
rm -f "$RESULTS"/{me,login,hello}.tmp
sed '/^---- wrk output/,$d' "$RESULTS/latest.txt"
