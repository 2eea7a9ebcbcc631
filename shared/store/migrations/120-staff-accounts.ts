// Staff accounts: users (role, scrypt password hash, OpenID Connect subject), sessions and
// one-time sign-in links (only a SHA-256 of each token is stored, so a copy of the database signs
// nobody in), and account settings (the four-eyes policy).
import type { Migration } from '../db';

export const migration120StaffAccounts: Migration = {
  version: 120,
  name: 'staff-accounts',
  async up(db) {
    await db.exec(`
      CREATE TABLE staff_users (
        name TEXT PRIMARY KEY,
        display_name TEXT,
        email TEXT,
        role TEXT NOT NULL,
        password_hash TEXT,
        password_set_at TEXT,
        oidc_issuer TEXT,
        oidc_subject TEXT,
        disabled_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX staff_users_oidc_idx ON staff_users (oidc_issuer, oidc_subject);
      CREATE INDEX staff_users_email_idx ON staff_users (email);
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES staff_users (name),
        kind TEXT NOT NULL,
        via TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_name);
      CREATE TABLE staff_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
