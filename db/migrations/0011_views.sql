-- Views (issue 11): the per-user boxes, folded text search, counters and tracking over
-- large agencies (docs/architecture.md, Documents: lists, search, counts, tracking).

-- The folded words of a document's number, symbol and subject (doc/doc_list.c
-- doc_search_index: text_fold, then runs of [a-z0-9]), one row per distinct word,
-- written in the registration transaction. A query is the intersection of its words,
-- the last one matched as a prefix (token >= 'lak' AND token < 'lal'). The word index
-- carries the list's sort key (urgency, received_at: copies of the document's, rewritten
-- by doc_search_index whenever they change) so that a common word's postings can be
-- walked in list order; the primary key answers "has document d word w".
CREATE TABLE doc_search_token (
    document_id BIGINT NOT NULL REFERENCES document(id),
    token TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    urgency INTEGER NOT NULL,
    received_at BIGINT NOT NULL,          -- 0 when the document has none
    PRIMARY KEY (document_id, token)
);
CREATE INDEX doc_search_token_word ON doc_search_token(agency_id, token, urgency, received_at, document_id);

-- The issuer's name folded, for the issuer filter (a substring of the folded name).
-- NULL until doc_search_index has run for the document.
ALTER TABLE document ADD COLUMN issuer_folded TEXT;

-- The default order of every list: urgent first (§3: Hỏa tốc, Thượng khẩn, Khẩn), then
-- newest received; keyset paged on (urgency, received_at, id).
CREATE INDEX document_agency_urgent ON document(agency_id, direction, urgency, received_at, id);
-- A unit's own rows (user_id IS NULL) by unit: 0009's doc_participant_department also
-- holds every person's row under their unit, thousands to skip for one unit row.
CREATE INDEX doc_participant_unit ON doc_participant(department_id, user_id, active, status, document_id);
-- "Is the actor on document d": the probe of the walked lists (a member on many rows),
-- answered from the index alone.
CREATE INDEX doc_participant_probe ON doc_participant(document_id, user_id, department_id, role, status);
-- The leaders' tracking: lead rows open now, and those done in a period.
CREATE INDEX doc_participant_role ON doc_participant(role, status, active, done_at);
-- The for-information box counts what the person has not opened yet.
CREATE INDEX doc_participant_seen ON doc_participant(user_id, role, seen_at);

-- Documents registered before this migration get their words from a job (the words are
-- computed in C, not in SQL): doc.search_backfill indexes every document that has none.
INSERT INTO job (kind, payload, state, dedupe_key, run_at, created_at)
VALUES ('doc.search_backfill', '{}', 'pending', 'doc.search_backfill', 0, 0);
