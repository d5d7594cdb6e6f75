#!/usr/bin/env bash
# The specialist's home-page counts and "all" box at scale, two binaries interleaved on
# the same machine (which is shared and noisy: compare within a pair). Not a test.
#
#   bench/counts_pairs.sh BIN_A DIR_A BIN_B DIR_B [PAIRS]
#
# DIR_A / DIR_B: data directories made by bench/docs.sh (copies of one generated
# database: a newer binary migrates its copy, an older one may refuse a newer schema).
# Each pair: qlvb serve --threads 2 on A, then on B; the demo specialist's
#   GET /api/v1/documents/counts   and   GET /api/v1/documents (box all, first page)
# under wrk -t2 -c2 for $BENCH_DURATION (5s), p50/p99 and req/s; the counts' JSON of
# both must be identical. Summary → bench/results/counts-pairs.txt and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1 DA=$2 B=$3 DB=$4 PAIRS=${5:-3}
DUR=${BENCH_DURATION:-5s}
OUT=bench/results/counts-pairs.txt
export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT

one() { # BIN DIR LABEL
    local port=$((20000 + RANDOM % 30000)) base tok u
    "$1" serve --data "$2" --listen "127.0.0.1:$port" --threads 2 >/dev/null 2>&1 &
    PID=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "$base/login" && break; sleep 0.1; done
    tok=$(curl -s -H 'Content-Type: application/json' \
        -d '{"login":"040090000145","password":"Demo@2026qlvb"}' "$base/api/v1/login" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    echo "$3 counts $(curl -s -H "Authorization: Bearer $tok" "$base/api/v1/documents/counts")"
    for u in /api/v1/documents/counts /api/v1/documents; do
        wrk -t2 -c2 -d"$DUR" --latency -H "Authorization: Bearer $tok" "$base$u" |
            awk -v l="$3" -v u="$u" '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
                /^Requests\/sec/ {r = $2} END {printf "%-5s %-26s p50 %9s  p99 %9s  %8s req/s\n", l, u, p50, p99, r}'
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

{
    echo "counts and the all box, demo specialist — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(nproc) CPUs (shared)"
    echo "A: $A on $DA"
    echo "B: $B on $DB"
    echo "wrk -t2 -c2 -d$DUR --latency; qlvb serve --threads 2"
    for i in $(seq 1 "$PAIRS"); do
        echo "-- pair $i"
        one "$A" "$DA" A
        one "$B" "$DB" B
    done
} | tee "$OUT"
