-- Digital signatures (issue #3): signing keys kept sealed by the signer process,
-- signature and seal images, the installation's trust store (roots, intermediates,
-- CRLs) and documents waiting to be signed (uploads shown for placement, two-step
-- external signing). {{BLOB}} is the driver's binary column type.

-- A PKCS#12 of a person (user_id set) or of the agency itself (user_id NULL: the
-- agency's signature, "chữ ký số của cơ quan", used with the seal image). `sealed` is
-- AES-256-GCM under the signer process's master key; only that process can open it,
-- and only with the owner's PIN. Certificate facts are copied out for listing.
CREATE TABLE signing_key (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    user_id BIGINT REFERENCES app_user(id),
    label TEXT NOT NULL DEFAULT '',
    sealed {{BLOB}} NOT NULL,
    cert_pem TEXT NOT NULL,               -- signer certificate then the chain that came with it
    subject_cn TEXT NOT NULL,
    subject_o TEXT NOT NULL DEFAULT '',
    issuer_cn TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL,                 -- hex
    fingerprint TEXT NOT NULL,            -- sha256 of the certificate DER, hex
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    failed_pins INTEGER NOT NULL DEFAULT 0,   -- consecutive wrong PINs
    locked_until BIGINT NOT NULL DEFAULT 0,   -- PIN attempts refused until then
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0,     -- withdrawn by an administrator
    revoked_by BIGINT REFERENCES app_user(id),
    revoke_reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX signing_key_owner ON signing_key(agency_id, user_id);

-- The person's handwritten signature (kind 'signature', user_id set) or the agency's
-- seal (kind 'seal', user_id NULL): transparent PNG, real size for the seal. One active
-- image per owner and kind; older ones stay for the record.
CREATE TABLE signature_image (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    user_id BIGINT REFERENCES app_user(id),
    kind TEXT NOT NULL CHECK (kind IN ('signature', 'seal')),
    png {{BLOB}} NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX signature_image_owner ON signature_image(agency_id, user_id, kind);

-- Trusted roots and intermediate CA certificates of the installation (the national
-- root and the licensed CAs in production).
CREATE TABLE trust_cert (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('root', 'intermediate')),
    subject TEXT NOT NULL,
    issuer TEXT NOT NULL,
    serial TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    der {{BLOB}} NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);

-- Certificate revocation lists imported as files.
CREATE TABLE trust_crl (
    id {{ID}},
    issuer TEXT NOT NULL,
    this_update BIGINT NOT NULL,
    next_update BIGINT NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    fingerprint TEXT NOT NULL UNIQUE,
    der {{BLOB}} NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);

-- A PDF waiting to be signed by its uploader: kind 'upload' (shown page by page so the
-- signature can be placed) or 'prepared' (two-step external signing: the prepared
-- bytes whose digest was handed out; meta holds offsets, digests and certificates).
-- Rows expire; the public id is random and only its owner may use it.
CREATE TABLE sign_draft (
    id {{ID}},
    public_id TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    agency_id BIGINT REFERENCES agency(id),
    kind TEXT NOT NULL CHECK (kind IN ('upload', 'prepared')),
    file_name TEXT NOT NULL,
    pdf {{BLOB}} NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sign_draft_user ON sign_draft(user_id);
