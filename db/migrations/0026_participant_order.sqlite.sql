-- The leader's box to process at a million documents (issue 11 "Views";
-- docs/architecture.md "Documents: lists, search, counts, tracking"): the page order of
-- a list (urgency DESC, received_at DESC, id DESC, or by date) is on document, the
-- actor's rows on doc_participant, so a box of 12 000 rows was read and sorted whole
-- for every page. Each row carries its document's sort key (set once, when the row is
-- written, by doc_participant_keys: a document's urgency and received_at never change
-- after it is made), and the pending rows are indexed in page order per person and
-- role: a page reads its rows from the index.
ALTER TABLE doc_participant ADD COLUMN doc_urgency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_participant ADD COLUMN doc_received_at BIGINT;
UPDATE doc_participant SET doc_urgency = d.urgency, doc_received_at = d.received_at
    FROM document d WHERE d.id = doc_participant.document_id;
-- Partial: only the rows a box to process is made of (about 1 in 9 at 1M documents),
-- so the indexes stay small and most writes do not touch them. The condition is the
-- query's own terms (SQLite uses a partial index only for a WHERE that has them).
-- active and status are in the key too, so that the index covers the query (SQLite
-- still tests the terms, and would read each row from the table for them).
CREATE INDEX doc_participant_pending_urgent
    ON doc_participant(user_id, role, active, status, doc_urgency, doc_received_at, document_id)
    WHERE active = 1 AND status = 'pending';
CREATE INDEX doc_participant_pending_received
    ON doc_participant(user_id, role, active, status, doc_received_at, document_id,
                   doc_urgency)
    WHERE active = 1 AND status = 'pending';
-- Their own statistics (see 0024: without them SQLite's guesses for a new index can
-- make it look the cheapest way to other lists).
ANALYZE doc_participant_pending_urgent;
ANALYZE doc_participant_pending_received;
