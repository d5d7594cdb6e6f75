-- The box to process at a million documents (issue 11 "Views"; docs/architecture.md
-- "Documents: lists, search, counts, tracking"): a clerk's documents to register and to
-- present, one state at a time in the list's default order (urgency, then date), so that
-- a page takes its rows from the index without reading and sorting the box's every
-- document (1600 at 1M). By date, document_agency_state already holds the order.
-- PostgreSQL keeps statistics per column, not per index: nothing to analyze.
CREATE INDEX IF NOT EXISTS document_agency_state_urgent
    ON document(agency_id, direction, state, urgency, received_at, id);
