-- Database users of the phone Lambdas on the PostgreSQL case store (docs/PHONE.md "Database users").
-- Run as the owner of the case store's tables (the user the console and the workers use), after
-- the schema exists (the console, a worker or any privacy-desk command has opened the store), and
-- again after each upgrade (new tables). Idempotent. Set each user's password afterwards
-- (ALTER ROLE ... PASSWORD '...') or use RDS IAM authentication, and put its URL in the secret the
-- template names (CaseDatabaseReadOnlyUrlSecretArn, CaseDatabaseOptOutUrlSecretArn).
--
-- privacy_desk_lookup (crm-lookup): SELECT only, every session read-only. The Lambda opens the
--   store read-only (PRIVACY_DESK_DATABASE_READ_ONLY=true): its start-up writes nothing and it
--   runs no step.
-- privacy_desk_opt_out (opt-out): reads, inserts and updates what recording and applying an
--   opt-out writes; DELETE only on a case's lease and on the working rows a step replaces
--   (discovery, review, planned changes, check); never on cases, identities, messages, the
--   ledger or the data map; no
--   TRUNCATE, no DDL (it owns nothing), no UPDATE of the audit log, the key records or the
--   schema version.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'privacy_desk_lookup') THEN
    CREATE ROLE privacy_desk_lookup LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'privacy_desk_opt_out') THEN
    CREATE ROLE privacy_desk_opt_out LOGIN;
  END IF;
END
$$;

ALTER ROLE privacy_desk_lookup SET default_transaction_read_only = on;
GRANT USAGE ON SCHEMA public TO privacy_desk_lookup, privacy_desk_opt_out;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO privacy_desk_lookup;

GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO privacy_desk_opt_out;
REVOKE UPDATE ON audit_log, store_keys, schema_migrations FROM privacy_desk_opt_out;
REVOKE INSERT ON store_keys, schema_migrations FROM privacy_desk_opt_out;
-- A case's working rows that a step replaces (its discovery, review, planned changes, check) and its lease.
GRANT DELETE ON case_leases, datamap_discoveries, datamap_review, datamap_changes, datamap_checks TO privacy_desk_opt_out;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO privacy_desk_opt_out;
