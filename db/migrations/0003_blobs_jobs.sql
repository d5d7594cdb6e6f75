-- Blob store bookkeeping and the durable job queue (issue #8). Works on SQLite and
-- PostgreSQL: {{ID}} and {{BLOB}} are the driver's column types.

-- One row per stored file (content-addressed, the file itself lives in the blob store,
-- <data>/blobs/ab/cd/<sha256> for the filesystem driver). A row that uses a blob stores
-- its hash in a column that REFERENCES blob(hash), writes it in the same transaction as
-- blob_ref() (which upserts here and refreshes last_ref_at), and the column is listed in
-- blob_ref_column so the sweep knows to look there.
CREATE TABLE blob (
    hash TEXT PRIMARY KEY,               -- lowercase hex SHA-256 of the content
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_ref_at BIGINT NOT NULL          -- last time a transaction referenced it
);

-- The registry of columns holding blob hashes: the sweep removes a blob row only when
-- none of these columns uses it. A migration that adds such a column adds its row here.
CREATE TABLE blob_ref_column (
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
);

-- Signing drafts keep their PDF in the blob store (pdf_hash). The table is rebuilt
-- because `pdf` was NOT NULL: drafts written before this migration keep their bytes
-- in `pdf` and are still readable until they expire (2 h) and are swept; new rows
-- leave `pdf` NULL. A later migration drops the column.
CREATE TABLE sign_draft_v3 (
    id {{ID}},
    public_id TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    agency_id BIGINT REFERENCES agency(id),
    kind TEXT NOT NULL CHECK (kind IN ('upload', 'prepared')),
    file_name TEXT NOT NULL,
    pdf {{BLOB}},
    pdf_hash TEXT REFERENCES blob(hash),
    meta TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CHECK (pdf IS NOT NULL OR pdf_hash IS NOT NULL)
);
INSERT INTO sign_draft_v3 (public_id, user_id, agency_id, kind, file_name, pdf, meta,
                           created_at, expires_at)
    SELECT public_id, user_id, agency_id, kind, file_name, pdf, meta, created_at, expires_at
    FROM sign_draft ORDER BY id;
DROP TABLE sign_draft;
ALTER TABLE sign_draft_v3 RENAME TO sign_draft;
CREATE INDEX sign_draft_user ON sign_draft(user_id);
CREATE INDEX sign_draft_expiry ON sign_draft(expires_at);
CREATE INDEX sign_draft_pdf ON sign_draft(pdf_hash);
INSERT INTO blob_ref_column (table_name, column_name) VALUES ('sign_draft', 'pdf_hash');

-- The job queue. state: pending (waits for run_at), running (claimed by a worker until
-- locked_until; a node that dies leaves it to be claimed again after that), done,
-- dead (failed max_attempts times; last_error kept for the administrators).
CREATE TABLE job (
    id {{ID}},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',  -- JSON
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'running', 'done', 'dead')),
    dedupe_key TEXT,                     -- unique among pending and running jobs
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    locked_by TEXT NOT NULL DEFAULT '',  -- random token of the claim
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX job_dedupe ON job(dedupe_key) WHERE state IN ('pending', 'running');
CREATE INDEX job_due ON job(state, run_at);
