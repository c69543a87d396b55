-- PostgreSQL twin of migrations/sqlite/20261209000000_unsigned_declarations.sql (same
-- version and description): each household's oldest member who has not signed the
-- declaration, kept on the case by triggers, so that the Overview counts the households
-- with an adult still to sign from one index range. What differs: the column is a DATE,
-- and one function serves every trigger. SECURITY DEFINER, as the audit stamp: a login
-- that may insert members (a caseworker's import) or declarations keeps the case's column
-- without a grant to update cases.
ALTER TABLE cases ADD COLUMN unsigned_oldest_born DATE;

UPDATE cases SET unsigned_oldest_born = (
    SELECT MIN(p.date_of_birth) FROM persons p
    WHERE p.case_id = cases.id
      AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.person_id = p.id));

CREATE FUNCTION cases_refresh_unsigned(which TEXT) RETURNS VOID
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    UPDATE cases SET unsigned_oldest_born = (
        SELECT MIN(p.date_of_birth) FROM persons p
        WHERE p.case_id = cases.id
          AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.person_id = p.id))
    WHERE id = which;
$$;
REVOKE ALL ON FUNCTION cases_refresh_unsigned(TEXT) FROM PUBLIC;

CREATE FUNCTION persons_unsigned() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cases_refresh_unsigned(NEW.case_id);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cases_refresh_unsigned(OLD.case_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER persons_unsigned AFTER INSERT OR DELETE OR UPDATE OF date_of_birth, case_id
    ON persons FOR EACH ROW EXECUTE FUNCTION persons_unsigned();

CREATE FUNCTION declarations_unsigned() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM cases_refresh_unsigned(
        (SELECT case_id FROM persons WHERE id = CASE TG_OP WHEN 'DELETE' THEN OLD.person_id
                                                          ELSE NEW.person_id END));
    RETURN NULL;
END;
$$;
CREATE TRIGGER declarations_unsigned AFTER INSERT OR DELETE ON declarations
    FOR EACH ROW EXECUTE FUNCTION declarations_unsigned();

CREATE INDEX cases_unsigned ON cases (status, unsigned_oldest_born);
