// Staff users, sessions and one-time sign-in links, and account settings (staff_users,
// staff_sessions, staff_settings; migration 120). Tokens are stored as SHA-256 hex only.
import { createHash } from 'node:crypto';
import type { Db } from './db';
import type { Role } from '../domain/roles';

export interface StaffUser {
  name: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  passwordHash: string | null;
  passwordSetAt: string | null;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SessionKind = 'session' | 'link';
export interface StaffSession { userName: string; kind: SessionKind; via: string; createdAt: string; expiresAt: string; lastSeenAt: string }

interface UserRow {
  name: string; display_name: string | null; email: string | null; role: string; password_hash: string | null; password_set_at: string | null;
  oidc_issuer: string | null; oidc_subject: string | null; disabled_at: string | null; created_at: string; updated_at: string;
}
interface SessionRow { user_name: string; kind: string; via: string; created_at: string; expires_at: string; last_seen_at: string; revoked_at: string | null }

function userOf(r: UserRow): StaffUser {
  return {
    name: r.name, displayName: r.display_name, email: r.email, role: r.role as Role, passwordHash: r.password_hash,
    passwordSetAt: r.password_set_at, oidcIssuer: r.oidc_issuer, oidcSubject: r.oidc_subject, disabledAt: r.disabled_at,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class AccountsRepo {
  constructor(private readonly db: Db) {}

  async add(u: Omit<StaffUser, 'updatedAt'>): Promise<void> {
    await this.db.run(
      `INSERT INTO staff_users (name, display_name, email, role, password_hash, password_set_at, oidc_issuer, oidc_subject, disabled_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [u.name, u.displayName, u.email, u.role, u.passwordHash, u.passwordSetAt, u.oidcIssuer, u.oidcSubject, u.disabledAt, u.createdAt, u.createdAt],
    );
  }

  async get(name: string): Promise<StaffUser | null> {
    const r = await this.db.get<UserRow>('SELECT * FROM staff_users WHERE name = ?', [name]);
    return r ? userOf(r) : null;
  }

  async list(): Promise<StaffUser[]> {
    return (await this.db.all<UserRow>('SELECT * FROM staff_users ORDER BY name')).map(userOf);
  }

  async countActive(): Promise<number> {
    const r = await this.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM staff_users WHERE disabled_at IS NULL');
    return Number(r?.n ?? 0);
  }

  async byOidc(issuer: string, subject: string): Promise<StaffUser | null> {
    const r = await this.db.get<UserRow>('SELECT * FROM staff_users WHERE oidc_issuer = ? AND oidc_subject = ?', [issuer, subject]);
    return r ? userOf(r) : null;
  }

  async byEmail(email: string): Promise<StaffUser[]> {
    return (await this.db.all<UserRow>('SELECT * FROM staff_users WHERE lower(email) = lower(?)', [email])).map(userOf);
  }

  async update(name: string, patch: Partial<Pick<StaffUser, 'role' | 'passwordHash' | 'passwordSetAt' | 'disabledAt' | 'oidcIssuer' | 'oidcSubject'>>, at: string): Promise<void> {
    const cols: Record<string, string> = {
      role: 'role', passwordHash: 'password_hash', passwordSetAt: 'password_set_at', disabledAt: 'disabled_at', oidcIssuer: 'oidc_issuer', oidcSubject: 'oidc_subject',
    };
    const sets: string[] = [];
    const vals: Array<string | null> = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = cols[k];
      if (!col) continue;
      sets.push(`${col} = ?`);
      vals.push((v as string | null | undefined) ?? null);
    }
    sets.push('updated_at = ?');
    await this.db.run(`UPDATE staff_users SET ${sets.join(', ')} WHERE name = ?`, [...vals, at, name]);
  }

  async addSession(token: string, s: StaffSession): Promise<void> {
    await this.db.run(
      'INSERT INTO staff_sessions (token_hash, user_name, kind, via, created_at, expires_at, last_seen_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      [tokenHash(token), s.userName, s.kind, s.via, s.createdAt, s.expiresAt, s.lastSeenAt],
    );
  }

  /** A live (not revoked, not expired) session or link of the given kind. */
  async session(token: string, kind: SessionKind, at: string): Promise<StaffSession | null> {
    const r = await this.db.get<SessionRow>(
      'SELECT user_name, kind, via, created_at, expires_at, last_seen_at, revoked_at FROM staff_sessions WHERE token_hash = ? AND kind = ?',
      [tokenHash(token), kind],
    );
    if (!r || r.revoked_at !== null || r.expires_at <= at) return null;
    return { userName: r.user_name, kind: r.kind as SessionKind, via: r.via, createdAt: r.created_at, expiresAt: r.expires_at, lastSeenAt: r.last_seen_at };
  }

  async touchSession(token: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db.run('UPDATE staff_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?', [lastSeenAt, expiresAt, tokenHash(token)]);
  }

  /** Revokes one token; true when it was live (a one-time link redeemed twice: false the second time). */
  async revoke(token: string, at: string): Promise<boolean> {
    return (await this.db.run('UPDATE staff_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [at, tokenHash(token)])).changes === 1;
  }

  async revokeAllOf(userName: string, at: string): Promise<number> {
    return (await this.db.run('UPDATE staff_sessions SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL', [at, userName])).changes;
  }

  async setting(key: string): Promise<string | null> {
    const r = await this.db.get<{ value: string }>('SELECT value FROM staff_settings WHERE key = ?', [key]);
    return r?.value ?? null;
  }

  async setSetting(key: string, value: string, at: string): Promise<void> {
    await this.db.tx(async (db) => {
      const n = (await db.run('UPDATE staff_settings SET value = ?, updated_at = ? WHERE key = ?', [value, at, key])).changes;
      if (!n) await db.run('INSERT INTO staff_settings (key, value, updated_at) VALUES (?, ?, ?)', [key, value, at]);
    });
  }
}
