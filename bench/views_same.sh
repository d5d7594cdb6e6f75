#!/usr/bin/env bash
# Same answers from two binaries on the same data (issue 11 "Views"): before a change to
# a list's or the tracking's statement is kept, the old and the new binary answer a set
# of requests for several people and each answer must be the same JSON. Not a test (the
# data is bench/docs.sh's, too big for the suite); bench/views_pairs.sh times the same.
#
#   bench/views_same.sh BIN_A DIR_A BIN_B DIR_B
#
# DIR_A / DIR_B: data directories made by bench/docs.sh (copies of one generated database
# when B migrates its copy). For the leader, the clerk, the department head, the demo
# specialist and two of the generated people: the box all (first page and the next four
# pages through next_cursor), to_process, in_progress, done, for_info, overdue, due_soon,
# the outgoing all, the counts; for the leader the tracking of this month, of the last
# 30, 90 and 366 days and of a month a year ago. "today" is dropped (the runs may straddle
# midnight). Prints one line per request that differs and a summary; exits 1 if any did.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1 DA=$2 B=$3 DB=$4
TMP=$(mktemp -d)
export QLVB_ARGON2_MEMORY_KIB=${QLVB_ARGON2_MEMORY_KIB:-1024}
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; [ -n "${VIEWS_SAME_KEEP:-}" ] || rm -rf "$TMP"; true' EXIT

USERS="040090000142 040090000143 040090000144 040090000145 040099900007 040099900042"
day() { date -u -d "$1" +%F; }
TRACK=("" "?from=$(day '30 days ago')" "?from=$(day '90 days ago')"
    "?from=$(day '365 days ago')" "?from=$(day '1 year ago' | cut -c1-8)01&to=$(day '1 year ago' | cut -c1-8)28")

norm() { python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("today", None) if isinstance(d, dict) else None; print(json.dumps(d, sort_keys=True, ensure_ascii=False))'; }

run() { # BIN DIR LABEL
    local port=$((20000 + RANDOM % 30000)) base l t n u
    "$1" serve --data "$2" --listen "127.0.0.1:$port" --threads 2 >/dev/null 2>&1 &
    PID=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "$base/login" && break; sleep 0.1; done
    for l in $USERS; do
        t=$(curl -s -H 'Content-Type: application/json' \
            -d "{\"login\":\"$l\",\"password\":\"Demo@2026qlvb\"}" "$base/api/v1/login" |
            python3 -c 'import json,sys; print(json.load(sys.stdin).get("token", ""))')
        [ -n "$t" ] || { echo "views_same: login $l failed on $3" >&2; exit 1; }
        get() { curl -s -H "Authorization: Bearer $t" "$base$2" | norm >"$TMP/$3-$l-$1.json"; }
        # the box all, five pages through the cursor
        u="/api/v1/documents"
        for n in 1 2 3 4 5; do
            get "all$n" "$u" "$3"
            c=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("next_cursor") or "")' "$TMP/$3-$l-all$n.json")
            [ -n "$c" ] || break
            u="/api/v1/documents?cursor=$c"
        done
        for b in to_process in_progress done for_info overdue due_soon; do
            get "box-$b" "/api/v1/documents?box=$b&limit=100" "$3"
        done
        get out-all "/api/v1/documents?direction=outgoing" "$3"
        get counts "/api/v1/documents/counts" "$3"
        [ "$l" = 040090000142 ] || continue # the tracking is the leaders' (403 for the rest)
        n=0
        for q in "${TRACK[@]}"; do
            get "tracking$n" "/api/v1/documents/tracking$q" "$3"
            n=$((n + 1))
        done
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

run "$A" "$DA" A
run "$B" "$DB" B
same=0 diff=0
for f in "$TMP"/A-*.json; do
    g=$TMP/B-${f#"$TMP"/A-}
    if cmp -s "$f" "$g"; then
        same=$((same + 1))
    else
        diff=$((diff + 1))
        echo "DIFFERENT: $(basename "${f#"$TMP"/A-}" .json)"
    fi
done
# an answer that is an error on both sides would be the same and prove nothing
errs=$(grep -l '"status": [45][0-9][0-9]' "$TMP"/A-*.json 2>/dev/null | sed "s|$TMP/A-||; s|.json||" | paste -sd' ' - || true)
rows=$(cat "$TMP"/A-*.json | grep -o '"id": [0-9]*' | wc -l)
echo "views_same: $same answers the same, $diff different ($rows ids in A's answers); errors on A: ${errs:-none}"
[ "$diff" = 0 ]
