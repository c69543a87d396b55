-- PostgreSQL twin of migrations/sqlite/20261203000000_checkin.sql (same version and
-- description). What differs:
--
-- * checkin_conflicts.raised_at and resolved_at are TIMESTAMPTZ (bound as
--   chrono::DateTime<Utc>; raised_at is also read as one).
-- * The triggers are PL/pgSQL trigger functions named after them, with the same WHEN
--   condition (SQLite's `IS NOT` is IS DISTINCT FROM) and the same messages.
--
-- Not obvious, and why: checkin_conflicts.resolved_at is TIMESTAMPTZ although the store
-- never reads it: it binds Utc::now(), a DateTime<Utc>. The token columns and the
-- household snapshot stay TEXT (a hex digest, the token's text, JSON).

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
    id           TEXT        PRIMARY KEY NOT NULL,
    return_id    TEXT        NOT NULL REFERENCES mission_bundles (id),
    case_id      TEXT        NOT NULL REFERENCES cases (id),
    kind         TEXT        NOT NULL CHECK (kind IN ('status', 'medical_needs', 'decision',
                                                       'consent', 'record')),
    subject      TEXT        NOT NULL,
    office       TEXT        NOT NULL,
    laptop       TEXT        NOT NULL,
    raised_at    TIMESTAMPTZ NOT NULL,
    resolution   TEXT        CHECK (resolution IN ('office', 'laptop')),
    resolved_by  TEXT,
    resolved_at  TIMESTAMPTZ,
    CHECK ((resolution IS NULL) = (resolved_by IS NULL)
       AND (resolution IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX checkin_conflicts_open ON checkin_conflicts (resolution, case_id);
CREATE FUNCTION checkin_conflicts_resolved_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a check-in conflict is resolved once and its sides never change';
END;
$$;
CREATE TRIGGER checkin_conflicts_resolved_once BEFORE UPDATE ON checkin_conflicts
    FOR EACH ROW
    WHEN (OLD.resolution IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id
          OR NEW.case_id IS DISTINCT FROM OLD.case_id
          OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.subject IS DISTINCT FROM OLD.subject
          OR NEW.office IS DISTINCT FROM OLD.office OR NEW.laptop IS DISTINCT FROM OLD.laptop)
    EXECUTE FUNCTION checkin_conflicts_resolved_once();
CREATE FUNCTION checkin_conflicts_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'check-in conflicts are never deleted';
END;
$$;
CREATE TRIGGER checkin_conflicts_no_delete BEFORE DELETE ON checkin_conflicts
    FOR EACH ROW EXECUTE FUNCTION checkin_conflicts_no_delete();

-- PostgreSQL only (SQLite has no TRUNCATE): TRUNCATE empties a table without firing its
-- row triggers, so each table whose rows are never deleted refuses it as a whole too.
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: it is never truncated', TG_TABLE_NAME;
END;
$$;
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_log', 'audit_issued', 'case_transitions',
        'checkin_conflicts', 'consents', 'decision_members', 'decisions', 'mission_bundles',
        'municipal_quota_edits', 'placement_transitions', 'quota_entries', 'rubric_versions',
        'scores', 'screening_flags', 'users']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()',
                       t || '_no_truncate', t);
    END LOOP;
END;
$$;
