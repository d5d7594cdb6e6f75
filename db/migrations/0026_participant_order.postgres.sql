-- PostgreSQL part of 0026_participant_order.sql (runs right after it, same transaction).
-- PostgreSQL keeps statistics per column: the two new ones (a sample of the table).
ANALYZE doc_participant;
