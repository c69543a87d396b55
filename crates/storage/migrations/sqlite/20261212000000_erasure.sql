-- Erasure (domain::retention): a case's personal data replaced by a tombstone.
--
-- * `erasures` records each erasure: the case, how much (the whole case or its interview
--   notes), the rule that asked for it, the reason and who did it. It is never changed
--   or deleted, and it is what lets the append-only tables below change at all.
-- * The append-only tables that hold free text (decisions, the status history,
--   screening flags, check-in conflicts, the placement history) stay append-only, with
--   one exception: once the whole case is in `erasures`, their text may become the
--   tombstone '—' (domain::retention::ERASED) and nothing else may change.
-- * Every connection deletes securely (sqlite::connect_options), and the store vacuums
--   and checkpoints after an erasure, so the erased bytes leave the file.

CREATE TABLE erasures (
    id         TEXT PRIMARY KEY NOT NULL,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    scope      TEXT NOT NULL CHECK (scope IN ('case', 'interview_notes')),
    rule       TEXT NOT NULL CHECK (rule IN ('closed_case', 'interview_notes', 'arrived_case',
                                             'request')),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    erased_by  TEXT NOT NULL,
    erased_at  TEXT NOT NULL
);
CREATE INDEX erasures_case ON erasures (case_id, scope);
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are recorded once'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures are recorded once'); END;

DROP TRIGGER decisions_no_update;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
WHEN NOT (NEW.reasons = '—' AND NEW.id IS OLD.id AND NEW.case_id IS OLD.case_id
          AND NEW.verdict IS OLD.verdict AND NEW.decided_by IS OLD.decided_by
          AND NEW.decided_at IS OLD.decided_at
          AND EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = OLD.case_id AND e.scope = 'case'))
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new decision'); END;

DROP TRIGGER case_transitions_no_update;
CREATE TRIGGER case_transitions_no_update BEFORE UPDATE ON case_transitions
WHEN NOT (NEW.reason = '—' AND NEW.seq IS OLD.seq AND NEW.case_id IS OLD.case_id
          AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status
          AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor
          AND EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = OLD.case_id AND e.scope = 'case'))
BEGIN SELECT RAISE(ABORT, 'the status history is never changed'); END;

DROP TRIGGER screening_flags_decided_once;
CREATE TRIGGER screening_flags_decided_once BEFORE UPDATE ON screening_flags
WHEN (OLD.resolution IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id
      OR NEW.ground IS NOT OLD.ground OR NEW.note IS NOT OLD.note)
 AND NOT (NEW.note = '—' AND NEW.id IS OLD.id AND NEW.case_id IS OLD.case_id
          AND NEW.ground IS OLD.ground AND NEW.resolution IS OLD.resolution
          AND NEW.decided_by IS OLD.decided_by AND NEW.decided_at IS OLD.decided_at
          AND (NEW.decision_reason IS NULL) = (OLD.decision_reason IS NULL)
          AND (NEW.decision_reason IS NULL OR NEW.decision_reason = '—')
          AND EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = OLD.case_id AND e.scope = 'case'))
BEGIN
    SELECT RAISE(ABORT, 'a screening flag is decided once and its facts are never changed');
END;

DROP TRIGGER checkin_conflicts_resolved_once;
CREATE TRIGGER checkin_conflicts_resolved_once BEFORE UPDATE ON checkin_conflicts
WHEN (OLD.resolution IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id
      OR NEW.kind IS NOT OLD.kind OR NEW.subject IS NOT OLD.subject
      OR NEW.office IS NOT OLD.office OR NEW.laptop IS NOT OLD.laptop)
 AND NOT (NEW.office = '—' AND NEW.laptop = '—' AND NEW.id IS OLD.id
          AND NEW.case_id IS OLD.case_id AND NEW.kind IS OLD.kind
          AND NEW.subject IS OLD.subject AND NEW.resolution IS OLD.resolution
          AND NEW.resolved_by IS OLD.resolved_by AND NEW.resolved_at IS OLD.resolved_at
          AND EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = OLD.case_id AND e.scope = 'case'))
BEGIN
    SELECT RAISE(ABORT, 'a check-in conflict is resolved once and its sides never change');
END;

-- A score card keeps its levels and points; its explanations quote the household.
DROP TRIGGER scores_no_update;
CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores
WHEN NOT (NEW.id IS OLD.id AND NEW.case_id IS OLD.case_id
          AND NEW.rubric_version IS OLD.rubric_version AND NEW.scored_at IS OLD.scored_at
          AND NEW.scored_by IS OLD.scored_by AND NEW.assessment IS OLD.assessment
          AND NEW.total IS OLD.total AND NEW.max IS OLD.max
          AND EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = OLD.case_id AND e.scope = 'case'))
BEGIN SELECT RAISE(ABORT, 'scores are never changed: score again'); END;

DROP TRIGGER placement_transitions_no_update;
CREATE TRIGGER placement_transitions_no_update BEFORE UPDATE ON placement_transitions
WHEN NOT (NEW.note = '—' AND NEW.seq IS OLD.seq AND NEW.placement_id IS OLD.placement_id
          AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status
          AND NEW.municipality IS OLD.municipality AND NEW.at IS OLD.at
          AND NEW.actor IS OLD.actor
          AND EXISTS (SELECT 1 FROM erasures e JOIN placements p ON p.case_id = e.case_id
                      WHERE p.id = OLD.placement_id AND e.scope = 'case'))
BEGIN SELECT RAISE(ABORT, 'placement history is never changed'); END;
