-- Foundation: agencies, departments, positions, users, memberships, sessions, audit.
-- Portable SQL (SQLite and PostgreSQL); {{ID}} is the driver's identity column.
-- Times are UTC unix seconds (BIGINT). Booleans are INTEGER 0/1.

CREATE TABLE agency (
    id {{ID}},
    parent_id BIGINT REFERENCES agency(id),
    code TEXT NOT NULL UNIQUE,            -- QD20: AAA.BB.CC.XNN
    name TEXT NOT NULL,
    abbr TEXT NOT NULL,                   -- used in symbols: UBND, STTTT
    host_label TEXT NOT NULL UNIQUE,      -- qlvb-<abbr>
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agency_parent ON agency(parent_id);

CREATE TABLE department (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    parent_id BIGINT REFERENCES department(id),
    name TEXT NOT NULL,
    abbr TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, name)
);

CREATE TABLE position (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    name TEXT NOT NULL,
    rank INTEGER NOT NULL DEFAULT 100,    -- display order, lower first
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, name)
);

CREATE TABLE app_user (
    id {{ID}},
    login TEXT NOT NULL UNIQUE,           -- 12-digit citizen ID (Quảng Bình Điều 8.4)
    full_name TEXT NOT NULL,
    full_name_folded TEXT NOT NULL,       -- for accent-insensitive search
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,          -- argon2id encoded
    must_change_password INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,  -- lockout after repeated failures
    disabled INTEGER NOT NULL DEFAULT 0,     -- locked by an administrator
    is_sysadmin INTEGER NOT NULL DEFAULT 0,
    home_agency_id BIGINT REFERENCES agency(id),  -- the agency whose administrators own the account
    password_changed_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A post a user holds in an agency (concurrent posts = several rows).
CREATE TABLE membership (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    department_id BIGINT REFERENCES department(id),
    position_id BIGINT REFERENCES position(id),
    roles INTEGER NOT NULL DEFAULT 0,     -- bit set, see core/role.h
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, agency_id)
);
CREATE INDEX membership_agency ON membership(agency_id);

CREATE TABLE session (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,      -- sha256 of the random token; the token is never stored
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    membership_id BIGINT REFERENCES membership(id),  -- the agency chosen for this session
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,           -- absolute expiry
    revoked_at BIGINT NOT NULL DEFAULT 0,
    client_addr TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
-- The index on session(user_id) is named session_user, a reserved word in PostgreSQL:
-- it is created in 0001_foundation.<engine>.sql, quoted where the engine needs it.

-- Hash-chained audit log: hash = sha256(prev_hash | fields). audit_head holds the
-- last sequence number and hash, updated in the same transaction (it serialises
-- appenders on both engines and lets verify detect deletion of the newest rows).
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,                -- consecutive sequence, assigned from audit_head
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_login TEXT NOT NULL DEFAULT '',
    agency_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    client_addr TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_agency_at ON audit_log(agency_id, at);
CREATE INDEX audit_actor ON audit_log(actor_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Installation settings (key/value), e.g. the province domain for host names.
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
