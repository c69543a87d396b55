-- The database's identity: a random id made once, with the schema, and kept by every copy
-- of the file. An audit receipt (src/domain/receipt.rs) names it, so a receipt of one
-- database is never taken as proof about another, while an older copy of the same
-- database is recognised as such.
INSERT INTO settings (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
