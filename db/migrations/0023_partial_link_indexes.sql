-- Registration throughput (issue 11 "Benchmark"): the links of a document to another
-- (the sender's original of a delivered copy, the document it replies to, the one it
-- replaces) are NULL on most rows, and every registration still wrote a NULL entry into
-- each of their three indexes: three more B-tree inserts and three more pages in the
-- commit's log. Every lookup is an equality (source_document_id = $1, reply_to_id = $1,
-- replaces_id = $1), which implies IS NOT NULL, so both engines use partial indexes for
-- them.
DROP INDEX IF EXISTS document_source;
CREATE INDEX document_source ON document(source_document_id, agency_id)
    WHERE source_document_id IS NOT NULL;
DROP INDEX IF EXISTS document_reply_to;
CREATE INDEX document_reply_to ON document(reply_to_id) WHERE reply_to_id IS NOT NULL;
DROP INDEX IF EXISTS document_replaces;
CREATE INDEX document_replaces ON document(replaces_id) WHERE replaces_id IS NOT NULL;
