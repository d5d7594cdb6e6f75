#!/usr/bin/env bash
# Runs every test: unit binaries, fuzz-corpus replays, integration tests against the
# real binary, browser tests. Sums the per-suite counts into one closing line
# "N passed, N failed" and exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export QLVB_BIN="$PWD/$BUILD/qlvb"
OUT=tests/output
mkdir -p "$OUT"
passed=0
failed=0

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

echo "== integration tests"
if ls tests/integration/*.test.mjs >/dev/null 2>&1; then
    log="$OUT/integration.log"
    node --test --test-concurrency=1 --test-reporter=spec tests/integration/ >"$log" 2>&1
    grep -aE '^(✖|ℹ (tests|pass|fail))' "$log" || true
    grep -aq '^ℹ fail 0' "$log" || sed -n '/failing tests:/,$p' "$log" | head -80
    p=$(grep -aE '^ℹ pass [0-9]+' "$log" | awk '{print $3}'); f=$(grep -aE '^ℹ fail [0-9]+' "$log" | awk '{print $3}')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
fi

echo "== browser tests"
if ls tests/browser/*.test.mjs >/dev/null 2>&1; then
    log="$OUT/browser.log"
    node --test --test-concurrency=1 --test-reporter=spec tests/browser/ >"$log" 2>&1
    grep -aE '^(✖|ℹ (tests|pass|fail))' "$log" || true
    grep -aq '^ℹ fail 0' "$log" || sed -n '/failing tests:/,$p' "$log" | head -80
    p=$(grep -aE '^ℹ pass [0-9]+' "$log" | awk '{print $3}'); f=$(grep -aE '^ℹ fail [0-9]+' "$log" | awk '{print $3}')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
