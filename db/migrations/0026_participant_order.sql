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
-- Partial: only the rows a box to process is made of (pending lead, co-handler and
-- leader rows in force: about 1 in 100 at 1M documents), so the indexes stay small and
-- most writes do not touch them. The condition is the query's own terms, written as
-- there (doc_list.c TP_PENDING: SQLite uses a partial index only for a WHERE that has
-- them); the role is not in the range, so that one range holds the person's three
-- roles in page order. active, status and role close the key so that the index covers
-- the query (SQLite still tests the terms, and would read each row for them).
CREATE INDEX doc_participant_pending_urgent
    ON doc_participant(user_id, active, status, doc_urgency, doc_received_at, document_id, role)
    WHERE active = 1 AND status = 'pending' AND role IN ('lead', 'co_handler', 'leader');
CREATE INDEX doc_participant_pending_received
    ON doc_participant(user_id, active, status, doc_received_at, document_id, doc_urgency, role)
    WHERE active = 1 AND status = 'pending' AND role IN ('lead', 'co_handler', 'leader');
