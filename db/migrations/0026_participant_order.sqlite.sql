-- SQLite part of 0026_participant_order.sql (runs right after it, same transaction).
-- Their own statistics (see 0024: without them SQLite's guesses for a new index can
-- make it look the cheapest way to other lists).
ANALYZE doc_participant_pending_urgent;
ANALYZE doc_participant_pending_received;
