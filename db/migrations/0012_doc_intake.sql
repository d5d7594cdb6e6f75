-- Receiving documents (issue 11, standards.md §4, §5): the instant a document entered the
-- agency's system (arrived_at) beside the instant it counts as received (received_at:
-- outside working hours, the start of the next working period, core/calendar.c
-- calendar_receipt_time). Rows registered before this migration arrived when received.
ALTER TABLE document ADD COLUMN arrived_at BIGINT;
UPDATE document SET arrived_at = received_at WHERE arrived_at IS NULL;

-- Internal delivery (doc/doc_deliver.c): the copies of one issuing document, one per
-- receiving agency, found from the source and checked for a second delivery.
CREATE INDEX document_source ON document(source_document_id, agency_id);
-- The register book (doc/doc_book.c): one register's entries in a range of receipt.
CREATE INDEX document_register_received ON document(register_id, received_at, reg_number);
