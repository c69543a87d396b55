-- PostgreSQL twin of migrations/sqlite/20261123000000_foundation.sql: the same version and
-- description, so that sqlx's migrator applies the two sets in the same order and the
-- store runs the same SQL on either. The tables, columns, checks, keys and indexes are
-- SQLite's; what differs:
--
-- * Integers are BIGINT (the store binds and reads i64). Identifiers stay TEXT: the store
--   binds UUIDs as strings (`id.to_string()`).
-- * quota_periods.carry_over, missions.strategic, persons.literate, persons.tom_patient are
--   BOOLEAN (bound and read as bool); their `IN (0, 1)` checks go, `DEFAULT 0` is FALSE.
-- * missions.start_date, missions.end_date, cases.submission_date, persons.date_of_birth
--   are DATE (bound and read as chrono::NaiveDate).
-- * cases.rowid: SQLite's implicit rowid made explicit (BIGINT GENERATED ALWAYS AS
--   IDENTITY), because the search joins cases to case_search by it.
-- * SQLite's triggers are PL/pgSQL trigger functions, each named after its trigger, that
--   raise the same message on the same event.
--
-- Not obvious, and why:
-- * municipalities.code (SQLite `INTEGER PRIMARY KEY`, a rowid alias) is a plain BIGINT
--   PRIMARY KEY: the store always gives the municipality's own code.
-- * audit_log.seq (SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`) is a plain BIGINT PRIMARY
--   KEY, not an identity: the store inserts every seq itself. SQLite's AUTOINCREMENT also
--   keeps the highest seq ever issued in sqlite_sequence, which the store reads to tell
--   that the newest entries were deleted; here that is the one-row table audit_issued,
--   raised by an AFTER INSERT trigger to GREATEST(issued, NEW.seq) and never lowered (no
--   delete touches it). The store reads it with `SELECT seq FROM audit_issued`.
-- * audit_log.at stays TEXT: the store binds a String (to_rfc3339_opts, milliseconds, Z),
--   and the entry's hash covers exactly that text.

CREATE TABLE municipalities (
    code         BIGINT  PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    region_code  BIGINT  NOT NULL,
    region_name  TEXT    NOT NULL
);

CREATE TABLE quota_periods (
    id            TEXT    PRIMARY KEY,
    start_year    BIGINT  NOT NULL UNIQUE,
    years         BIGINT  NOT NULL CHECK (years BETWEEN 1 AND 3),
    total_places  BIGINT  NOT NULL CHECK (total_places >= 0),
    carry_over    BOOLEAN NOT NULL,
    annual_cap    BIGINT  NOT NULL CHECK (annual_cap >= 0)
);

CREATE TABLE missions (
    id                 TEXT    PRIMARY KEY,
    name               TEXT    NOT NULL,
    country_of_asylum  TEXT    NOT NULL CHECK (length(country_of_asylum) = 3),
    location           TEXT    NOT NULL,
    start_date         DATE    NOT NULL,
    end_date           DATE    NOT NULL,
    target_places      BIGINT  NOT NULL CHECK (target_places >= 0),
    strategic          BOOLEAN NOT NULL DEFAULT FALSE,
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
    submission_date     DATE NOT NULL,
    mission_id          TEXT REFERENCES missions (id),
    status              TEXT NOT NULL CHECK (status IN ('submitted','interviewed','examined','accepted',
                             'rejected','deferred','pending_departure','departed','arrived','withdrawn')),
    -- SQLite's implicit rowid: case_search's rows are keyed by it.
    rowid               BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX cases_mission ON cases (mission_id);

CREATE TABLE persons (
    id               TEXT    PRIMARY KEY,
    case_id          TEXT    NOT NULL REFERENCES cases (id),
    position         BIGINT  NOT NULL,
    relationship     TEXT    NOT NULL CHECK (relationship IN ('principal','spouse','child','parent','sibling','other')),
    given_name       TEXT    NOT NULL,
    family_name      TEXT    NOT NULL,
    sex              TEXT    NOT NULL CHECK (sex IN ('F','M','X')),
    date_of_birth    DATE    NOT NULL,
    languages        TEXT    NOT NULL,
    literate         BOOLEAN NOT NULL,
    education_years  BIGINT  NOT NULL CHECK (education_years BETWEEN 0 AND 30),
    occupation       TEXT,
    special_needs    TEXT,
    tom_patient      BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (case_id, position)
);

-- Append-only: the triggers refuse any change to a recorded entry. The hash chain over
-- the entries arrives with the roles and audit work.
CREATE TABLE audit_log (
    seq      BIGINT PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL
);

CREATE FUNCTION audit_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_no_update();

CREATE FUNCTION audit_log_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_no_delete();

-- The highest seq the audit log ever issued (SQLite's sqlite_sequence row for audit_log):
-- one row, 0 for a new log, raised by every insert and lowered by nothing.
CREATE TABLE audit_issued (
    id   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    seq  BIGINT  NOT NULL
);
INSERT INTO audit_issued (id, seq) VALUES (TRUE, 0);

CREATE FUNCTION audit_log_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_issued SET seq = GREATEST(seq, NEW.seq) WHERE id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_issued AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_issued();
