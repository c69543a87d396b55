-- A field laptop erases its copy of a mission once the office has checked the return in
-- (`resettle mission release`): its erasures are recorded under a fifth rule,
-- `checked_in`. The office's server never erases under it, but the schema is the same
-- on both backends.

ALTER TABLE erasures DROP CONSTRAINT erasures_rule_check;
ALTER TABLE erasures ADD CONSTRAINT erasures_rule_check
    CHECK (rule IN ('closed_case', 'interview_notes', 'arrived_case', 'request', 'checked_in'));
