-- Confidential member information (the RRF's "information one member wants kept from the
-- others"): what a member told the mission to be kept from the rest of the household.
--
-- * `users.confidential` is the grant to read and record it, held apart from the roles
--   like `export` and given person by person (domain::access).
-- * `confidential_notes` holds it, one note per member, in a table of its own so that no
--   query written for the household (the dossier, the documents, a check-out, a return)
--   reads it by accident, and so that on the office server only the grant's group role
--   may read it at all (postgres::privileges).
-- * An erasure deletes a case's notes, with its interview notes (ops/privacy.rs).

ALTER TABLE users ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0
    CHECK (confidential IN (0, 1));

CREATE TABLE confidential_notes (
    person_id   TEXT PRIMARY KEY NOT NULL REFERENCES persons (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    note        TEXT NOT NULL CHECK (length(trim(note)) > 0),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX confidential_notes_case ON confidential_notes (case_id);
