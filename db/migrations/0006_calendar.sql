-- The working calendar's per-installation overrides (core/calendar.c, standards.md §4):
-- a day off that is otherwise a working day (ngày nghỉ hoán đổi, e.g. the Prime
-- Minister's swap around Tết) or a working day that is otherwise off (ngày làm bù, a
-- compensating Saturday). Statutory holidays are computed, never stored. Works on SQLite
-- and PostgreSQL: {{ID}} is the driver's identity column.
CREATE TABLE calendar_override (
    id {{ID}},
    day TEXT NOT NULL UNIQUE,            -- 'YYYY-MM-DD', Vietnam date
    year INTEGER NOT NULL,               -- of day, for the per-year view and limit
    kind TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES app_user(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX calendar_override_year ON calendar_override(year);
