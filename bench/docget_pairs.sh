#!/usr/bin/env bash
# The document page's data (GET /api/v1/documents/:id, the body POST .../incoming
# answers with), two binaries interleaved on the same machine (shared and noisy: compare
# within a pair, report the medians). Not a test. Same arguments and output as
# bench/views_pairs.sh, on a demo data directory (`qlvb init --demo`) or bench/docs.sh's:
#
#   bench/docget_pairs.sh BIN_A DIR_A BIN_B DIR_B [PAIRS]
#
# Targets (wrk -t2 -c2 for $BENCH_DURATION, 5s; qlvb serve --threads 2), in the agency
# 000.00.04.H41: the incoming document with the longest history, read by the agency's
# leader and by its clerk, and the outgoing one with the longest history, read by the
# leader. Each answer's body must be the same for A and B (the JSON, byte for byte).
# Summary → $BENCH_OUT (bench/results/docget-pairs.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/pairs_lib.sh
pairs_setup bench/results/docget-pairs.txt "$@"
[ -n "$AG" ] || { echo "docget_pairs: no agency 000.00.04.H41 in $DA" >&2; exit 1; }
longest() { sqlite3 "$SQL" "SELECT d.id FROM document d WHERE d.agency_id = $AG AND d.direction = '$1'
    ORDER BY (SELECT COUNT(*) FROM doc_history h WHERE h.document_id = d.id) DESC, d.id LIMIT 1"; }
IN=$(longest incoming) OUTDOC=$(longest outgoing)
add incoming_leader "/api/v1/documents/$IN" 040090000142
add incoming_clerk "/api/v1/documents/$IN" 040090000143
add outgoing_leader "/api/v1/documents/$OUTDOC" 040090000142
LOGINS="040090000142 040090000143"
describe() { echo "incoming $IN ($(sqlite3 "$SQL" "SELECT COUNT(*) FROM doc_history WHERE document_id = $IN") history rows), outgoing $OUTDOC ($(sqlite3 "$SQL" "SELECT COUNT(*) FROM doc_history WHERE document_id = $OUTDOC") rows)"; }
pairs_run "document page data"
