// Staff accounts, roles and four-eyes erasure through the app API (shared/app), on SQLite and on
// PostgreSQL (embedded): every role rule, sessions and one-time links, disabled users, the
// four-eyes rule for executing a deletion plan (and, when configured, denials and extensions),
// auto-approval switched off under four-eyes, and every audit entry naming the user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { ApiAuthError, ApiForbiddenError, ApiInputError, type CallMeta } from '../../../shared/app/api';
import { contract } from '../../../shared/app/contract';
import { requiredRole } from '../../../shared/domain/roles';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

const local: CallMeta = { actor: 'cli' };
const as = (user: string): CallMeta => ({ actor: 'ignored', user });
const clock = () => new Date('2026-11-23T17:00:00Z');

function suite(name: string, config: () => Promise<AppConfig>) {
  describe(`accounts and four-eyes on ${name}`, () => {
    let app: App;
    beforeAll(async () => {
      app = await createApp(await config(), { clock });
      for (const [n, role] of [['vera', 'viewer'], ['ana', 'analyst'], ['carl', 'analyst'], ['apo', 'approver'], ['adam', 'admin']] as const) {
        await app.call('users.add', { name: n, role, password: `${n}-correct-horse` }, local);
      }
    });
    afterAll(async () => { await app?.close(); });

    async function preparedDeletion(by = 'ana', email = 'erase.me@example.com') {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email } }, as(by));
      await app.settle(c.id);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'email and phone matched', dataPoints: 2 }, as(by));
      await app.call('cases.discover', { id: c.id }, as(by));
      await app.settle(c.id);
      return c.id;
    }

    it('stores passwords as scrypt hashes and signs in with the right one only (sessions hashed, audited)', async () => {
      const row = await app.ctx.db.get<{ password_hash: string }>('SELECT password_hash FROM staff_users WHERE name = ?', ['ana']);
      expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/u);
      expect(row!.password_hash).not.toContain('ana-correct-horse');
      await expect(app.call('auth.login', { name: 'ana', password: 'wrong-password-123' }, local)).rejects.toBeInstanceOf(ApiAuthError);
      await expect(app.call('auth.login', { name: 'nobody', password: 'whatever-123456' }, local)).rejects.toBeInstanceOf(ApiAuthError);
      const s = await app.call('auth.login', { name: 'ana', password: 'ana-correct-horse' }, local);
      expect(s.user).toMatchObject({ name: 'ana', role: 'analyst', signIn: ['password'] });
      const stored = await app.ctx.db.all<{ token_hash: string }>('SELECT token_hash FROM staff_sessions');
      expect(stored.map((r) => r.token_hash)).not.toContain(s.token);
      expect((await app.call('auth.session', { token: s.token }, local)).user.name).toBe('ana');
      expect(await app.call('auth.logout', { token: s.token }, local)).toEqual({ ended: true });
      await expect(app.call('auth.session', { token: s.token }, local)).rejects.toBeInstanceOf(ApiAuthError);
      const log = (await app.ctx.audit.verify()).ok;
      expect(log).toBe(true);
    });

    it('one-time links work once; a disabled user is refused everywhere and loses their sessions', async () => {
      const link = await app.call('auth.link', { name: 'carl' }, local);
      const s = await app.call('auth.redeemLink', { token: link.token }, local);
      await expect(app.call('auth.redeemLink', { token: link.token }, local)).rejects.toBeInstanceOf(ApiAuthError);
      expect((await app.call('auth.session', { token: s.token }, local)).user.name).toBe('carl');
      await app.call('users.add', { name: 'temp', role: 'analyst', password: 'temp-correct-horse' }, as('adam'));
      const t = await app.call('auth.login', { name: 'temp', password: 'temp-correct-horse' }, local);
      await app.call('users.disable', { name: 'temp' }, as('adam'));
      await expect(app.call('auth.session', { token: t.token }, local)).rejects.toBeInstanceOf(ApiAuthError);
      await expect(app.call('auth.login', { name: 'temp', password: 'temp-correct-horse' }, local)).rejects.toBeInstanceOf(ApiAuthError);
      await expect(app.call('cases.list', {}, as('temp'))).rejects.toBeInstanceOf(ApiAuthError);
      await expect(app.call('cases.list', {}, as('ghost'))).rejects.toBeInstanceOf(ApiAuthError);
    });

    it('every operation of the contract has a role rule, and the API applies it per role', async () => {
      const rules = Object.fromEntries(Object.entries(contract).map(([op, d]) => [op, requiredRole(op, d.kind)]));
      expect(rules['cases.list']).toBe('viewer');
      expect(rules['cases.create']).toBe('analyst');
      expect(rules['cases.approve']).toBe('approver');
      expect(rules['users.add']).toBe('admin');
      expect(rules['auth.login']).toBe('service');
      // The privacy center's operations: the public server only, never a staff user (not even admin).
      for (const [op, rule] of Object.entries(rules)) if (op.startsWith('public.')) expect(rule, op).toBe('service');
      await expect(app.call('public.status', { session: 'x'.repeat(40) } as never, as('adam'))).rejects.toBeInstanceOf(ApiForbiddenError);
      // viewer: reads, never changes
      expect((await app.call('cases.list', {}, as('vera'))).total).toBeGreaterThanOrEqual(0);
      await expect(app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'v@example.com' } }, as('vera'))).rejects.toThrow(/cases\.create needs the analyst role \(vera is viewer\)/u);
      await expect(app.call('reports.files', { token: 'x'.repeat(20) }, as('vera'))).rejects.toBeInstanceOf(ApiForbiddenError);
      // analyst: works cases, cannot approve, cannot manage users
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'access.me@example.com' } }, as('ana'));
      await expect(app.call('cases.approve', { id: c.id }, as('ana'))).rejects.toThrow(/cases\.approve needs the approver role/u);
      await expect(app.call('users.add', { name: 'eve', role: 'admin' }, as('ana'))).rejects.toThrow(/users\.add needs the admin role/u);
      await expect(app.call('users.list', {}, as('apo'))).rejects.toBeInstanceOf(ApiForbiddenError);
      await expect(app.call('fourEyes.set', { execute: 'off' }, as('apo'))).rejects.toBeInstanceOf(ApiForbiddenError);
      // nobody signed in may call the shells' own operations
      await expect(app.call('auth.login', { name: 'ana', password: 'ana-correct-horse' }, as('adam'))).rejects.toThrow(/not an operation a signed-in user may call/u);
      await expect(app.call('auth.session', { token: 'x'.repeat(43) }, as('adam'))).rejects.toBeInstanceOf(ApiForbiddenError);
      // admin: users; a role a shell sends is ignored (the store's role counts)
      expect((await app.call('users.list', {}, as('adam'))).items.map((u) => u.name)).toEqual(expect.arrayContaining(['ana', 'apo', 'vera']));
      await expect(app.call('cases.approve', { id: c.id }, { actor: 'x', user: 'ana', role: 'admin' })).rejects.toBeInstanceOf(ApiForbiddenError);
      expect(await app.call('auth.me', {}, as('vera'))).toMatchObject({ user: { name: 'vera', role: 'viewer' }, actor: 'staff:vera' });
      // every audit entry of a user's call names the user
      const entries = await app.call('cases.audit', { id: c.id }, as('vera'));
      expect(entries.find((e) => e.action === 'case.created')!.actor).toBe('staff:ana');
    });

    it('four-eyes: the analyst who prepared a deletion cannot execute it; an approver who did not prepare it does', async () => {
      expect((await app.call('fourEyes.get', {}, as('vera'))).effective.execute).toBe(true);
      const id = await preparedDeletion('ana');
      expect(await app.call('cases.signoff', { id }, as('vera'))).toEqual({ preparedBy: ['staff:ana'], verifiedBy: ['staff:ana'], approvedBy: null, approvedAt: null, fourEyes: true });
      await expect(app.call('cases.approve', { id }, as('ana'))).rejects.toThrow(/needs the approver role/u);
      // An approver who prepared the case is refused too, and so is a caller that names no user.
      const own = await preparedDeletion('apo', 'own.case@example.com');
      await expect(app.call('cases.approve', { id: own }, as('apo'))).rejects.toThrow(/staff:apo prepared or verified case .*needs a second approver/u);
      await expect(app.call('cases.approve', { id: own }, local)).rejects.toThrow(/needs a signed-in approver/u);
      expect((await app.call('cases.get', { id: own }, local)).status).toBe('in_review');
      const refused = (await app.call('cases.audit', { id: own }, local)).filter((e) => e.action === 'four_eyes.refused');
      expect(refused.map((e) => e.actor)).toEqual(['staff:apo', 'cli']);
      expect(refused.some((e) => e.action === 'case.approve')).toBe(false);
      // The second person executes it.
      await app.call('cases.approve', { id }, as('apo'));
      await app.settle(id);
      expect((await app.call('cases.get', { id }, local)).status).toBe('closed');
      const so = await app.call('cases.signoff', { id }, as('vera'));
      expect(so).toMatchObject({ preparedBy: ['staff:ana'], approvedBy: 'staff:apo' });
      await app.call('cases.approve', { id: own }, as('adam'));
      await app.settle(own);
      expect((await app.call('cases.signoff', { id: own }, local)).approvedBy).toBe('staff:adam');
    });

    it('four-eyes applies to denials and extensions only when configured; auto-approval of erasure is off while it applies', async () => {
      const id = await preparedDeletion('ana', 'deny.me@example.com');
      await expect(app.call('fourEyes.set', { deny: 'sometimes' } as never, as('adam'))).rejects.toBeInstanceOf(ApiInputError);
      await app.call('fourEyes.set', { deny: 'on', extend: 'on' }, as('adam'));
      await expect(app.call('cases.extend', { id, reason: 'complex request across many systems' }, as('ana'))).rejects.toThrow(/four-eyes: extending the deadline .* needs the approver role/u);
      await expect(app.call('cases.deny', { id, reason: 'unverifiable' }, as('ana'))).rejects.toThrow(/four-eyes: denying the request/u);
      await app.call('cases.extend', { id, reason: 'complex request across many systems' }, as('apo'));
      await app.call('fourEyes.set', { deny: 'off', extend: 'off' }, as('adam'));
      await app.call('cases.deny', { id, reason: 'unverifiable' }, as('ana'));
      expect((await app.call('cases.get', { id }, local)).status).toBe('denied');
      const auto = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'auto@example.com' }, autoApprove: true }, as('ana'));
      expect(auto.autoApprove).toBe(false);
      const access = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'auto2@example.com' }, autoApprove: true }, as('ana'));
      expect(access.autoApprove).toBe(true);
    });

    it('with four-eyes off (a single local operator) one person may execute; resetting a password ends sessions', async () => {
      await app.call('fourEyes.set', { execute: 'off' }, as('adam'));
      const id = await preparedDeletion('apo', 'solo@example.com');
      await app.call('cases.approve', { id }, as('apo'));
      await app.settle(id);
      expect((await app.call('cases.get', { id }, local)).status).toBe('closed');
      await app.call('fourEyes.set', { execute: 'auto' }, as('adam'));
      const s = await app.call('auth.login', { name: 'carl', password: 'carl-correct-horse' }, local);
      const r = await app.call('users.resetPassword', { name: 'carl' }, as('adam'));
      expect(r.password).toMatch(/^[A-Za-z0-9]{7}-[A-Za-z0-9]{7}-[A-Za-z0-9]{7}$/u);
      await expect(app.call('auth.session', { token: s.token }, local)).rejects.toBeInstanceOf(ApiAuthError);
      expect((await app.call('auth.login', { name: 'carl', password: r.password }, local)).user.name).toBe('carl');
      await expect(app.call('users.add', { name: 'Bad Name', role: 'viewer' }, local)).rejects.toThrow(/user name: lower-case letters/u);
      await expect(app.call('users.add', { name: 'ana', role: 'viewer' }, local)).rejects.toThrow(/exists already/u);
    });
  });
}

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'pd-accounts-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

suite('SQLite', async () => { const d = tmp(); return { dataDir: d, db: { kind: 'sqlite', file: join(d, 'pd.sqlite') } }; });

let pg: PostgresServer;
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => { await pg?.stop(); });
suite('PostgreSQL', async () => ({ dataDir: tmp(), db: { kind: 'postgres', url: await createDatabase(pg) } }));

describe('a single local operator (no users): nothing changes', () => {
  it('four-eyes auto is off, calls without a user need no account', async () => {
    const d = tmp();
    const app = await createApp({ dataDir: d, db: { kind: 'sqlite', file: join(d, 'pd.sqlite') } }, { clock });
    try {
      expect((await app.call('fourEyes.get', {}, local)).effective).toEqual({ execute: false, deny: false, extend: false });
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'one@example.com' }, autoApprove: true }, local);
      expect(c.autoApprove).toBe(true);
    } finally { await app.close(); }
  });
});
