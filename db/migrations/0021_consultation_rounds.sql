-- Rounds of public comment (issue 12 "Drafts for public comment", Khánh Hòa Điều 9): a
-- drafter who revises a draft after a round of comments publishes it again — a new
-- version of its PDF, a new deadline, a new slug — as the next round. Each
-- doc_consultation row is one round; the consultations before this migration are round 1.
-- At most one round of a draft is open at a time (doc_public.c checks it with the
-- document row locked); earlier rounds stay readable with their comments.
ALTER TABLE doc_consultation ADD COLUMN round_no INTEGER NOT NULL DEFAULT 1;
DROP INDEX doc_consultation_document;
CREATE UNIQUE INDEX doc_consultation_round ON doc_consultation(document_id, round_no);
