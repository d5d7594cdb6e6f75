-- The home page's counts at a million documents (issue 11 "Views"; docs/architecture.md
-- "Documents: lists, search, counts, tracking"). Each count is `d.id IN (the rows
-- standing for the actor ...)`, an OR of the person's own rows and their unit's
-- for-information rows; these indexes give every branch of it an equality prefix:
--   the person's rows by role (to process, overdue, due soon: role, then active/status),
--   the person's rows of this year (done this year: created_at is the range), and
--   a unit's rows (user_id IS NULL) by role: before, the unit branch walked every
--   unit row of the agency through doc_participant_seen (user_id IS NULL, role).
-- Measured at 1,000,000 documents (SQLite, the demo specialist): 35-96 ms -> ~2 ms.
CREATE INDEX IF NOT EXISTS doc_participant_user_role
    ON doc_participant(user_id, role, active, status, document_id);
CREATE INDEX IF NOT EXISTS doc_participant_user_created
    ON doc_participant(user_id, created_at, status, document_id);
CREATE INDEX IF NOT EXISTS doc_participant_unit_role
    ON doc_participant(department_id, role, user_id, active, status, seen_at, created_at,
                       document_id);
