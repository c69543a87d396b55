-- Confidential member information: the PostgreSQL version of
-- sqlite/20261213000000_confidential.sql (see its description). What differs:
--
-- * users.confidential is BOOLEAN and confidential_notes.recorded_at TIMESTAMPTZ.
-- * No group but `<db>_confidential` reads or writes the table (postgres::privileges):
--   `ReadCases`, which reads every other table, leaves this one out.

ALTER TABLE users ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE confidential_notes (
    person_id   TEXT        PRIMARY KEY NOT NULL REFERENCES persons (id),
    case_id     TEXT        NOT NULL REFERENCES cases (id),
    note        TEXT        NOT NULL CHECK (length(trim(note)) > 0),
    recorded_by TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX confidential_notes_case ON confidential_notes (case_id);
