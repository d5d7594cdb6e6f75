-- Working files (tệp xử lý) of the incoming workflow (issue 11, standards.md §5): the
-- lead and the co-handlers attach what they produced while processing. doc_file.role
-- gains 'working'. SQLite cannot change a CHECK constraint, so the table is rebuilt
-- (as 0003 rebuilt sign_draft) keeping every row with its id; the indexes go with the
-- old table and are made again. The blob_ref_column row ('doc_file', 'blob_hash') stays
-- valid: the table keeps its name and its column. Nothing references doc_file.
CREATE TABLE doc_file_v10 (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    role TEXT NOT NULL CHECK (role IN ('main', 'appendix', 'working')),
    seq INTEGER NOT NULL DEFAULT 0,       -- order among the appendices, the working files
    version INTEGER NOT NULL DEFAULT 1,   -- drafts of issue 12 upload new versions
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,           -- from the detected format, not the client
    format TEXT NOT NULL,                 -- pdf, docx, ... (doc/doc_format.c)
    size BIGINT NOT NULL,
    blob_hash TEXT NOT NULL REFERENCES blob(hash),
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
INSERT INTO doc_file_v10 (id, document_id, role, seq, version, file_name, content_type, format,
                          size, blob_hash, created_by, created_at)
    SELECT id, document_id, role, seq, version, file_name, content_type, format, size, blob_hash,
           created_by, created_at
    FROM doc_file ORDER BY id;
DROP TABLE doc_file;
ALTER TABLE doc_file_v10 RENAME TO doc_file;
CREATE INDEX doc_file_document ON doc_file(document_id, role, seq);
CREATE INDEX doc_file_blob ON doc_file(blob_hash);
