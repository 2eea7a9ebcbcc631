// The intake and opt-out Lambdas are idempotent per Connect contact and action: the same event
// twice (one after the other, or at the same moment) opens one case and answers the same
// reference; another contact opens another case. Run on a SQLite and on an embedded PostgreSQL
// case store, with the real handlers and app; plus two app instances (two Lambda containers) on
// one store racing to open the case for the same contact.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSandbox, type Sandbox } from '../../../connect-flows/simulator/sandbox';
import { connectEvent } from '../../../connect-flows/simulator/simulate';
import { handler as intake } from '../../../lambdas/intake/handler';
import { handler as optOut } from '../../../lambdas/opt-out/handler';
import { setLogSink } from '../../../lambdas/common/log';
import { installRuntime } from '../../../lambdas/common/runtime';
import { ConnectInputDecryptor } from '../../../shared/crypto/connect-input';
import { createApp, type App } from '../../../shared/app/app';
import type { DbConfig } from '../../../shared/store/open-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const DANA = '+14155550100';
const ACCOUNT = '12345678';
const DOB = '01311990';
const meta = { actor: 'test' };
const event = (contactId: string, caller: string | null, parameters: Record<string, string>) => connectEvent({ contactId, caller, attributes: {} }, parameters);

function suite(label: string, store: () => Promise<{ db: DbConfig; stop(): Promise<void> }>) {
  describe(`idempotent phone Lambdas (${label})`, () => {
    let dir: string;
    let sb: Sandbox;
    let app: App;
    let stopStore: () => Promise<void> = async () => undefined;
    let db: DbConfig;
    const logs: string[] = [];
    const count = async (sql: string, params: string[] = []) => Number((await app.ctx.db.get<{ n: number | string }>(sql, params))!.n);
    const cases = () => count('SELECT COUNT(*) AS n FROM cases');
    const linesFor = (contactId: string) => logs.filter((l) => l.includes(`"contactId":"${contactId}"`) && /"event":"(intake|opt_out)"/u.test(l));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pd-idem-'));
      const s = await store();
      db = s.db;
      stopStore = s.stop;
      sb = await openSandbox({ appConfig: { dataDir: join(dir, 'data'), db } });
      app = sb.app as unknown as App;
      setLogSink((l) => logs.push(l));
    }, 120_000);
    afterAll(async () => {
      setLogSink(null);
      await sb?.close();
      await stopStore();
      rmSync(dir, { recursive: true, force: true });
    });

    it('opt-out: the same event twice opens one case and answers the same reference', async () => {
      const before = await cases();
      const e = event(`${label}-opt-1`, DANA, { customerId: 'C-1001' });
      const first = await optOut(e);
      const second = await optOut(e);
      expect(first).toMatchObject({ result: 'recorded', applied: 'true', caseStatus: 'closed' });
      expect(second).toEqual(first);
      expect(await cases()).toBe(before + 1);
      expect(linesFor(`${label}-opt-1`).map((l) => (JSON.parse(l) as { result: string }).result)).toEqual(['recorded', 'repeated']);
    });

    it('phone.caseStatus answers the status alone (what the opt-out tells the caller), and refuses an unknown case', async () => {
      const e = event(`${label}-opt-status`, DANA, { customerId: 'C-1001' });
      const answer = await optOut(e);
      const r = await app.call('phone.caseStatus' as never, { caseId: answer.caseReference } as never, { actor: 'lambda:opt-out' }) as unknown;
      expect(r).toEqual({ status: answer.caseStatus });
      await expect(app.call('phone.caseStatus' as never, { caseId: 'PD-20260101-NOCASE' } as never, { actor: 'lambda:opt-out' })).rejects.toThrow(/no case/u);
    });

    it('opt-out: the same event at the same moment opens one case; another contact opens another', async () => {
      const before = await cases();
      const e = event(`${label}-opt-2`, DANA, { customerId: 'C-1001' });
      const [a, b] = await Promise.all([optOut(e), optOut(e)]);
      expect(a!.result).toBe('recorded');
      expect(b!.caseReference).toBe(a!.caseReference);
      expect(b!.caseReferenceSpoken).toBe(a!.caseReferenceSpoken);
      expect(await cases()).toBe(before + 1);
      const other = await optOut(event(`${label}-opt-3`, DANA, { customerId: 'C-1001' }));
      expect(other).toMatchObject({ result: 'recorded' });
      expect(other.caseReference).not.toBe(a!.caseReference);
      expect(await cases()).toBe(before + 2);
    });

    it('intake (unknown caller): sequential and concurrent repeats open one case; another contact opens another', async () => {
      const before = await cases();
      const e1 = event(`${label}-in-1`, '+12125550123', { requestType: 'delete' });
      const first = await intake(e1);
      expect(first).toMatchObject({ result: 'opened_unknown_caller', verified: 'false' });
      expect(await intake(e1)).toMatchObject({ result: 'opened_unknown_caller', verified: 'false', caseReference: first.caseReference, caseReferenceSpoken: first.caseReferenceSpoken });
      const e2 = event(`${label}-in-2`, '+12125550123', { requestType: 'delete' });
      const [a, b] = await Promise.all([intake(e2), intake(e2)]);
      expect(a).toMatchObject({ result: 'opened_unknown_caller' });
      expect(b).toMatchObject({ result: 'opened_unknown_caller', caseReference: a!.caseReference });
      expect(a!.caseReference).not.toBe(first.caseReference);
      expect(await cases()).toBe(before + 2);
      // Another request type in the same call is another request.
      const access = await intake(event(`${label}-in-1`, '+12125550123', { requestType: 'access' }));
      expect(access.caseReference).not.toBe(first.caseReference);
      expect(await cases()).toBe(before + 3);
    });

    it('intake with answers: concurrent repeats verify one case once and record one knowledge check', async () => {
      const before = await cases();
      const contactId = `${label}-in-v`;
      const e = event(contactId, DANA, {
        requestType: 'access', customerId: 'C-1001', attempt: '1',
        encryptedAccountNumber: await sb.encrypt(sb.keyId, ACCOUNT), encryptedDateOfBirth: await sb.encrypt(sb.keyId, DOB),
      });
      const [a, b] = await Promise.all([intake(e), intake(e)]);
      expect(a).toMatchObject({ result: 'opened_verified', verified: 'true' });
      expect(b).toMatchObject({ result: 'opened_verified', verified: 'true', caseReference: a!.caseReference });
      const third = await intake(e);
      expect(third).toMatchObject({ result: 'opened_verified', verified: 'true', dataPointsMatched: '2', caseReference: a!.caseReference });
      expect(await cases()).toBe(before + 1);
      const id = a!.caseReference!;
      await sb.app.settle(id);
      expect((await sb.app.call('cases.get', { id }, meta)).verification).toMatchObject({ level: 'reasonable', dataPoints: 2 });
      const audit = await sb.app.call('cases.audit', { id }, meta);
      expect(audit.filter((x) => x.action === 'case.verify')).toHaveLength(1);
      expect(audit.filter((x) => x.action === 'case.created')).toHaveLength(1);
      expect(await count('SELECT COUNT(*) AS n FROM phone_ivr_attempts WHERE contact_id = ?', [contactId])).toBe(1);
    });

    it('intake with wrong answers: a repeated attempt is counted once towards the lock, and the final one opens one case', async () => {
      const contactId = `${label}-in-w`;
      const wrong = async (attempt: string) => event(contactId, '+14155550101', {
        requestType: 'delete', customerId: 'C-1002', attempt,
        encryptedAccountNumber: await sb.encrypt(sb.keyId, '11112222'), encryptedDateOfBirth: await sb.encrypt(sb.keyId, '02022002'),
      });
      const e1 = await wrong('1');
      const [a, b] = await Promise.all([intake(e1), intake(e1)]);
      expect([a!.result, b!.result]).toEqual(['retry', 'retry']);
      expect(await intake(e1)).toMatchObject({ result: 'retry' });
      expect(await count('SELECT COUNT(*) AS n FROM phone_ivr_attempts WHERE contact_id = ?', [contactId])).toBe(1);
      const before = await cases();
      const e2 = await wrong('2');
      const last = await intake(e2);
      expect(last).toMatchObject({ result: 'opened_unverified', verified: 'false' });
      expect(await intake(e2)).toMatchObject({ result: 'opened_unverified', verified: 'false', caseReference: last.caseReference });
      expect(await cases()).toBe(before + 1);
      expect(await count('SELECT COUNT(*) AS n FROM phone_ivr_attempts WHERE contact_id = ?', [contactId])).toBe(2);
      expect((await sb.app.call('phone.ivrGate', { phone: '+14155550101' }, meta)).failures).toBe(2);
    });

    it('two Lambda containers (two apps on one store) racing for the same contact open one case', async () => {
      const second = await createApp({ dataDir: join(dir, 'data'), db, runEngine: true });
      try {
        const before = await cases();
        const input = { contactId: `${label}-two-containers`, result: 'recorded', case: { type: 'opt_out' as const, jurisdiction: 'CA' as const, channel: 'phone' as const, identities: { phone: DANA } } };
        const [a, b] = await Promise.all([app.call('phone.openCase', input, meta), second.call('phone.openCase', input, meta)]);
        expect([a.created, b.created].sort()).toEqual([false, true]);
        expect(b.caseId).toBe(a.caseId);
        expect(b.result).toBe('recorded');
        expect(await cases()).toBe(before + 1);
        expect(await second.call('phone.contactCase', { contactId: input.contactId, action: 'opt_out' }, meta)).toEqual({ found: true, caseId: a.caseId, result: 'recorded' });
        await app.settle(a.caseId);
        await second.settle(a.caseId);
        // The loser's rolled-back transaction left no trace in the audit chain (checked once the
        // case rests: audit.verify is not a snapshot, an append while it reads looks like a gap).
        expect(await second.call('audit.verify', {}, meta)).toMatchObject({ ok: true, firstBad: null });
      } finally {
        await second.close();
      }
    });

    it('a repeat whose first invocation died after opening the case does not claim the caller was verified', async () => {
      const contactId = `${label}-in-half`;
      // What a first invocation leaves behind when it fails between opening the case and verifying.
      const opened = await app.call('phone.openCase', { contactId, result: 'opened_verified', case: { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone: DANA } } }, meta);
      installRuntime({ app: async () => sb.app, crm: async () => sb.crm, budgetMs: 700 });
      try {
        const started = Date.now();
        expect(await intake(event(contactId, DANA, { requestType: 'delete' }))).toMatchObject({ result: 'opened_unverified', verified: 'false', caseReference: opened.caseId });
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        const decryptor = new ConnectInputDecryptor([{ keyId: sb.keyId, privateKeyPem: sb.keys.privateKeyPem }]);
        installRuntime({ app: async () => sb.app, crm: async () => sb.crm, decryptor: async () => decryptor, jurisdiction: 'CA', budgetMs: 6000 });
      }
    });

    it('the contact-to-case table holds no caller input, the audit chain verifies, and no secret reached a log', async () => {
      const rows = await app.ctx.db.all<Record<string, unknown>>('SELECT * FROM phone_contact_cases');
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(Object.keys(r).sort()).toEqual(['action', 'case_id', 'contact_id', 'created_at', 'result']);
      const text = JSON.stringify(rows);
      for (const secret of [ACCOUNT, DOB, '11112222', '02022002', '4155550100', '4155550101', '2125550123', 'C-1001', 'C-1002']) {
        expect(text).not.toContain(secret);
        expect(logs.join('\n')).not.toContain(secret);
      }
      for (const c of await app.ctx.db.all<{ id: string }>('SELECT id FROM cases')) await app.settle(c.id);
      expect(await app.call('audit.verify', {}, meta)).toMatchObject({ ok: true, firstBad: null });
    });
  });
}

suite('SQLite', async () => {
  const d = mkdtempSync(join(tmpdir(), 'pd-idem-db-'));
  return { db: { kind: 'sqlite', file: join(d, 'cases.sqlite') }, stop: async () => { rmSync(d, { recursive: true, force: true }); } };
});

suite('PostgreSQL', async () => {
  const server: PostgresServer = await startPostgres();
  return { db: { kind: 'postgres', url: server.url }, stop: () => server.stop() };
});
