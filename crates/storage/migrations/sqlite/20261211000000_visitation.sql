-- The visitation's inputs and the learned match score (issue 22): a household's job offer,
-- its own ranked wishes (a column of placement_profiles), the municipalities' wishes for
-- the year, the outcome history of past arrivals, the learned models as versions, and on
-- each proposal the model that scored it and what the forecast said of the rest of the
-- year.

-- A household's job offer. A qualifying offer (permanent, at least 15 hours a week)
-- places the household in its municipality unless a quota manager overrode it with a
-- recorded reason (`override_reason`); the offer's document is referred to, not held.
CREATE TABLE job_offers (
    case_id          TEXT    PRIMARY KEY REFERENCES cases (id),
    municipality     INTEGER NOT NULL REFERENCES municipalities (code),
    hours_per_week   REAL    NOT NULL CHECK (hours_per_week > 0 AND hours_per_week <= 80),
    permanent        INTEGER NOT NULL CHECK (permanent IN (0, 1)),
    document         TEXT    NOT NULL CHECK (length(trim(document)) > 0),
    override_reason  TEXT    CHECK (override_reason IS NULL OR length(trim(override_reason)) > 0),
    overridden_by    TEXT,
    recorded_by      TEXT    NOT NULL,
    recorded_at      TEXT    NOT NULL
);

-- The household's own wishes, first wish first, as a JSON array of
-- {"municipality"|"region", "reason"}.
ALTER TABLE placement_profiles ADD COLUMN wishes TEXT NOT NULL DEFAULT '[]';

-- What a municipality asked for in its visitation form for a year (JSON arrays of tags).
CREATE TABLE municipality_wishes (
    year             INTEGER NOT NULL,
    code             INTEGER NOT NULL REFERENCES municipalities (code),
    household_types  TEXT    NOT NULL,
    languages        TEXT    NOT NULL,
    services         TEXT    NOT NULL,
    PRIMARY KEY (year, code)
);

-- Each imported outcome history (docs/outcome-history-format.md), whole, as the file
-- was: the newest is the one forecasts and training read. Past arrivals by reference, no
-- names.
CREATE TABLE outcome_histories (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name    TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    rows         INTEGER NOT NULL CHECK (rows > 0),
    first_year   INTEGER NOT NULL,
    last_year    INTEGER NOT NULL,
    imported_by  TEXT    NOT NULL,
    imported_at  TEXT    NOT NULL
);

-- Learned models, versioned like the rubric: a version is never changed; the one in use
-- is the setting `placement.model` (none until a quota manager chooses one).
CREATE TABLE placement_models (
    version     INTEGER PRIMARY KEY,
    body        TEXT    NOT NULL,
    history     INTEGER NOT NULL REFERENCES outcome_histories (seq),
    trained_by  TEXT    NOT NULL,
    trained_at  TEXT    NOT NULL
);
CREATE TRIGGER placement_models_no_update BEFORE UPDATE ON placement_models
BEGIN SELECT RAISE(ABORT, 'a model version is never changed: train a new version'); END;
CREATE TRIGGER placement_models_no_delete BEFORE DELETE ON placement_models
BEGIN SELECT RAISE(ABORT, 'a model version is never changed: train a new version'); END;

-- The model that scored a proposal (none: the feature model's weights), and the forecast
-- of the rest of the year it was solved with (JSON; none: myopic).
ALTER TABLE placements ADD COLUMN model_version INTEGER REFERENCES placement_models (version);
ALTER TABLE placements ADD COLUMN forecast TEXT;
