-- The box to process at a million documents (issue 11 "Views"; docs/architecture.md
-- "Documents: lists, search, counts, tracking"): a clerk's documents to register and to
-- present, one state at a time in the list's default order (urgency, then date), so that
-- a page takes its rows from the index without reading and sorting the box's every
-- document (1600 at 1M). By date, document_agency_state already holds the order.
CREATE INDEX IF NOT EXISTS document_agency_state_urgent
    ON document(agency_id, direction, state, urgency, received_at, id);
-- An installation with statistics (ANALYZE, PRAGMA optimize) has none for a new index,
-- and SQLite's guesses for one make it the cheapest way to every list of the agency: a
-- walk of the whole agency's documents (the specialist's to_process page 1 ms -> 230 ms
-- at 1M, measured). Its own statistics, one pass over the index: without them this
-- would wait for the next ANALYZE.
ANALYZE document_agency_state_urgent;
