// The crm-lookup Lambda within Connect's limit: a case store that does not answer in the budget
// gives `openCase: "unknown"` (the caller is still served); a CRM that fails gives an unknown
// caller, never an error.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installRuntime, type PhoneApp } from '../../../lambdas/common/runtime';
import { handler as crmLookup } from '../../../lambdas/crm-lookup/handler';
import { handler as optOut } from '../../../lambdas/opt-out/handler';
import { setLogSink } from '../../../lambdas/common/log';
import { connectEvent } from '../../../connect-flows/simulator/simulate';
import { CrmDirectory } from '../../../shared/adapters/crm-directory';
import { openCrmConnection } from '../../../shared/adapters/crm-connection';
import { DEMO_CRM_COLUMNS, DEMO_CUSTOMERS, writeDemoCrm } from '../../../connect-flows/simulator/sandbox';

const hangingApp = { call: () => new Promise(() => undefined), settle: () => new Promise(() => undefined), close: async () => undefined } as unknown as PhoneApp;
const event = (caller: string | null, p: Record<string, string> = {}) => connectEvent({ contactId: 'budget-1', caller, attributes: {} }, p);
const logs: string[] = [];

afterEach(() => { installRuntime(null); setLogSink(null); logs.length = 0; });

describe('crm-lookup within the budget', () => {
  it('answers the CRM part and openCase=unknown when the case store is too slow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    writeDemoCrm(join(dir, 'crm.sqlite'), DEMO_CUSTOMERS);
    const conn = openCrmConnection({ kind: 'sqlite', file: join(dir, 'crm.sqlite') });
    try {
      const crm = new CrmDirectory(conn, { table: 'customers', columns: DEMO_CRM_COLUMNS });
      installRuntime({ app: async () => hangingApp, crm: async () => crm, budgetMs: 150 });
      setLogSink((l) => logs.push(l));
      const r = await crmLookup(event('+14155550100'));
      expect(r).toMatchObject({ found: 'true', customerId: 'C-1001', openCase: 'unknown', caseReference: '' });
    } finally {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a failing CRM as an unknown caller and says so in the log only by code', async () => {
    installRuntime({ crm: async () => { throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 user=crm password=hunter2'), { code: 'ECONNREFUSED' }); }, app: async () => hangingApp, budgetMs: 100 });
    setLogSink((l) => logs.push(l));
    const r = await crmLookup(event('+14155550100', { lookup: 'crm' }));
    expect(r).toMatchObject({ found: 'false', crmError: 'true' });
    expect(logs.join('\n')).toMatch(/"event":"crm_failed".*"code":"ECONNREFUSED"/u);
    expect(logs.join('\n')).not.toMatch(/hunter2|10\.0\.0\.5/u);
  });

  it('opt-out answers applied=false when the case does not settle within the budget', async () => {
    const answers: Record<string, unknown> = {
      'phone.contactCase': { found: false, caseId: null, result: null },
      'phone.openCase': { created: true, caseId: 'PD-20261123-ABCDEF', result: 'recorded' },
    };
    const app = { ...hangingApp, call: async (op: string) => answers[op] ?? new Promise(() => undefined) } as unknown as PhoneApp;
    installRuntime({ app: async () => app, crm: async () => null, budgetMs: 100 });
    setLogSink((l) => logs.push(l));
    const started = Date.now();
    // Neither the settling nor the status read answers in time: recorded, not known to be applied yet.
    expect(await optOut(event('+14155550100'))).toMatchObject({ result: 'recorded', applied: 'false', caseReference: 'PD-20261123-ABCDEF', caseStatus: 'unknown' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await optOut(event(null))).toEqual({ result: 'no_number' });
  });
});

describe('a broken Lambda configuration', () => {
  it('gives a safe string map from all three Lambdas, and only a code in the log', async () => {
    // Fresh modules: the runtime reads the environment once per container.
    vi.resetModules();
    const before = process.env.PRIVACY_DESK_PHONE_BUDGET_MS;
    process.env.PRIVACY_DESK_PHONE_BUDGET_MS = 'soon';
    const fresh = await import('../../../lambdas/common/log');
    fresh.setLogSink((l) => logs.push(l));
    try {
      const lookup = (await import('../../../lambdas/crm-lookup/handler')).handler;
      const intake = (await import('../../../lambdas/intake/handler')).handler;
      const opt = (await import('../../../lambdas/opt-out/handler')).handler;
      const answers = [
        await lookup(event('+14155550100')),
        await intake(event('+14155550100', { requestType: 'delete' })),
        await opt(event('+14155550100')),
      ];
      expect(answers[0]).toMatchObject({ found: 'false', customerId: '', openCase: 'unknown', crmError: 'true' });
      expect(answers[1]).toEqual({ result: 'error', reason: 'internal' });
      expect(answers[2]).toEqual({ result: 'error', reason: 'internal' });
      for (const a of answers) expect(Object.values(a).every((v) => typeof v === 'string')).toBe(true);
      expect(logs.join('\n')).toMatch(/"event":"config_failed","contactId":"budget-1","code":"Error"/u);
      expect(logs.join('\n')).not.toMatch(/soon|4155550100/u);
    } finally {
      if (before === undefined) delete process.env.PRIVACY_DESK_PHONE_BUDGET_MS; else process.env.PRIVACY_DESK_PHONE_BUDGET_MS = before;
      fresh.setLogSink(null);
    }
  });
});
