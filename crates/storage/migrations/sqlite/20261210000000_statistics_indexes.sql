-- A year's statistics (Store::statistics) read the cases that arrived or departed in the
-- year and each arrival's confirmed placement: by these indexes, a range of days per
-- status and one look-up per case, instead of every case of the status (on the bench's
-- 200,000 cases). Status first, so that no planner prefers an index on the status alone.
-- The same on both backends.
CREATE INDEX cases_arrived_on ON cases (status, arrived_on);
CREATE INDEX cases_departed_on ON cases (status, departed_on);
CREATE INDEX placements_case_status ON placements (case_id, status);
