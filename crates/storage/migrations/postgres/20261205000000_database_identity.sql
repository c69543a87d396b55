-- PostgreSQL twin of migrations/sqlite/20261205000000_database_identity.sql (same version and
-- description). What differs: the random id comes from gen_random_uuid() (PostgreSQL 13 and
-- later), written without its dashes as 32 hex digits like SQLite's. A database made from
-- this one as a template keeps the id, as a copied file does.
INSERT INTO settings (key, value) VALUES ('database_id', replace(CAST(gen_random_uuid() AS TEXT), '-', ''));
