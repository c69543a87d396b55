-- Users and their roles (src/domain/access.rs). A user is named by their operating
-- system login, which is what the ledger and the audit log already record as the actor.
-- Users are never deleted: a user who leaves is deactivated, so old records keep a name
-- that still means someone.
CREATE TABLE users (
    name       TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    export     INTEGER NOT NULL CHECK (export IN (0, 1)),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
    user TEXT NOT NULL REFERENCES users (name),
    role TEXT NOT NULL CHECK (role IN ('caseworker', 'quota_manager', 'administrator')),
    PRIMARY KEY (user, role)
);

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, 'users are deactivated, never deleted');
END;
