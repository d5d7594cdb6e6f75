# The pair runner shared by bench/views_pairs.sh, to_process_pairs.sh and
# search_pairs.sh (sourced, not run): each script calls pairs_setup with its arguments
# (A, DA, B, DB, PAIRS, DUR, OUT, TMP, SQL, AG), adds the targets (add NAME URL LOGIN),
# sets LOGINS (the logins whose tokens the targets use), defines describe() (the data
# line of the summary), then calls pairs_run TITLE.
declare -a NAMES URLS WHO

# The arguments, the settings and the clean-up every pair script shares, then the
# agency of the generated data: pairs_setup DEFAULT_OUT BIN_A DIR_A BIN_B DIR_B [PAIRS]
pairs_setup() {
    A=$2 DA=$3 B=$4 DB=$5 PAIRS=${6:-3}
    DUR=${BENCH_DURATION:-5s}
    OUT=${BENCH_OUT:-$1}
    TMP=$(mktemp -d)
    export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}
    PID=
    trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"; true' EXIT
    SQL=$DA/qlvb.db
    AG=$(sqlite3 "$SQL" "SELECT id FROM agency WHERE code = '000.00.04.H41'")
}
add() { NAMES+=("$1"); URLS+=("$2"); WHO+=("$3"); }

one() { # BIN DIR LABEL
    local port=$((20000 + RANDOM % 30000)) base i
    "$1" serve --data "$2" --listen "127.0.0.1:$port" --threads 2 >/dev/null 2>&1 &
    PID=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "$base/login" && break; sleep 0.1; done
    declare -A tok
    for l in $LOGINS; do
        tok[$l]=$(curl -s -H 'Content-Type: application/json' \
            -d "{\"login\":\"$l\",\"password\":\"Demo@2026qlvb\"}" "$base/api/v1/login" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    done
    for i in "${!NAMES[@]}"; do
        local t=${tok[${WHO[$i]}]} n=${NAMES[$i]}
        curl -s -H "Authorization: Bearer $t" "$base${URLS[$i]}" |
            python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k, None) for k in ("today",)]; print(json.dumps(d, sort_keys=True))' \
            >"$TMP/$3-$n.json"
        wrk -t2 -c2 -d"$DUR" --latency -H "Authorization: Bearer $t" "$base${URLS[$i]}" |
            awk -v l="$3" -v n="$n" '
                function ms(v,  u) { u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                    return (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : -1 }
                $1 == "50%" {p50 = ms($2)} $1 == "99%" {p99 = ms($2)} /^Requests\/sec/ {r = $2}
                /Non-2xx/ {e = $0}
                END {printf "%-2s %-17s p50 %8.2f ms  p99 %8.2f ms  %9s req/s %s\n", l, n, p50, p99, r, e}'
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

pairs_run() { # TITLE
    {
        echo "$1, two binaries interleaved — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(nproc) CPUs (shared)"
        echo "A: $A on $DA"
        echo "B: $B on $DB"
        describe
        echo "wrk -t2 -c2 -d$DUR --latency; qlvb serve --threads 2"
        for p in $(seq 1 "$PAIRS"); do
            echo "-- pair $p"
            one "$A" "$DA" A
            one "$B" "$DB" B
            for n in "${NAMES[@]}"; do
                cmp -s "$TMP/A-$n.json" "$TMP/B-$n.json" || echo "DIFFERENT ANSWER: $n"
            done
        done
    } | tee "$TMP/run.txt"
    {
        cat "$TMP/run.txt"
        echo
        echo "medians over the pairs (ms, req/s)"
        for n in "${NAMES[@]}"; do
            for l in A B; do
                awk -v l="$l" -v n="$n" '$1 == l && $2 == n {p50[++k] = $4; p99[k] = $7; r[k] = $9}
                    function med(a, k,  i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
                        if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
                    END {printf "%-2s %-17s p50 %8.2f  p99 %8.2f  %9.1f req/s\n", l, n, med(p50, k), med(p99, k), med(r, k)}' \
                    "$TMP/run.txt"
            done
        done
    } | tee "$OUT" | sed -n '/^medians/,$p'
}
