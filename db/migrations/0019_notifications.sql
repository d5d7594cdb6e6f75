-- Notifications (thông báo, issues 11 and 12): one row per recipient, written by
-- core/notify.c inside the transaction of the step that causes it (a document step and
-- its notifications commit together). Recipients named by a role in an agency or unit
-- are resolved to people when the row is written. agency_id is the agency the
-- notification belongs to (the document's): a person with posts in two agencies sees
-- each agency's notifications while working there.
CREATE TABLE notification (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    kind TEXT NOT NULL,                  -- assigned, refused, due_soon, ... (core/notify.h)
    document_id BIGINT REFERENCES document(id),
    body TEXT NOT NULL,                  -- short Vietnamese text, at most 300 bytes
    actor_id BIGINT REFERENCES app_user(id), -- who caused it; NULL for the system
    dedupe_key TEXT,                     -- one notification per person and key (a step,
                                         -- a day's reminder); NULL = no such rule
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
-- "My notifications, newest first" and "my unread ones, newest first", paged by id
-- (keyset: id < cursor), and the unread count of the bell: each an index range.
CREATE INDEX notification_user ON notification(user_id, agency_id, id);
CREATE INDEX notification_unread ON notification(user_id, agency_id, id) WHERE read_at IS NULL;
-- Opening a document marks the person's notifications about it read.
CREATE INDEX notification_document ON notification(user_id, document_id) WHERE read_at IS NULL;
-- The retention sweep: read notifications older than the retention period.
CREATE INDEX notification_read_at ON notification(read_at) WHERE read_at IS NOT NULL;
-- A step retried after a busy database, or a reminder job run twice the same day, adds
-- nothing (INSERT ... ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX notification_dedupe ON notification(user_id, dedupe_key);
