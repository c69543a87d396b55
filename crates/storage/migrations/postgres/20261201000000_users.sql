-- PostgreSQL twin of migrations/sqlite/20261201000000_users.sql (same version and
-- description). What differs:
--
-- * users.export and users.active are BOOLEAN (bound and read as bool); their
--   `IN (0, 1)` checks go.
-- * The trigger is a PL/pgSQL trigger function named after it, same message.
--
-- Not obvious, and why:
-- * user_roles."user" is quoted: USER is a reserved word in PostgreSQL. Unquoted, `user`
--   in a query is CURRENT_USER (the database login), so the store's SQL must write the
--   column as "user" (SQLite reads a double-quoted name as the same column), e.g.
--   `INSERT INTO user_roles ("user", role)`, `WHERE "user" = $1`, `r."user" = u.name`.
-- * users.created_at stays TEXT: the store binds a String (Utc::now().to_rfc3339()) and
--   never reads it back.

-- Users and their roles (src/domain/access.rs). A user is named by their operating
-- system login, which is what the ledger and the audit log already record as the actor.
-- Users are never deleted: a user who leaves is deactivated, so old records keep a name
-- that still means someone.
CREATE TABLE users (
    name       TEXT    PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    export     BOOLEAN NOT NULL,
    active     BOOLEAN NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE user_roles (
    "user" TEXT NOT NULL REFERENCES users (name),
    role   TEXT NOT NULL CHECK (role IN ('caseworker', 'quota_manager', 'administrator')),
    PRIMARY KEY ("user", role)
);

CREATE FUNCTION users_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'users are deactivated, never deleted';
END;
$$;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_no_delete();
