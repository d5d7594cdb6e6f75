-- The incoming workflow (issue 11, standards.md §5): who a document is with. One row per
-- participant of a step: the leader it was presented to, the lead (chủ trì), the
-- co-operating ones (phối hợp), the for-information recipients (nhận để biết), and for
-- the outgoing issue the drafter, reviewers and signer. A person (user_id, with their
-- unit in department_id) or a unit (department_id only, acting through its leaders).
-- doc/doc_read.c turns the rows into the policy object's participants (core/authz.h):
-- active = 1 rows whose status is pending or in_progress are the step in progress.
CREATE TABLE doc_participant (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES document(id),
    history_step INTEGER NOT NULL,        -- the doc_history step that created the row
    role TEXT NOT NULL CHECK (role IN (
        'leader', 'lead', 'co_handler', 'for_info', 'reviewer', 'signer', 'drafter')),
    user_id BIGINT REFERENCES app_user(id),
    department_id BIGINT REFERENCES department(id),
    assigned_by BIGINT REFERENCES app_user(id),
    parent_id BIGINT REFERENCES doc_participant(id), -- passed on from (re-assign, forward)
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
        'pending', 'in_progress', 'done', 'returned', 'withdrawn', 'forwarded')),
    active INTEGER NOT NULL DEFAULT 1,    -- 1: part of the step in progress
    due_date TEXT,                        -- this assignment's deadline, 'YYYY-MM-DD'
    note TEXT NOT NULL DEFAULT '',        -- the direction or forwarding note
    seen_at BIGINT,                       -- first opened by the person (for information)
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    CHECK (user_id IS NOT NULL OR department_id IS NOT NULL)
);
CREATE INDEX doc_participant_document ON doc_participant(document_id, active);
-- The per-user boxes (to process, in progress, for information, ...) and the tracking
-- page (overdue per person, per unit).
CREATE INDEX doc_participant_user ON doc_participant(user_id, active, status, document_id);
CREATE INDEX doc_participant_department ON doc_participant(department_id, active, status, document_id);

-- The processing deadline the leader set (hạn xử lý, a Vietnam date; §9 DueDate stays the
-- issuer's), and when the lead's completion completed the document.
ALTER TABLE document ADD COLUMN deadline TEXT;
ALTER TABLE document ADD COLUMN completed_at BIGINT;
CREATE INDEX document_agency_deadline ON document(agency_id, direction, state, deadline);
