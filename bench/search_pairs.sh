#!/usr/bin/env bash
# The search at scale (issue 11), two binaries interleaved on the same machine (shared
# and noisy: compare within a pair, report the medians). Not a test. Same arguments and
# output as bench/views_pairs.sh:
#
#   bench/search_pairs.sh BIN_A DIR_A BIN_B DIR_B [PAIRS]
#
# Targets (wrk -t2 -c2 for $BENCH_DURATION, 5s; qlvb serve --threads 2): the searches of
# bench/docs.sh for the leader (the whole agency) — a rare pair, a common phrase, a
# number/symbol, a prefix — the phrase by date, and the specialist's (their documents
# only) phrase and number. Each answer's body must be the same for A and B (the JSON,
# byte for byte). Summary → $BENCH_OUT (bench/results/search-pairs.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/pairs_lib.sh
pairs_setup bench/results/search-pairs.txt "$@"
[ -n "$AG" ] || { echo "search_pairs: no data (bench/docs.sh first)" >&2; exit 1; }
RARE="Kr%C3%B4ng%20P%E1%BA%AFc%20chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91"
PHRASE="chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91"
NUMBER="85%2FSNV"
PREFIX="ph%C3%B2ng%20ch%E1%BB%91ng%20thi%C3%AAn"

add leader_rare "/api/v1/documents?q=$RARE" 040090000142
add leader_phrase "/api/v1/documents?q=$PHRASE" 040090000142
add leader_number "/api/v1/documents?q=$NUMBER" 040090000142
add leader_prefix "/api/v1/documents?q=$PREFIX" 040090000142
add leader_phrase_date "/api/v1/documents?q=$PHRASE&sort=received" 040090000142
add spec_phrase "/api/v1/documents?q=$PHRASE" 040090000145
add spec_number "/api/v1/documents?q=$NUMBER" 040090000145

LOGINS="040090000145 040090000142"
describe() { echo "$(sqlite3 "$SQL" "SELECT COUNT(*) FROM document WHERE agency_id = $AG AND direction = 'incoming'") incoming documents in the agency"; }
pairs_run "search"
