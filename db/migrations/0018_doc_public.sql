-- Drafts for public comment (issue 12 "Drafts for public comment", Khánh Hòa Điều 9): an
-- outgoing draft published on a public page of the installation, addressed by an
-- unguessable slug, with the version of its main PDF that was published, a deadline and
-- the comments the public sent.

-- One consultation per draft. subject, summary and doc_type are what was published (the
-- draft may change afterwards; the page keeps showing what was put out); file_id is the
-- published version of the main file, the only file the public page hands out. The page
-- is open while state = 'open' and now < deadline (UTC seconds); closing early sets
-- state 'closed'. comment_count is the number of comments, bounded per draft.
CREATE TABLE doc_consultation (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    slug TEXT NOT NULL,
    file_id BIGINT NOT NULL REFERENCES doc_file(id),
    subject TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    deadline BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    published_by BIGINT NOT NULL REFERENCES app_user(id),
    published_at BIGINT NOT NULL,
    closed_by BIGINT REFERENCES app_user(id),
    closed_at BIGINT,
    comment_count INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX doc_consultation_slug ON doc_consultation(slug);
CREATE UNIQUE INDEX doc_consultation_document ON doc_consultation(document_id);
-- The public index: open consultations by deadline, of the installation or of one agency.
CREATE INDEX doc_consultation_open ON doc_consultation(state, deadline);
CREATE INDEX doc_consultation_agency ON doc_consultation(agency_id, state, deadline);

-- A comment from the public. client_key is the client address the rate limit counts
-- (an IPv6 address by its /64), body_hash the SHA-256 of the cleaned comment: the same
-- comment from the same address to the same draft is taken once.
CREATE TABLE doc_public_comment (
    id {{ID}},
    consultation_id BIGINT NOT NULL REFERENCES doc_consultation(id),
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    client_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX doc_public_comment_consultation ON doc_public_comment(consultation_id, id);
CREATE INDEX doc_public_comment_client ON doc_public_comment(client_key, created_at);
CREATE UNIQUE INDEX doc_public_comment_same ON doc_public_comment(consultation_id, client_key,
                                                                   body_hash);

-- One row per client address that commented: the comment transaction updates it first,
-- so concurrent comments from one address queue on its row lock (PostgreSQL) and the
-- hourly count they check is exact.
CREATE TABLE public_client (
    client_key TEXT PRIMARY KEY,
    last_at BIGINT NOT NULL
);
