-- PostgreSQL part of 0001_foundation.sql (runs right after it, same transaction):
-- session_user is a reserved word there, so the name is quoted.
CREATE INDEX "session_user" ON session(user_id);
