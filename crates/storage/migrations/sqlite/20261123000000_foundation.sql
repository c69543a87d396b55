-- The foundation schema: municipalities, quota periods, missions, cases and their members,
-- and the append-only audit log. Identifiers are UUIDs in text form so that records made
-- offline on a field laptop never collide with the office's.

CREATE TABLE municipalities (
    code         INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    region_code  INTEGER NOT NULL,
    region_name  TEXT    NOT NULL
);

CREATE TABLE quota_periods (
    id            TEXT    PRIMARY KEY,
    start_year    INTEGER NOT NULL UNIQUE,
    years         INTEGER NOT NULL CHECK (years BETWEEN 1 AND 3),
    total_places  INTEGER NOT NULL CHECK (total_places >= 0),
    carry_over    INTEGER NOT NULL CHECK (carry_over IN (0, 1)),
    annual_cap    INTEGER NOT NULL CHECK (annual_cap >= 0)
);

CREATE TABLE missions (
    id                 TEXT    PRIMARY KEY,
    name               TEXT    NOT NULL,
    country_of_asylum  TEXT    NOT NULL CHECK (length(country_of_asylum) = 3),
    location           TEXT    NOT NULL,
    start_date         TEXT    NOT NULL,
    end_date           TEXT    NOT NULL,
    target_places      INTEGER NOT NULL CHECK (target_places >= 0),
    strategic          INTEGER NOT NULL DEFAULT 0 CHECK (strategic IN (0, 1)),
    CHECK (end_date >= start_date)
);

CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    unhcr_case_no       TEXT NOT NULL UNIQUE,
    rrf_ref             TEXT NOT NULL,
    country_of_asylum   TEXT NOT NULL CHECK (length(country_of_asylum) = 3),
    nationality         TEXT NOT NULL CHECK (length(nationality) = 3),
    primary_category    TEXT NOT NULL CHECK (primary_category IN ('LPN','SVT','MED','AWR','FAM','CHL','LAS')),
    secondary_category  TEXT          CHECK (secondary_category IN ('LPN','SVT','MED','AWR','FAM','CHL','LAS')),
    priority            TEXT NOT NULL CHECK (priority IN ('emergency','urgent','normal')),
    route               TEXT NOT NULL CHECK (route IN ('mission','dossier')),
    submission_date     TEXT NOT NULL,
    mission_id          TEXT REFERENCES missions (id),
    status              TEXT NOT NULL CHECK (status IN ('submitted','interviewed','examined','accepted',
                             'rejected','deferred','pending_departure','departed','arrived','withdrawn'))
);
CREATE INDEX cases_mission ON cases (mission_id);

CREATE TABLE persons (
    id               TEXT    PRIMARY KEY,
    case_id          TEXT    NOT NULL REFERENCES cases (id),
    position         INTEGER NOT NULL,
    relationship     TEXT    NOT NULL CHECK (relationship IN ('principal','spouse','child','parent','sibling','other')),
    given_name       TEXT    NOT NULL,
    family_name      TEXT    NOT NULL,
    sex              TEXT    NOT NULL CHECK (sex IN ('F','M','X')),
    date_of_birth    TEXT    NOT NULL,
    languages        TEXT    NOT NULL,
    literate         INTEGER NOT NULL CHECK (literate IN (0, 1)),
    education_years  INTEGER NOT NULL CHECK (education_years BETWEEN 0 AND 30),
    occupation       TEXT,
    special_needs    TEXT,
    tom_patient      INTEGER NOT NULL DEFAULT 0 CHECK (tom_patient IN (0, 1)),
    UNIQUE (case_id, position)
);

-- Append-only: the triggers refuse any change to a recorded entry. The hash chain over
-- the entries arrives with the roles and audit work.
CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
