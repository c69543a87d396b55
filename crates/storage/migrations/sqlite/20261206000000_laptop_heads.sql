-- The head of each laptop's audit chain as the office checked it in (ops/checkin.rs): a
-- later return from the same laptop database must carry a chain that still holds it, or
-- the laptop was restored from an older copy of itself. One row per check-in, recorded
-- once.
CREATE TABLE laptop_heads (
    laptop_database TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    head            TEXT    NOT NULL,
    bundle_id       TEXT    NOT NULL REFERENCES mission_bundles (id),
    at              TEXT    NOT NULL
);
CREATE INDEX laptop_heads_database ON laptop_heads (laptop_database, seq);
CREATE TRIGGER laptop_heads_no_update BEFORE UPDATE ON laptop_heads
BEGIN
    SELECT RAISE(ABORT, 'laptop heads are recorded once');
END;
CREATE TRIGGER laptop_heads_no_delete BEFORE DELETE ON laptop_heads
BEGIN
    SELECT RAISE(ABORT, 'laptop heads are recorded once');
END;
