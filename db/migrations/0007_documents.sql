-- Documents (issue 11, designed for 12 and the exchange issue): one model for incoming,
-- outgoing and internal documents with the metadata of standards.md §9, their files in
-- the blob store, the registers (sổ văn bản đến/đi) with a counter per register and
-- year, and the processing history. Portable SQL; {{ID}} is the driver's identity.

-- A register (sổ) of an agency. An agency may keep several of each kind (one for
-- documents from higher bodies, one for others, ...). year_mode 'yearly': numbers
-- restart on 1 January (Vietnam time) every year (ND30 Điều 22, standards.md §2);
-- 'fixed': the register is opened for the one year `year` and takes nothing else.
CREATE TABLE doc_register (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    kind TEXT NOT NULL CHECK (kind IN ('incoming', 'outgoing', 'internal')),
    name TEXT NOT NULL,
    year_mode TEXT NOT NULL DEFAULT 'yearly' CHECK (year_mode IN ('yearly', 'fixed')),
    year INTEGER NOT NULL DEFAULT 0,      -- the year of a 'fixed' register, else 0
    active INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, kind, name)
);

-- The next number of a register in a year. Allocation is
--   UPDATE doc_counter SET next_number = next_number + 1 WHERE ... RETURNING
-- inside the transaction that writes the document: the row lock (PostgreSQL) or the
-- write lock (SQLite BEGIN IMMEDIATE) serialises allocators, and a rollback or a crash
-- gives the number back, so numbers are neither repeated nor skipped.
CREATE TABLE doc_counter (
    register_id BIGINT NOT NULL REFERENCES doc_register(id),
    year INTEGER NOT NULL,
    next_number BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (register_id, year)
);

-- The document. Dates written on a document (issued_date, due_date) are Vietnam
-- calendar dates 'YYYY-MM-DD'; instants (received_at, created_at) UTC unix seconds.
CREATE TABLE document (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),  -- the agency holding this copy
    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'internal')),
    state TEXT NOT NULL CHECK (state IN (
        'arrived', 'refused', 'registered', 'presented', 'assigned', 'in_progress',
        'completed', 'recalled',                                   -- incoming
        'draft', 'reviewing', 'approved', 'signed', 'issued', 'cancelled')), -- outgoing
    medium TEXT NOT NULL DEFAULT 'paper' CHECK (medium IN ('paper', 'electronic')),
    -- §9 OrganId / OrganName of the issuer; issuer_agency_id when it is an agency of
    -- this installation (internal delivery, issue 12).
    issuer_code TEXT NOT NULL DEFAULT '',
    issuer_name TEXT NOT NULL,
    issuer_agency_id BIGINT REFERENCES agency(id),
    number TEXT NOT NULL DEFAULT '',      -- §9 CodeNumber, digits as written ("07")
    symbol TEXT NOT NULL DEFAULT '',      -- §9 CodeNotation ("QĐ-UBND")
    issued_date TEXT,                     -- §9 IssuedDate
    doc_type TEXT NOT NULL,               -- key of the §2 list (doc/doc_types.c)
    subject TEXT NOT NULL,                -- §9 Subject, NFC, at most 500 characters
    subject_folded TEXT NOT NULL,         -- case and diacritics folded, for search
    signer_name TEXT NOT NULL DEFAULT '',
    signer_position TEXT NOT NULL DEFAULT '',
    page_count INTEGER NOT NULL DEFAULT 0,
    urgency INTEGER NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 4),  -- §3 edXML Priority
    due_date TEXT,                        -- §9 DueDate: deadline to resolve
    recipients TEXT NOT NULL DEFAULT '[]',  -- §9 ToPlaces / To, JSON array of names
    language TEXT NOT NULL DEFAULT 'vi',
    notes TEXT NOT NULL DEFAULT '',       -- §9 Description
    -- Register entry: arrival number (số đến) for incoming, issued number for outgoing.
    register_id BIGINT REFERENCES doc_register(id),
    reg_year INTEGER,
    reg_number BIGINT,
    received_at BIGINT,                   -- §9 ArrivalDate
    source_document_id BIGINT REFERENCES document(id),  -- the issuing copy (issue 12)
    created_by BIGINT REFERENCES app_user(id),          -- NULL: the installation (demo)
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((register_id IS NULL) = (reg_number IS NULL))
);
-- Behind the counter: never two documents with one number in a register and year.
CREATE UNIQUE INDEX document_reg_number ON document(register_id, reg_year, reg_number);
-- The agency's lists, newest received first, keyset paged on (received_at, id).
CREATE INDEX document_agency_received ON document(agency_id, direction, received_at, id);
CREATE INDEX document_agency_state ON document(agency_id, direction, state, received_at, id);
-- The duplicate warning (ND30 Phụ lục VI): same issuer, number, symbol and date.
CREATE INDEX document_identity ON document(agency_id, number, symbol, issued_date);
CREATE INDEX document_creator ON document(created_by);

-- Files of a document: the main file and appendices (later: working files, versions).
CREATE TABLE doc_file (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    role TEXT NOT NULL CHECK (role IN ('main', 'appendix')),
    seq INTEGER NOT NULL DEFAULT 0,       -- order among the appendices
    version INTEGER NOT NULL DEFAULT 1,   -- drafts of issue 12 upload new versions
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,           -- from the detected format, not the client
    format TEXT NOT NULL,                 -- pdf, docx, ... (doc/doc_format.c)
    size BIGINT NOT NULL,
    blob_hash TEXT NOT NULL REFERENCES blob(hash),
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX doc_file_document ON doc_file(document_id, role, seq);
CREATE INDEX doc_file_blob ON doc_file(blob_hash);
INSERT INTO blob_ref_column (table_name, column_name) VALUES ('doc_file', 'blob_hash');

-- The processing history (standards.md §5: recipients, directions, status and
-- deadlines of every step): the document's timeline, and what the exchange issue turns
-- into edXML statuses (received 01, refused 02, accepted 03, assigned 04, ...).
CREATE TABLE doc_history (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    step INTEGER NOT NULL,                -- 1, 2, ... within the document
    actor_id BIGINT REFERENCES app_user(id),
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,                 -- received, refused, presented, assigned, ...
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    to_user_id BIGINT REFERENCES app_user(id),         -- to whom (assign, forward)
    to_department_id BIGINT REFERENCES department(id),
    comment TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    UNIQUE (document_id, step)
);
