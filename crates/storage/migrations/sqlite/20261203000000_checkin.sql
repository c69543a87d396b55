-- The way back from a field laptop (src/storage/sqlite/checkin.rs).
--
-- A check-out carries a random return token. The office keeps only its SHA-256; the
-- laptop keeps the token (in its encrypted database) and puts it in its return bundle, so
-- that the office checks in only returns from the laptop that opened its check-out: the
-- office's public key, which anyone may hold, is not enough to forge one.
ALTER TABLE mission_bundles ADD COLUMN token_sha256 TEXT;
ALTER TABLE mission_bundles ADD COLUMN token TEXT;

-- Each household as the office checked it out (its JSON): the common ancestor against
-- which a check-in tells, field by field, what the office and the laptop each changed.
ALTER TABLE checkout_households ADD COLUMN snapshot TEXT;

-- What a check-in did not settle by itself: a field both sides changed differently, a
-- decision or consent recorded in the field, a record held differently on each side. Each
-- side is kept as JSON until a quota manager takes one; it is resolved once and never
-- deleted.
CREATE TABLE checkin_conflicts (
    id           TEXT PRIMARY KEY NOT NULL,
    return_id    TEXT NOT NULL REFERENCES mission_bundles (id),
    case_id      TEXT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL CHECK (kind IN ('status', 'medical_needs', 'decision',
                                                'consent', 'record')),
    subject      TEXT NOT NULL,
    office       TEXT NOT NULL,
    laptop       TEXT NOT NULL,
    raised_at    TEXT NOT NULL,
    resolution   TEXT CHECK (resolution IN ('office', 'laptop')),
    resolved_by  TEXT,
    resolved_at  TEXT,
    CHECK ((resolution IS NULL) = (resolved_by IS NULL)
       AND (resolution IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX checkin_conflicts_open ON checkin_conflicts (resolution, case_id);
CREATE TRIGGER checkin_conflicts_resolved_once BEFORE UPDATE ON checkin_conflicts
WHEN OLD.resolution IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id
  OR NEW.kind IS NOT OLD.kind OR NEW.subject IS NOT OLD.subject
  OR NEW.office IS NOT OLD.office OR NEW.laptop IS NOT OLD.laptop
BEGIN
    SELECT RAISE(ABORT, 'a check-in conflict is resolved once and its sides never change');
END;
CREATE TRIGGER checkin_conflicts_no_delete BEFORE DELETE ON checkin_conflicts
BEGIN
    SELECT RAISE(ABORT, 'check-in conflicts are never deleted');
END;
