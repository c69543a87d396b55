-- The audit log becomes a hash chain: each entry holds the hash of the entry before it
-- (`prev_hash`) and its own (`hash`, over its fields and `prev_hash`; see
-- src/domain/audit.rs). An entry has at most one successor, so two writers can never
-- fork the chain. Entries written before this migration are sealed in order when the
-- store opens; after that, no entry is ever changed.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_one_successor ON audit_log (prev_hash);
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
