-- The words are ASCII [a-z0-9]; the prefix range (token >= $p AND token < $q) must
-- compare bytes whatever the database's locale, as SQLite does.
ALTER TABLE doc_search_token ALTER COLUMN token TYPE TEXT COLLATE "C";
