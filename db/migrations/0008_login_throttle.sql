-- Failed sign-in bookkeeping keyed by what the client typed, not by the account
-- (issue 9, items 4, 5, 12). login_attempt counts guesses per login string whether or
-- not an account has it, so the countdown and the lockout look the same for every ID;
-- a guess is counted (failures + 1, RETURNING) before the password is checked, which
-- makes the count atomic across threads and nodes. login_addr counts failures per
-- client address in a window, so one address cannot fill the log or guess across many
-- IDs. Both are shared by every node through the database.
CREATE TABLE login_attempt (
    login TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,      -- guesses counted since the last success
    locked_until BIGINT NOT NULL DEFAULT 0,   -- unix seconds; 0 when not locked
    updated_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE login_addr (
    addr TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,             -- unix seconds the current window began
    failures INTEGER NOT NULL DEFAULT 0
);
