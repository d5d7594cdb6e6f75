-- Outgoing documents (issue 12, standards.md §2, §3, §6, §9): drafts with versions, the
-- review circuit, signing, numbering, the agency seal, issuing and tracking.

-- The review circuit's order (doc_participant role reviewer/signer): 1, 2, ... the
-- signer last; 0 for the rows of other roles.
ALTER TABLE doc_participant ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

-- What the drafter chose and what the circuit fixed on the outgoing document.
ALTER TABLE document ADD COLUMN authority TEXT NOT NULL DEFAULT '';    -- §3 TM., Q., KT., TL., TUQ.
ALTER TABLE document ADD COLUMN signer_id BIGINT REFERENCES app_user(id); -- the intended signer
ALTER TABLE document ADD COLUMN drafting_department_id BIGINT REFERENCES department(id);
ALTER TABLE document ADD COLUMN reply_to_id BIGINT REFERENCES document(id); -- "in reply to"
ALTER TABLE document ADD COLUMN approved_hash TEXT;   -- blob hash of the PDF the signer approved
ALTER TABLE document ADD COLUMN sealed_at BIGINT;     -- the clerk's agency signature
ALTER TABLE document ADD COLUMN issued_at BIGINT;
-- A number once given is never given again: a cancelled issuance keeps it (ND30 Điều 15).
ALTER TABLE document ADD COLUMN number_cancelled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX document_reply_to ON document(reply_to_id);

-- A register restricted to some document types (a separate series, standards.md §2: e.g.
-- one per legal normative type): comma-separated doc_types keys; '' = every type not
-- taken by a restricted register.
ALTER TABLE doc_register ADD COLUMN doc_types TEXT NOT NULL DEFAULT '';

-- Which version of the main file a step acted on (the reviewer saw version N).
ALTER TABLE doc_history ADD COLUMN file_version INTEGER;
-- The stage of a main-file version: '' uploaded, signed (the signer's signature),
-- stamped (number and date written), sealed (the agency signature).
ALTER TABLE doc_file ADD COLUMN stage TEXT NOT NULL DEFAULT '';

-- The recipients of an outgoing document (§9 ToPlaces): an agency of this installation
-- (agency_id), an external agency by its code (agency_code, for the exchange issue), a
-- department or a person inside the issuing agency.
CREATE TABLE doc_recipient (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('agency', 'external', 'department', 'user')),
    agency_id BIGINT REFERENCES agency(id),
    agency_code TEXT NOT NULL DEFAULT '',
    department_id BIGINT REFERENCES department(id),
    user_id BIGINT REFERENCES app_user(id),
    name TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, seq)
);
CREATE INDEX doc_recipient_document ON doc_recipient(document_id);

-- The outbox of the document exchange (issue 12 writes, the exchange issue drains): one
-- durable row per external recipient of an issued document, urgent ones first.
CREATE TABLE doc_outbox (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    recipient_id BIGINT NOT NULL REFERENCES doc_recipient(id),
    agency_code TEXT NOT NULL,
    urgency INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (recipient_id)
);
CREATE INDEX doc_outbox_queue ON doc_outbox(status, urgency, id);
