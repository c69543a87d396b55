-- PostgreSQL twin of migrations/sqlite/20261204000000_server_identity.sql (same version and
-- description). What differs: everything. SQLite has no logins, so its twin changes
-- nothing; here the server, not the client, says who wrote each audit entry and when.
--
-- Every audit entry is completed by this trigger, whatever the client sent: the next
-- sequence number, the server's clock (UTC, milliseconds, as the store writes it), the
-- actor `session_user` (the authenticated login: SET ROLE does not change it), the link to
-- the entry before and the entry's hash, in the encoding of src/domain/audit.rs (each
-- field's UTF-8 length as 8 big-endian bytes, then the field, under the version tag), so
-- `resettle audit verify` checks the server's entries as it checks a file's.
--
-- SECURITY DEFINER: the function runs as the owner, so it reads and numbers the log for a
-- login that may only INSERT into it, and it keeps audit_issued (which no login may
-- write) through the AFTER trigger it fires.
--
-- A superuser can disable triggers and become any login, so nothing here binds it: for a
-- superuser's insert, a given actor is kept, and a row that arrives with its hash is left
-- as it is (the chain's tests forge entries that way, and `audit verify` must see them).
--
-- Recording an export (`document.<kind>.exported`) needs the database's export group
-- (postgres/privileges.rs): the app writes no document whose export was not recorded.
CREATE FUNCTION audit_log_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    super      BOOLEAN;
    owner      BOOLEAN;
    export_grp TEXT := current_database() || '_export';
    last_seq   BIGINT;
    last_hash  TEXT;
    seq_text   TEXT;
    buf        BYTEA := '';
    field      TEXT;
BEGIN
    SELECT r.rolsuper, d.datdba = r.oid INTO super, owner
    FROM pg_roles r, pg_database d
    WHERE r.rolname = session_user AND d.datname = current_database();
    IF super AND NEW.hash IS NOT NULL THEN
        RETURN NEW;
    END IF;
    IF NOT super THEN
        NEW.actor := session_user;
    END IF;
    IF NEW.action LIKE 'document.%.exported' AND NOT super AND NOT owner
       AND NOT (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = export_grp)
                AND pg_has_role(session_user, export_grp, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied: % may not export documents (no export grant)', session_user
            USING ERRCODE = '42501';
    END IF;
    NEW.at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
    SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT i.seq INTO last_seq FROM audit_issued i;
        last_hash := '0000000000000000000000000000000000000000000000000000000000000000';
    ELSIF last_hash IS NULL THEN
        RAISE EXCEPTION 'audit entry % is not sealed into the chain', last_seq;
    END IF;
    NEW.seq := last_seq + 1;
    NEW.prev_hash := last_hash;
    seq_text := NEW.seq::TEXT;
    FOREACH field IN ARRAY ARRAY['resettle-audit-v1', seq_text, NEW.at, NEW.actor, NEW.action,
                                 NEW.subject, last_hash] LOOP
        buf := buf || int8send(octet_length(field)::BIGINT) || convert_to(field, 'UTF8');
    END LOOP;
    NEW.hash := encode(sha256(buf), 'hex');
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_stamp();

-- audit_issued is raised by the owner's function, never by the login inserting.
ALTER FUNCTION audit_log_issued() SECURITY DEFINER;
ALTER FUNCTION audit_log_issued() SET search_path = pg_catalog, public;
