-- Erasure: the PostgreSQL version of sqlite/20261212000000_erasure.sql (see its
-- description). What differs:
--
-- * erasures.erased_at is TIMESTAMPTZ.
-- * A trigger's WHEN may not hold a subquery, so the exception for an erased case is in
--   the trigger functions, through `resettle_case_erased`, which reads `erasures` with the
--   caller's privileges.
-- * The bytes leave the server's files by VACUUM FULL, which only the tables' owner may
--   run (PgStore's compaction).

CREATE TABLE erasures (
    id         TEXT        PRIMARY KEY NOT NULL,
    case_id    TEXT        NOT NULL REFERENCES cases (id),
    scope      TEXT        NOT NULL CHECK (scope IN ('case', 'interview_notes')),
    rule       TEXT        NOT NULL CHECK (rule IN ('closed_case', 'interview_notes',
                                                    'arrived_case', 'request')),
    reason     TEXT        NOT NULL CHECK (length(trim(reason)) > 0),
    erased_by  TEXT        NOT NULL,
    erased_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX erasures_case ON erasures (case_id, scope);
CREATE FUNCTION erasures_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'erasures are recorded once'; END;
$$;
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
    FOR EACH ROW EXECUTE FUNCTION erasures_no_update();
CREATE FUNCTION erasures_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'erasures are recorded once'; END;
$$;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
    FOR EACH ROW EXECUTE FUNCTION erasures_no_delete();

CREATE FUNCTION resettle_case_erased(erased_case TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = erased_case AND e.scope = 'case')
$$;

CREATE OR REPLACE FUNCTION decisions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reasons = '—' AND NEW.id IS NOT DISTINCT FROM OLD.id
       AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.verdict IS NOT DISTINCT FROM OLD.verdict
       AND NEW.decided_by IS NOT DISTINCT FROM OLD.decided_by
       AND NEW.decided_at IS NOT DISTINCT FROM OLD.decided_at
       AND resettle_case_erased(OLD.case_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'decisions are never changed: record a new decision';
END;
$$;

CREATE OR REPLACE FUNCTION case_transitions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reason = '—' AND NEW.seq IS NOT DISTINCT FROM OLD.seq
       AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.from_status IS NOT DISTINCT FROM OLD.from_status
       AND NEW.to_status IS NOT DISTINCT FROM OLD.to_status
       AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.actor IS NOT DISTINCT FROM OLD.actor
       AND resettle_case_erased(OLD.case_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the status history is never changed';
END;
$$;

CREATE OR REPLACE FUNCTION screening_flags_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.note = '—' AND NEW.id IS NOT DISTINCT FROM OLD.id
       AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.ground IS NOT DISTINCT FROM OLD.ground
       AND NEW.resolution IS NOT DISTINCT FROM OLD.resolution
       AND NEW.decided_by IS NOT DISTINCT FROM OLD.decided_by
       AND NEW.decided_at IS NOT DISTINCT FROM OLD.decided_at
       AND (NEW.decision_reason IS NULL) = (OLD.decision_reason IS NULL)
       AND (NEW.decision_reason IS NULL OR NEW.decision_reason = '—')
       AND resettle_case_erased(OLD.case_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a screening flag is decided once and its facts are never changed';
END;
$$;

CREATE OR REPLACE FUNCTION checkin_conflicts_resolved_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.office = '—' AND NEW.laptop = '—' AND NEW.id IS NOT DISTINCT FROM OLD.id
       AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.kind IS NOT DISTINCT FROM OLD.kind
       AND NEW.subject IS NOT DISTINCT FROM OLD.subject
       AND NEW.resolution IS NOT DISTINCT FROM OLD.resolution
       AND NEW.resolved_by IS NOT DISTINCT FROM OLD.resolved_by
       AND NEW.resolved_at IS NOT DISTINCT FROM OLD.resolved_at
       AND resettle_case_erased(OLD.case_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a check-in conflict is resolved once and its sides never change';
END;
$$;

CREATE OR REPLACE FUNCTION scores_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.rubric_version IS NOT DISTINCT FROM OLD.rubric_version
       AND NEW.scored_at IS NOT DISTINCT FROM OLD.scored_at
       AND NEW.scored_by IS NOT DISTINCT FROM OLD.scored_by
       AND NEW.assessment IS NOT DISTINCT FROM OLD.assessment
       AND NEW.total IS NOT DISTINCT FROM OLD.total AND NEW.max IS NOT DISTINCT FROM OLD.max
       AND resettle_case_erased(OLD.case_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'scores are never changed: score again';
END;
$$;

CREATE OR REPLACE FUNCTION placement_transitions_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.note = '—' AND NEW.seq IS NOT DISTINCT FROM OLD.seq
       AND NEW.placement_id IS NOT DISTINCT FROM OLD.placement_id
       AND NEW.from_status IS NOT DISTINCT FROM OLD.from_status
       AND NEW.to_status IS NOT DISTINCT FROM OLD.to_status
       AND NEW.municipality IS NOT DISTINCT FROM OLD.municipality
       AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.actor IS NOT DISTINCT FROM OLD.actor
       AND resettle_case_erased((SELECT p.case_id FROM placements p WHERE p.id = OLD.placement_id)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'placement history is never changed';
END;
$$;
