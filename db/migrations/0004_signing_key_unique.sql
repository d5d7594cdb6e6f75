-- One live (not revoked) copy of a certificate's key per agency. signing_key_import
-- checks first to give a clear message; this index is what holds when two imports race
-- (the second insert fails with a constraint violation: RES_CONFLICT). Partial unique
-- indexes are the same SQL on SQLite and PostgreSQL.
CREATE UNIQUE INDEX signing_key_live_fingerprint ON signing_key(agency_id, fingerprint)
    WHERE revoked_at = 0;
