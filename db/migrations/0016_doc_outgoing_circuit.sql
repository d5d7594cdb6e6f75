-- Outgoing documents, the rest of issue 12 (standards.md §2, §5, §6, §10): review-circuit
-- templates, opinions asked of other units, update and replace, the receiver's answer
-- to a recall, a reply completing the incoming document, normative series.

-- A review-circuit template of an agency for one document type (§6): its ordered
-- reviewer places; the draft's intended signer always comes last. kind: unit_leader
-- (the leader of department_id, or of the drafting unit when NULL), office (the leader
-- of department_id, the office checking the form), user (user_id), position (the
-- member holding position_id).
CREATE TABLE doc_circuit_step (
    id {{ID}},
    agency_id BIGINT NOT NULL REFERENCES agency(id),
    doc_type TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('unit_leader', 'office', 'user', 'position')),
    department_id BIGINT REFERENCES department(id),
    user_id BIGINT REFERENCES app_user(id),
    position_id BIGINT REFERENCES position(id),
    UNIQUE (agency_id, doc_type, seq)
);

-- The draft's planned reviewers (user ids, comma-separated, in order): from the
-- template when drafted, edited by the drafter (step plan), taken by submit.
ALTER TABLE document ADD COLUMN review_plan TEXT NOT NULL DEFAULT '';
-- An opinion asked of a unit (doc_participant role co_handler on an outgoing document,
-- parent_id = the asking reviewer's row): the unit's answer.
ALTER TABLE doc_participant ADD COLUMN answer TEXT NOT NULL DEFAULT '';
-- Thay thế: the issued document this one replaces (on a receiver's copy: the receiver's
-- copy of the replaced document).
ALTER TABLE document ADD COLUMN replaces_id BIGINT REFERENCES document(id);
CREATE INDEX document_replaces ON document(replaces_id);
-- "Hoàn thành khi ban hành": issuing this reply completes the incoming document's step.
ALTER TABLE document ADD COLUMN complete_on_issue INTEGER NOT NULL DEFAULT 0;
-- A legal normative document (QPPL): its own series, the year in the reference.
ALTER TABLE document ADD COLUMN normative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_register ADD COLUMN normative INTEGER NOT NULL DEFAULT 0;
-- A receiver's copy waiting for the clerk's answer to a recall: the state to go back to
-- when they refuse (edXML status 16).
ALTER TABLE document ADD COLUMN state_before_recall TEXT;
