-- The leaders' tracking at a million documents (issue 11 "Views"; docs/architecture.md
-- "Documents: lists, search, counts, tracking"). Its open-rows statement walks the lead
-- rows in progress or pending (~27,000 at 1M documents) and joins each to its document
-- for the agency and the deadline; through doc_participant_role it read every such row
-- from doc_participant and then from document, two random reads per row.
--
-- The open lead rows alone, with what the statement reads of them: covering, so the walk
-- is read from this small index (only rows in that state are in it: written when a row
-- becomes an open lead row, removed when it leaves that state), in document order. The
-- equality prefix (role, active, status) lets SQLite choose it with or without ANALYZE
-- statistics; the WHERE is the statement's own terms, as both engines require.
CREATE INDEX doc_participant_lead_open
    ON doc_participant(role, active, status, document_id, department_id, user_id)
    WHERE role = 'lead' AND active = 1 AND status IN ('pending', 'in_progress');
-- The lead rows done, by when (the period's statement: done_at in [from, to)), covering.
-- done_at first: PostgreSQL drops the terms the WHERE implies from the index condition,
-- so constant leading columns would make it read the whole index (doc_participant_role
-- has active between status and done_at: PostgreSQL read every done lead row, SQLite
-- without ANALYZE statistics too).
CREATE INDEX doc_participant_lead_done
    ON doc_participant(done_at, document_id, department_id, user_id, role, status)
    WHERE role = 'lead' AND status = 'done';
-- A document's agency and deadline by id, narrow (~30 bytes an entry against ~1 KiB a
-- row): the join of the lead rows (open, or done in the period) to their documents reads
-- this index instead of the table, and in document order touches each leaf page once
-- for many rows. SQLite picks it over the rowid when ANALYZE (PRAGMA optimize) has
-- measured it; PostgreSQL can answer from it with an index-only scan.
CREATE INDEX document_id_deadline ON document(id, agency_id, deadline);
