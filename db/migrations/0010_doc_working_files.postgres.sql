-- Working files (tệp xử lý) of the incoming workflow (issue 11, standards.md §5): the
-- lead and the co-handlers attach what they produced while processing. doc_file.role
-- gains 'working': PostgreSQL replaces the column's check constraint in place (its
-- default name, table_column_check); rows, ids and the blob_ref_column row stay.
ALTER TABLE doc_file DROP CONSTRAINT doc_file_role_check;
ALTER TABLE doc_file ADD CONSTRAINT doc_file_role_check
    CHECK (role IN ('main', 'appendix', 'working'));
