-- The quota ledger. Entries are never changed: every balance is a sum over them (see
-- src/domain/quota/ledger.rs), and a correction is a new entry.

-- A decision that lets a year go above the annual cap.
CREATE TABLE exceptional_situations (
    id          TEXT    PRIMARY KEY,
    period_id   TEXT    NOT NULL REFERENCES quota_periods (id),
    year        INTEGER NOT NULL,
    reason      TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by  TEXT    NOT NULL,
    at          TEXT    NOT NULL
);

CREATE TABLE quota_entries (
    id              TEXT    PRIMARY KEY,
    period_id       TEXT    NOT NULL REFERENCES quota_periods (id),
    -- The order of entries within a period, from 1.
    seq             INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('allocation','reallocation','commitment',
                                 'release','arrival','carry_over','lapse','year_closed')),
    year            INTEGER NOT NULL,
    sub_quota       TEXT             CHECK (sub_quota IN ('geographical','emergency_urgent','medical')),
    to_year         INTEGER,
    to_sub_quota    TEXT             CHECK (to_sub_quota IN ('geographical','emergency_urgent','medical')),
    -- Signed only for allocations (a lowered allocation); a count of persons otherwise.
    places          INTEGER NOT NULL CHECK (kind = 'allocation' OR places >= 0),
    case_id         TEXT    REFERENCES cases (id),
    exceptional_id  TEXT    REFERENCES exceptional_situations (id),
    author          TEXT    NOT NULL,
    at              TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
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

CREATE TRIGGER quota_entries_no_update BEFORE UPDATE ON quota_entries
BEGIN
    SELECT RAISE(ABORT, 'quota entries are never changed: record a new entry');
END;
CREATE TRIGGER quota_entries_no_delete BEFORE DELETE ON quota_entries
BEGIN
    SELECT RAISE(ABORT, 'quota entries are never changed: record a new entry');
END;

-- The day a case departed, against which its priority deadline is judged.
ALTER TABLE cases ADD COLUMN departed_on TEXT;
