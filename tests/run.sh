#!/usr/bin/env bash
# Runs every test: unit binaries, fuzz-corpus replays, integration tests against the
# real binary, browser tests, all on SQLite; then the db unit tests, integration and
# browser tests again on PostgreSQL, on a private throw-away cluster (tests/pg.sh).
# Sums the per-suite counts into one closing line "N passed, N failed" and exits
# non-zero if anything failed. QLVB_SKIP_PG=1 skips the PostgreSQL pass.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export QLVB_BIN="$PWD/$BUILD/qlvb"
unset QLVB_TEST_PG QLVB_DB # the first pass is SQLite whatever the caller's environment
OUT=tests/output
mkdir -p "$OUT"
passed=0
failed=0
start=$SECONDS

tally() { # parses "... N passed, N failed" lines from a log
    local p f
    p=$(grep -aEo '[0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(grep -aEo '[0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$3} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
}

echo "== layering (tests/layers.sh)"
log="$OUT/layers.log"
bash tests/layers.sh >"$log" 2>&1 || cat "$log"
tail -n 1 "$log"
tally "$log"

echo "== unit tests ($BUILD)"
for t in $(find "$BUILD/tests/unit" -type f -name 'test_*' -perm -u+x | sort); do
    log="$OUT/$(basename "$t").log"
    if ! (cd tests/unit && "$OLDPWD/$t") >"$log" 2>&1; then
        if ! grep -qE '[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
            echo "$t: crashed"; failed=$((failed + 1))
        fi
        cat "$log"
    else
        tail -n 1 "$log"
    fi
    tally "$log"
done

echo "== fuzz corpus replay"
for t in $(find "$BUILD/fuzz" -type f -name '*-replay' 2>/dev/null | sort); do
    name=$(basename "$t" -replay)
    log="$OUT/$name.log"
    if "$t" "fuzz/corpus/${name#fuzz_}" >"$log" 2>&1; then
        tail -n 1 "$log"; tally "$log"
    else
        cat "$log"; echo "$t: crashed"; failed=$((failed + 1))
    fi
done

# node:test suite in DIR (label for the log name): prints failures, adds the counts.
# Tests cancelled because a hook failed count as failed. Further arguments go to node.
node_suite() {
    local dir=$1 log="$OUT/$2.log" p f c
    shift 2
    ls "$dir"/*.test.mjs >/dev/null 2>&1 || return 0
    node "$@" --test --test-concurrency=1 --test-reporter=spec "$dir"/ >"$log" 2>&1
    grep -aE '^(✖|ℹ (tests|pass|fail|cancelled))' "$log" || true
    grep -aq '^ℹ fail 0' "$log" && grep -aq '^ℹ cancelled 0' "$log" || sed -n '/failing tests:/,$p' "$log" | head -80
    p=$(grep -aE '^ℹ pass [0-9]+' "$log" | awk '{print $3}'); f=$(grep -aE '^ℹ fail [0-9]+' "$log" | awk '{print $3}')
    c=$(grep -aE '^ℹ cancelled [0-9]+' "$log" | awk '{print $3}')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1} + ${c:-0}))
}

echo "== integration tests"
node_suite tests/integration integration

echo "== browser tests"
node_suite tests/browser browser
echo "== SQLite pass: $((SECONDS - start)) s"

if [ "${QLVB_SKIP_PG:-0}" != 1 ]; then
    pg_start=$SECONDS
    echo "== PostgreSQL pass (private cluster, tests/pg.sh)"
    pgdir=$(mktemp -d /tmp/qlvb-pg.XXXXXX)
    trap 'bash tests/pg.sh stop "$pgdir"' EXIT
    if QLVB_TEST_PG=$(bash tests/pg.sh start "$pgdir" 2>"$OUT/pg-cluster.log"); then
        export QLVB_TEST_PG
        echo "== [postgres] unit db and list tests"
        for t in db/test_db doc/test_list; do # test_list: app_fixture_open_pg
            log="$OUT/$(basename $t)-postgres.log"
            if (cd tests/unit && "$OLDPWD/$BUILD/tests/unit/$t") >"$log" 2>&1; then
                tail -n 1 "$log"
            else
                grep -qE '[0-9]+ passed, [1-9][0-9]* failed' "$log" || { echo "$t: crashed"; failed=$((failed + 1)); }
                cat "$log"
            fi
            tally "$log"
        done
        echo "== [postgres] integration tests"
        # pg-env.mjs: every test process gets a fresh database as QLVB_DB.
        node_suite tests/integration integration-postgres --import "file://$PWD/tests/pg-env.mjs"
        echo "== [postgres] browser tests"
        node_suite tests/browser browser-postgres --import "file://$PWD/tests/pg-env.mjs"
    else
        cat "$OUT/pg-cluster.log"
        echo "PostgreSQL test cluster did not start"; failed=$((failed + 1))
    fi
    echo "== PostgreSQL pass: $((SECONDS - pg_start)) s"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
