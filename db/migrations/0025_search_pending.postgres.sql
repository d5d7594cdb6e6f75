-- Search words waiting to be indexed (issue 11 "Benchmark"; docs/architecture.md
-- "Documents: lists, search, counts, tracking", Search): a registration writes one row
-- here, its folded words as " w1 w2 ... wn ", instead of twenty-odd rows of
-- doc_search_token on as many random leaves of the word index; the job
-- doc.search_index moves them there in batches, and a search reads these rows directly
-- (words LIKE '% w %', the last word '% w%'), so a document is found from the moment
-- it is registered. No index on agency_id: the job keeps the table small, and an index
-- would be one more B-tree written by every registration. urgency and received_at are
-- the document's, for the token rows (a change of either re-indexes the document
-- through doc_search_index, which deletes its row here).
CREATE TABLE doc_search_pending (
    document_id BIGINT PRIMARY KEY REFERENCES document(id),
    agency_id BIGINT NOT NULL,
    urgency INTEGER NOT NULL,
    received_at BIGINT NOT NULL,
    words TEXT NOT NULL
);
