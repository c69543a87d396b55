-- The day a case arrived, as the caseworker records it (`case arrive --date`): the
-- referral form and the municipality pack print it. Cases that arrived before this
-- column existed take the day their arrival was recorded.
ALTER TABLE cases ADD COLUMN arrived_on TEXT;
UPDATE cases SET arrived_on = (
    SELECT substr(t.at, 1, 10) FROM case_transitions t
    WHERE t.case_id = cases.id AND t.to_status = 'arrived'
    ORDER BY t.seq DESC LIMIT 1
) WHERE status = 'arrived';
