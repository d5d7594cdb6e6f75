#!/usr/bin/env bash
# The box to process at scale (issue 11), two binaries interleaved on the same machine
# (shared and noisy: compare within a pair, report the medians). Not a test. Made from
# bench/views_pairs.sh, with the same arguments and output:
#
#   bench/to_process_pairs.sh BIN_A DIR_A BIN_B DIR_B [PAIRS]
#
# Targets (wrk -t2 -c2 for $BENCH_DURATION, 5s; qlvb serve --threads 2):
#   spec_tp_first / spec_tp_deep     the demo specialist's to_process (their pending
#                                    assignments), first page and a cursor at row 40
#   clerk_tp_first / clerk_tp_deep   the clerk's (documents to register and to present,
#                                    ~1600 at 1M), first page and a cursor at row 1000
#   clerk_tp_received                the same deep page by date (sort=received)
#   clerk_tp_deadline / clerk_tp_urgent  by deadline, and filtered on urgency (the
#                                    plain set: must not change)
#   head_tp_first                    the department head's (theirs and their unit's)
#   leader_tp_first / leader_tp_deep the leader's (presented to them, ~12000 at 1M)
#   spec_counts / clerk_counts       the home page's numbers
#   spec_all_first / leader_all_first  the box all (must not change)
# Each answer's body must be the same for A and B (the JSON, byte for byte). Summary →
# $BENCH_OUT (bench/results/to-process-pairs.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/pairs_lib.sh
pairs_setup bench/results/to-process-pairs.txt "$@"
SPEC=$(sqlite3 "$SQL" "SELECT id FROM app_user WHERE login = '040090000145'")
key_at() { # WHERE OFFSET [received]
    local k="'u.' || urgency || '.' || received_at || '.' || id" o="urgency DESC, received_at DESC, id DESC"
    [ "${3:-}" = received ] && k="'r.' || received_at || '.' || id" o="received_at DESC, id DESC"
    sqlite3 "$SQL" "SELECT $k FROM document WHERE agency_id = $AG AND direction = 'incoming' $1 ORDER BY $o LIMIT 1 OFFSET $2"
}
SPEC_TP="AND id IN (SELECT document_id FROM doc_participant WHERE user_id = $SPEC AND active = 1 AND status = 'pending' AND role IN ('lead', 'co_handler', 'leader'))"
SPEC_DEEP=$(key_at "$SPEC_TP" 40)
CLERK_DEEP=$(key_at "AND state IN ('arrived', 'registered')" 1000)
CLERK_DEEP_R=$(key_at "AND state IN ('arrived', 'registered')" 1000 received)
LEADER=$(sqlite3 "$SQL" "SELECT id FROM app_user WHERE login = '040090000142'")
LEADER_DEEP=$(key_at "AND id IN (SELECT document_id FROM doc_participant WHERE user_id = $LEADER AND active = 1 AND status = 'pending' AND role IN ('lead', 'co_handler', 'leader'))" 5000)
[ -n "$SPEC_DEEP" ] && [ -n "$CLERK_DEEP" ] && [ -n "$LEADER_DEEP" ] || { echo "to_process_pairs: no data (bench/docs.sh first)" >&2; exit 1; }

D=/api/v1/documents
add spec_tp_first "$D?box=to_process" 040090000145
add spec_tp_deep "$D?box=to_process&cursor=$SPEC_DEEP" 040090000145
add clerk_tp_first "$D?box=to_process" 040090000143
add clerk_tp_deep "$D?box=to_process&cursor=$CLERK_DEEP" 040090000143
add clerk_tp_received "$D?box=to_process&sort=received&cursor=$CLERK_DEEP_R" 040090000143
add clerk_tp_deadline "$D?box=to_process&sort=deadline" 040090000143
add clerk_tp_urgent "$D?box=to_process&urgency=thuong" 040090000143
add head_tp_first "$D?box=to_process" 040090000144
add leader_tp_first "$D?box=to_process" 040090000142
add leader_tp_deep "$D?box=to_process&cursor=$LEADER_DEEP" 040090000142
add spec_counts "$D/counts" 040090000145
add clerk_counts "$D/counts" 040090000143
add spec_all_first "$D" 040090000145
add leader_all_first "$D" 040090000142

LOGINS="040090000145 040090000142 040090000143 040090000144"
describe() { echo "$(sqlite3 "$SQL" "SELECT COUNT(*) FROM document WHERE agency_id = $AG AND direction = 'incoming'") incoming documents in the agency; cursors: spec $SPEC_DEEP, clerk $CLERK_DEEP / $CLERK_DEEP_R, leader $LEADER_DEEP"; }
pairs_run "the box to process"
