-- PostgreSQL twin of migrations/sqlite/20261202000000_mission_bundles.sql (same version
-- and description). What differs:
--
-- * mission_bundles.households is BIGINT (bound as i64).
-- * The triggers are PL/pgSQL trigger functions named after them, same messages.
--
-- Not obvious, and why: mission_bundles.at stays TEXT. The store binds a String
-- (Utc::now().to_rfc3339()) and reads it back as a String (the check-out's time, which
-- the check-in compares with the TIMESTAMPTZ columns case_transitions.at,
-- consents.recorded_at/withdrawn_at and decisions.decided_at; on PostgreSQL that
-- comparison needs a cast of the text, `$2::timestamptz`, where SQLite uses julianday).

-- Mission bundles sent and received (src/bundle.rs). The bundle itself is never stored:
-- its ID, its kind, which way it went, the other side's public key, and the SHA-256 of
-- the encrypted file. A bundle ID is recorded once, which makes receiving the same bundle
-- again change nothing.
CREATE TABLE mission_bundles (
    id          TEXT   PRIMARY KEY NOT NULL,
    kind        TEXT   NOT NULL CHECK (kind IN ('checkout', 'return')),
    direction   TEXT   NOT NULL CHECK (direction IN ('sent', 'received')),
    mission_id  TEXT   NOT NULL REFERENCES missions (id),
    peer        TEXT   NOT NULL,
    households  BIGINT NOT NULL,
    sha256      TEXT   NOT NULL,
    at          TEXT   NOT NULL,
    actor       TEXT   NOT NULL
);

-- For each household the office checked out: its state at that moment, as a hash, so
-- that a check-in can tell what the office changed since.
CREATE TABLE checkout_households (
    bundle_id   TEXT NOT NULL REFERENCES mission_bundles (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (bundle_id, case_id)
);

CREATE FUNCTION mission_bundles_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'mission bundles are recorded once';
END;
$$;
CREATE TRIGGER mission_bundles_no_update BEFORE UPDATE ON mission_bundles
    FOR EACH ROW EXECUTE FUNCTION mission_bundles_no_update();
CREATE FUNCTION mission_bundles_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'mission bundles are recorded once';
END;
$$;
CREATE TRIGGER mission_bundles_no_delete BEFORE DELETE ON mission_bundles
    FOR EACH ROW EXECUTE FUNCTION mission_bundles_no_delete();
