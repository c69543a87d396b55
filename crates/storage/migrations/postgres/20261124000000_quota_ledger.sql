-- PostgreSQL twin of migrations/sqlite/20261124000000_quota_ledger.sql (same version and
-- description). What differs:
--
-- * Integers are BIGINT (the store binds and reads i64); identifiers stay TEXT.
-- * exceptional_situations.at and quota_entries.at are TIMESTAMPTZ (bound and read as
--   chrono::DateTime<Utc>).
-- * cases.departed_on is DATE (bound and read as chrono::NaiveDate).
-- * The triggers are PL/pgSQL trigger functions named after them, same messages.
--
-- Not obvious: quota_entries.seq (the order within a period) is a plain BIGINT, as in
-- SQLite: the store numbers the entries itself (MAX(seq) + 1 within the period).

-- The quota ledger. Entries are never changed: every balance is a sum over them (see
-- src/domain/quota/ledger.rs), and a correction is a new entry.

-- A decision that lets a year go above the annual cap.
CREATE TABLE exceptional_situations (
    id          TEXT        PRIMARY KEY,
    period_id   TEXT        NOT NULL REFERENCES quota_periods (id),
    year        BIGINT      NOT NULL,
    reason      TEXT        NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by  TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE quota_entries (
    id              TEXT        PRIMARY KEY,
    period_id       TEXT        NOT NULL REFERENCES quota_periods (id),
    -- The order of entries within a period, from 1.
    seq             BIGINT      NOT NULL,
    kind            TEXT        NOT NULL CHECK (kind IN ('allocation','reallocation','commitment',
                                     'release','arrival','carry_over','lapse','year_closed')),
    year            BIGINT      NOT NULL,
    sub_quota       TEXT                 CHECK (sub_quota IN ('geographical','emergency_urgent','medical')),
    to_year         BIGINT,
    to_sub_quota    TEXT                 CHECK (to_sub_quota IN ('geographical','emergency_urgent','medical')),
    -- Signed only for allocations (a lowered allocation); a count of persons otherwise.
    places          BIGINT      NOT NULL CHECK (kind = 'allocation' OR places >= 0),
    case_id         TEXT        REFERENCES cases (id),
    exceptional_id  TEXT        REFERENCES exceptional_situations (id),
    author          TEXT        NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    reason          TEXT        NOT NULL,
    UNIQUE (period_id, seq),
    CHECK ((kind = 'year_closed') = (sub_quota IS NULL)),
    CHECK ((kind = 'reallocation') = (to_sub_quota IS NOT NULL)),
    CHECK ((kind = 'carry_over') = (to_year IS NOT NULL)),
    CHECK ((kind IN ('commitment','release','arrival')) = (case_id IS NOT NULL))
);
-- Covers the sums that `quota status` replays, so they are read from the index alone.
CREATE INDEX quota_entries_sums
    ON quota_entries (period_id, kind, year, sub_quota, to_year, to_sub_quota, places);
CREATE INDEX quota_entries_case ON quota_entries (case_id) WHERE case_id IS NOT NULL;

CREATE FUNCTION quota_entries_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'quota entries are never changed: record a new entry';
END;
$$;
CREATE TRIGGER quota_entries_no_update BEFORE UPDATE ON quota_entries
    FOR EACH ROW EXECUTE FUNCTION quota_entries_no_update();

CREATE FUNCTION quota_entries_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'quota entries are never changed: record a new entry';
END;
$$;
CREATE TRIGGER quota_entries_no_delete BEFORE DELETE ON quota_entries
    FOR EACH ROW EXECUTE FUNCTION quota_entries_no_delete();

-- The day a case departed, against which its priority deadline is judged.
ALTER TABLE cases ADD COLUMN departed_on DATE;
