-- Municipality placement: the distribution key's inputs and the municipal quotas per
-- year, municipalities' capacities and profiles, households' placement notes, and the
-- placement proposals with their history.

-- One imported set of key inputs per year; `synthetic` marks invented demo figures.
CREATE TABLE key_input_sets (
    year         INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    synthetic    INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    imported_at  TEXT    NOT NULL,
    imported_by  TEXT    NOT NULL
);
CREATE TABLE key_inputs (
    year         INTEGER NOT NULL REFERENCES key_input_sets (year),
    code         INTEGER NOT NULL REFERENCES municipalities (code),
    population   INTEGER NOT NULL CHECK (population >= 0),
    non_western  INTEGER NOT NULL CHECK (non_western >= 0),
    reunified    INTEGER NOT NULL CHECK (reunified >= 0),
    PRIMARY KEY (year, code)
);

-- The quotas of a year: what the key computed and the quota in force (a hand edit
-- changes `quota`, and the edit is kept in municipal_quota_edits).
CREATE TABLE municipal_quotas (
    year      INTEGER NOT NULL,
    code      INTEGER NOT NULL REFERENCES municipalities (code),
    national  INTEGER NOT NULL CHECK (national >= 0),
    computed  INTEGER NOT NULL CHECK (computed >= 0),
    quota     INTEGER NOT NULL CHECK (quota >= 0),
    PRIMARY KEY (year, code)
);
CREATE TABLE municipal_quota_edits (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    year       INTEGER NOT NULL,
    code       INTEGER NOT NULL REFERENCES municipalities (code),
    from_quota INTEGER NOT NULL,
    to_quota   INTEGER NOT NULL CHECK (to_quota >= 0),
    reason     TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    edited_by  TEXT    NOT NULL CHECK (length(trim(edited_by)) > 0),
    edited_at  TEXT    NOT NULL
);
CREATE TRIGGER municipal_quota_edits_no_update BEFORE UPDATE ON municipal_quota_edits
BEGIN SELECT RAISE(ABORT, 'quota edits are never changed'); END;
CREATE TRIGGER municipal_quota_edits_no_delete BEFORE DELETE ON municipal_quota_edits
BEGIN SELECT RAISE(ABORT, 'quota edits are never deleted'); END;

-- Units of each capacity (wheelchair, specialist_care, housing, language_school, ...).
CREATE TABLE municipality_capacities (
    code      INTEGER NOT NULL REFERENCES municipalities (code),
    capacity  TEXT    NOT NULL CHECK (length(capacity) > 0),
    units     INTEGER NOT NULL CHECK (units >= 0),
    PRIMARY KEY (code, capacity)
);
-- Tags as JSON arrays of strings.
CREATE TABLE municipality_profiles (
    code           INTEGER PRIMARY KEY REFERENCES municipalities (code),
    labour_market  TEXT NOT NULL,
    services       TEXT NOT NULL,
    languages      TEXT NOT NULL
);

-- The caseworker's placement notes on a household (JSON arrays).
CREATE TABLE placement_profiles (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id),
    network     TEXT NOT NULL,
    needs       TEXT NOT NULL,
    services    TEXT NOT NULL,
    link_group  TEXT
);

-- A household's proposed municipality. At most one proposal per case is active (not
-- declined); a declined one stays as history.
CREATE TABLE placements (
    id               TEXT    PRIMARY KEY,
    case_id          TEXT    NOT NULL REFERENCES cases (id),
    year             INTEGER NOT NULL,
    municipality     INTEGER NOT NULL REFERENCES municipalities (code),
    persons          INTEGER NOT NULL CHECK (persons > 0),
    needs            TEXT    NOT NULL,
    link_group       TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('proposed','consulted','confirmed','declined')),
    score            REAL    NOT NULL,
    reasons          TEXT    NOT NULL,
    method           TEXT    NOT NULL CHECK (method IN ('optimal','greedy','hand')),
    batch            TEXT    NOT NULL,
    override_reason  TEXT,
    proposed_by      TEXT    NOT NULL,
    proposed_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX placements_one_active ON placements (case_id) WHERE status <> 'declined';
CREATE INDEX placements_year ON placements (year, municipality);

CREATE TABLE placement_transitions (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    placement_id  TEXT NOT NULL REFERENCES placements (id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    municipality  INTEGER NOT NULL,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    note          TEXT NOT NULL
);
CREATE TRIGGER placement_transitions_no_update BEFORE UPDATE ON placement_transitions
BEGIN SELECT RAISE(ABORT, 'placement history is never changed'); END;
CREATE TRIGGER placement_transitions_no_delete BEFORE DELETE ON placement_transitions
BEGIN SELECT RAISE(ABORT, 'placement history is never deleted'); END;

-- Settings of the office (e.g. the placement weights), as JSON values.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
