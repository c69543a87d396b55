-- A field laptop erases its copy of a mission once the office has checked the return in
-- (`resettle mission release`): its erasures are recorded under a fifth rule,
-- `checked_in`. SQLite cannot change a CHECK constraint, so `erasures` is rebuilt with
-- the same columns and rows. The triggers of other tables name `erasures` in their
-- bodies; `legacy_alter_table` lets the rename leave them as they are (they name the
-- table, which exists again under that name when the rename is done).

PRAGMA legacy_alter_table = ON;
CREATE TABLE erasures_new (
    id         TEXT PRIMARY KEY NOT NULL,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    scope      TEXT NOT NULL CHECK (scope IN ('case', 'interview_notes')),
    rule       TEXT NOT NULL CHECK (rule IN ('closed_case', 'interview_notes', 'arrived_case',
                                             'request', 'checked_in')),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    erased_by  TEXT NOT NULL,
    erased_at  TEXT NOT NULL
);
INSERT INTO erasures_new (id, case_id, scope, rule, reason, erased_by, erased_at)
    SELECT id, case_id, scope, rule, reason, erased_by, erased_at FROM erasures;
DROP TABLE erasures;
ALTER TABLE erasures_new RENAME TO erasures;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX erasures_case ON erasures (case_id, scope);
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are recorded once'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are recorded once'); END;
