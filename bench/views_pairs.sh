#!/usr/bin/env bash
# The lists and the tracking at scale (issues 11 and 12), two binaries interleaved on the
# same machine (shared and noisy: compare within a pair, report the medians). Not a test.
#
#   bench/views_pairs.sh BIN_A DIR_A BIN_B DIR_B [PAIRS]
#
# DIR_A / DIR_B: data directories made by bench/docs.sh (incoming and outgoing documents;
# the same directory twice when both binaries run one schema, else copies of one
# generated database: a newer binary migrates its copy). Each pair: qlvb serve
# --threads 2 on A, then on B; wrk -t2 -c2 for $BENCH_DURATION (5s) on
#   spec_all_first / spec_all_deep   the demo specialist's box all (on ~9000 of 1M
#                                    documents), first page and a keyset page half-way
#   spec_done / spec_to_process      their other boxes (must not get slower)
#   spec_out_all                     their outgoing documents (drafter on ~1/150)
#   leader_all_first                 the leader's box all (the whole agency)
#   tracking / tracking_year         the leader's processing tracking, this month and
#                                    the last 366 days
#   out_page                         the clerk's GET of an issued outgoing document with
#                                    six receiving agencies (its recipients' states)
#   out_list                         the clerk's outgoing list
# p50/p99 (ms) and req/s per target; each answer's body must be the same for A and B
# (the JSON, byte for byte). Summary → $BENCH_OUT (bench/results/views-pairs.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/pairs_lib.sh
pairs_setup bench/results/views-pairs.txt "$@"
SPEC=$(sqlite3 "$SQL" "SELECT id FROM app_user WHERE login = '040090000145'")
MINE="SELECT document_id FROM doc_participant WHERE user_id = $SPEC UNION ALL SELECT id FROM document WHERE created_by = $SPEC"
HALF=$(sqlite3 "$SQL" "SELECT COUNT(*) / 2 FROM document WHERE agency_id = $AG AND direction = 'incoming' AND id IN ($MINE)")
DEEP=$(sqlite3 "$SQL" "SELECT 'u.' || urgency || '.' || received_at || '.' || id FROM document
    WHERE agency_id = $AG AND direction = 'incoming' AND id IN ($MINE)
    ORDER BY urgency DESC, received_at DESC, id DESC LIMIT 1 OFFSET $HALF")
# a recent issued document to six agencies, one of them refused
OUTDOC=$(sqlite3 "$SQL" "SELECT d.id FROM document d WHERE d.agency_id = $AG AND d.direction =
    'outgoing' AND d.state = 'issued' AND (SELECT COUNT(*) FROM doc_recipient r WHERE
    r.document_id = d.id AND r.kind = 'agency') = 6 AND EXISTS (SELECT 1 FROM document c WHERE
    c.source_document_id = d.id AND c.state = 'refused') ORDER BY d.id DESC LIMIT 1")
[ -n "$DEEP" ] && [ -n "$OUTDOC" ] || { echo "views_pairs: no data (bench/docs.sh first)" >&2; exit 1; }
YEAR_FROM=$(date -u -d '365 days ago' +%F)

add spec_all_first "/api/v1/documents" 040090000145
add spec_all_deep "/api/v1/documents?cursor=$DEEP" 040090000145
add spec_done "/api/v1/documents?box=done" 040090000145
add spec_to_process "/api/v1/documents?box=to_process" 040090000145
add spec_out_all "/api/v1/documents?direction=outgoing" 040090000145
add leader_all_first "/api/v1/documents" 040090000142
add tracking "/api/v1/documents/tracking" 040090000142
add tracking_year "/api/v1/documents/tracking?from=$YEAR_FROM" 040090000142
add out_page "/api/v1/documents/$OUTDOC" 040090000143
add out_list "/api/v1/documents?direction=outgoing" 040090000143

LOGINS="040090000145 040090000142 040090000143"
describe() { echo "$(sqlite3 "$SQL" "SELECT COUNT(*) FROM document WHERE agency_id = $AG AND direction = 'incoming'") incoming and $(sqlite3 "$SQL" "SELECT COUNT(*) FROM document WHERE agency_id = $AG AND direction = 'outgoing'") outgoing documents in the agency, $(sqlite3 "$SQL" "SELECT COUNT(*) FROM document WHERE source_document_id IS NOT NULL") receivers' copies; the specialist on $(sqlite3 "$SQL" "SELECT COUNT(*) FROM ($MINE)") rows; outgoing document #$OUTDOC"; }
pairs_run "lists and tracking"
