-- The server's identity (migrations/postgres/20261204000000_server_identity.sql): on the
-- office's server the audit log's trigger stamps each entry with the authenticated login
-- and the server's clock. A file has no logins, so nothing changes here; the version
-- exists so that both backends' migrations stay file for file.
SELECT 1;
