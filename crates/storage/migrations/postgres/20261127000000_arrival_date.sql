-- PostgreSQL twin of migrations/sqlite/20261127000000_arrival_date.sql (same version and
-- description). What differs:
--
-- * cases.arrived_on is DATE (the store binds and reads chrono::NaiveDate).
-- * The day of the arrival's transition: SQLite takes the first 10 characters of the
--   stored text (the UTC date, as sqlx writes a DateTime<Utc>); here case_transitions.at
--   is TIMESTAMPTZ, so the same day is (at AT TIME ZONE 'UTC')::date.

-- The day a case arrived, as the caseworker records it (`case arrive --date`): the
-- referral form and the municipality pack print it. Cases that arrived before this
-- column existed take the day their arrival was recorded.
ALTER TABLE cases ADD COLUMN arrived_on DATE;
UPDATE cases SET arrived_on = (
    SELECT (t.at AT TIME ZONE 'UTC')::date FROM case_transitions t
    WHERE t.case_id = cases.id AND t.to_status = 'arrived'
    ORDER BY t.seq DESC LIMIT 1
) WHERE status = 'arrived';
