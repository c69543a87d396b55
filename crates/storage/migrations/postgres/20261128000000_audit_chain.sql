-- PostgreSQL twin of migrations/sqlite/20261128000000_audit_chain.sql (same version and
-- description). What differs:
--
-- * The trigger is dropped `ON audit_log` and made again with the same WHEN condition;
--   it runs the function audit_log_no_update() of 20261123000000_foundation.sql, which
--   raises the same message.
-- * Nothing else: prev_hash and hash are TEXT (hex strings), and the unique index lets
--   many NULLs through, as SQLite's does.

-- The audit log becomes a hash chain: each entry holds the hash of the entry before it
-- (`prev_hash`) and its own (`hash`, over its fields and `prev_hash`; see
-- src/domain/audit.rs). An entry has at most one successor, so two writers can never
-- fork the chain. Entries written before this migration are sealed in order when the
-- store opens; after that, no entry is ever changed.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_one_successor ON audit_log (prev_hash);
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW
    WHEN (OLD.hash IS NOT NULL)
    EXECUTE FUNCTION audit_log_no_update();
