-- Selection: mission teams and cultural-orientation attendance, interviews, exclusion
-- screening, the versioned integration rubric and its scores, decisions, declarations,
-- every status change of a case, and the case search index. Scores, decisions,
-- transitions and rubric versions are never changed: a new one is recorded instead.

CREATE TABLE mission_team (
    id            TEXT PRIMARY KEY,
    mission_id    TEXT NOT NULL REFERENCES missions (id),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    organisation  TEXT NOT NULL CHECK (organisation IN ('immigration_service','refugee_council',
                                       'municipality','interpreter','other')),
    role          TEXT NOT NULL
);
CREATE INDEX mission_team_mission ON mission_team (mission_id);

-- The five-day orientation after a mission: 10 lessons on society, 10 Danish lessons.
CREATE TABLE orientation_attendance (
    person_id        TEXT    PRIMARY KEY REFERENCES persons (id),
    society_lessons  INTEGER NOT NULL CHECK (society_lessons BETWEEN 0 AND 10),
    danish_lessons   INTEGER NOT NULL CHECK (danish_lessons BETWEEN 0 AND 10),
    recorded_by      TEXT    NOT NULL,
    recorded_at      TEXT    NOT NULL
);

-- An interview (mission route) or examination (dossier route). The notes are sensitive
-- and never leave the agency; the assessments are the assessed rubric criteria, as a
-- JSON object of criterion key to level key.
CREATE TABLE interviews (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    held_on      TEXT NOT NULL,
    interviewer  TEXT NOT NULL CHECK (length(trim(interviewer)) > 0),
    notes        TEXT NOT NULL,
    assessments  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX interviews_case ON interviews (case_id);

CREATE TABLE screening_flags (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases (id),
    ground           TEXT NOT NULL CHECK (ground IN ('article_1f','security','serious_crime')),
    raised_by        TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    note             TEXT NOT NULL,
    resolution       TEXT CHECK (resolution IN ('cleared','excluded')),
    decided_by       TEXT,
    decision_reason  TEXT CHECK (decision_reason IS NULL OR length(trim(decision_reason)) > 0),
    decided_at       TEXT,
    CHECK ((resolution IS NULL) = (decided_by IS NULL)
       AND (resolution IS NULL) = (decision_reason IS NULL)
       AND (resolution IS NULL) = (decided_at IS NULL))
);
CREATE INDEX screening_flags_case ON screening_flags (case_id);
-- A flag is decided once: the only change allowed is filling in its decision.
CREATE TRIGGER screening_flags_decided_once BEFORE UPDATE ON screening_flags
WHEN OLD.resolution IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id
  OR NEW.ground IS NOT OLD.ground OR NEW.note IS NOT OLD.note
BEGIN
    SELECT RAISE(ABORT, 'a screening flag is decided once and its facts are never changed');
END;
CREATE TRIGGER screening_flags_no_delete BEFORE DELETE ON screening_flags
BEGIN
    SELECT RAISE(ABORT, 'screening flags are never deleted');
END;

CREATE TABLE rubric_versions (
    version     INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    body        TEXT NOT NULL
);

CREATE TABLE scores (
    id              TEXT    PRIMARY KEY,
    case_id         TEXT    NOT NULL REFERENCES cases (id),
    rubric_version  INTEGER NOT NULL REFERENCES rubric_versions (version),
    scored_at       TEXT    NOT NULL,
    scored_by       TEXT    NOT NULL,
    assessment      TEXT    NOT NULL CHECK (assessment IN ('supports','concerns','incomplete','not_applied')),
    total           INTEGER NOT NULL,
    max             INTEGER NOT NULL,
    card            TEXT    NOT NULL
);
CREATE INDEX scores_case ON scores (case_id);

CREATE TABLE decisions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('accept','reject','defer')),
    decided_by  TEXT NOT NULL CHECK (length(trim(decided_by)) > 0),
    reasons     TEXT NOT NULL CHECK (length(trim(reasons)) > 0),
    decided_at  TEXT NOT NULL
);
CREATE INDEX decisions_case ON decisions (case_id);

-- The members an acceptance accepted (a split decision names only some).
CREATE TABLE decision_members (
    decision_id  TEXT NOT NULL REFERENCES decisions (id),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (decision_id, person_id)
);

CREATE TABLE declarations (
    person_id    TEXT PRIMARY KEY REFERENCES persons (id),
    signed_on    TEXT NOT NULL,
    place        TEXT NOT NULL CHECK (length(trim(place)) > 0),
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

-- What a household released to the receiving municipality (a JSON array of items), in
-- which language; a withdrawal fills withdrawn_at and withdrawn_by once.
CREATE TABLE consents (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    released      TEXT NOT NULL,
    language      TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    withdrawn_at  TEXT,
    withdrawn_by  TEXT,
    CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
);
CREATE INDEX consents_case ON consents (case_id);
CREATE TRIGGER consents_withdrawn_once BEFORE UPDATE ON consents
WHEN OLD.withdrawn_at IS NOT NULL OR NEW.released IS NOT OLD.released
  OR NEW.language IS NOT OLD.language OR NEW.case_id IS NOT OLD.case_id
BEGIN
    SELECT RAISE(ABORT, 'a consent is withdrawn once and otherwise never changed');
END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
    SELECT RAISE(ABORT, 'consents are never deleted');
END;

CREATE TABLE case_transitions (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX case_transitions_case ON case_transitions (case_id);

CREATE TRIGGER rubric_versions_no_update BEFORE UPDATE ON rubric_versions
BEGIN SELECT RAISE(ABORT, 'a rubric version is never changed: save a new version'); END;
CREATE TRIGGER rubric_versions_no_delete BEFORE DELETE ON rubric_versions
BEGIN SELECT RAISE(ABORT, 'a rubric version is never changed: save a new version'); END;
CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores
BEGIN SELECT RAISE(ABORT, 'scores are never changed: score again'); END;
CREATE TRIGGER scores_no_delete BEFORE DELETE ON scores
BEGIN SELECT RAISE(ABORT, 'scores are never changed: score again'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new decision'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new decision'); END;
CREATE TRIGGER decision_members_no_update BEFORE UPDATE ON decision_members
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new decision'); END;
CREATE TRIGGER decision_members_no_delete BEFORE DELETE ON decision_members
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new decision'); END;
CREATE TRIGGER case_transitions_no_update BEFORE UPDATE ON case_transitions
BEGIN SELECT RAISE(ABORT, 'the status history is never changed'); END;
CREATE TRIGGER case_transitions_no_delete BEFORE DELETE ON case_transitions
BEGIN SELECT RAISE(ABORT, 'the status history is never changed'); END;

-- The Cases view's filters.
CREATE INDEX cases_status ON cases (status, submission_date);
CREATE INDEX cases_nationality ON cases (nationality, submission_date);
CREATE INDEX cases_priority ON cases (priority, submission_date);
CREATE INDEX cases_submitted ON cases (submission_date);

-- Words to find a case by: its numbers and its members' names, one row per case with the
-- case's rowid. Diacritics are folded, so "muller" finds "Müller". The store writes a
-- case's row when it writes the case.
CREATE VIRTUAL TABLE case_search USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO case_search (rowid, terms)
SELECT c.rowid,
       c.unhcr_case_no || ' ' || c.rrf_ref || ' ' ||
       (SELECT group_concat(p.given_name || ' ' || p.family_name, ' ')
        FROM persons p WHERE p.case_id = c.id)
FROM cases c;
