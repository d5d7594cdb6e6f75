-- SQLite part of 0001_foundation.sql (runs right after it, same transaction).
CREATE INDEX session_user ON session(user_id);
