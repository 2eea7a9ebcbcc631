// Whole calls through the real inbound flow: the simulator runs each action, the real Lambda
// handlers run in-process against the real app (temp SQLite case store) and a temp CRM table,
// encrypted answers are encrypted exactly as Connect does. Also: no caller secret reaches a log,
// the audit log or the transcript.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlow } from '../../../connect-flows/lib/flow-load';
import { loadTemplate } from '../../../connect-flows/lib/template';
import { connectEvent, simulateCall, type SimulationResult, type LambdaHandler } from '../../../connect-flows/simulator/simulate';
import { openSandbox, type Sandbox } from '../../../connect-flows/simulator/sandbox';
import { main } from '../../../cli/main';
import type { App } from '../../../shared/app/app';

const flow = parseFlow(readFileSync('connect-flows/flows/inbound-privacy-line.json', 'utf8')).flow;
const template = loadTemplate('connect-flows/template.yaml');
const DANA = '+14155550100';
const ACCOUNT = '12345678';
const DOB = '01311990';
let sb: Sandbox;
let contact = 0;

beforeAll(async () => { sb = await openSandbox(); }, 120_000);
afterAll(async () => { await sb?.close(); });

async function callIn(caller: string | null, inputs: string[], lambdas: Record<string, LambdaHandler> = sb.lambdas, lambdaTimeoutMs?: Record<string, number>, parameters: Record<string, string> = {}): Promise<SimulationResult> {
  contact += 1;
  return simulateCall({
    flow, template, lambdas, recognizer: sb.recognizer, encrypt: sb.encrypt, caller, inputs,
    parameters: { ...sb.parameters, ...parameters }, contactId: `test-contact-${contact}`, lambdaTimeoutMs,
  });
}
const lambdaResults = (r: SimulationResult, fn: string) => r.transcript.flatMap((t) => (t.event === 'lambda' && t.function === fn ? [t] : []));
const prompts = (r: SimulationResult) => r.transcript.flatMap((t) => (t.event === 'prompt' ? [t.text] : []));
const visited = (r: SimulationResult) => [...new Set(r.transcript.map((t) => t.action))];
const meta = { actor: 'test' };

/** Runs fn with console output captured. */
async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const lines: string[] = [];
  const orig = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const grab = (...a: unknown[]) => { lines.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')); };
  Object.assign(console, { log: grab, info: grab, warn: grab, error: grab, debug: grab });
  try {
    return { value: await fn(), output: lines.join('\n') };
  } finally {
    Object.assign(console, orig);
  }
}

describe('simulated calls on the inbound privacy line', () => {
  it('a known caller opts out: case created on the phone channel and the opt-out applied, no verification asked', async () => {
    const r = await callIn(DANA, ['I want to opt out', '1']);
    expect(r.end.how).toBe('disconnected');
    const [opt] = lambdaResults(r, 'OptOutFunction');
    expect(opt!.ok).toBe(true);
    expect(opt!.parameters).toEqual({ customerId: 'C-1001' });
    expect(opt!.result).toMatchObject({ result: 'recorded', applied: 'true', caseStatus: 'closed' });
    const id = opt!.result!.caseReference!;
    const c = await sb.app.call('cases.get', { id }, meta);
    expect(c).toMatchObject({ type: 'opt_out', channel: 'phone', status: 'closed', requiredLevel: 'none' });
    expect(c.verification.level).toBe('none');
    expect(Object.keys(c.identitiesMasked).sort()).toEqual(['custom:crm_customer_id', 'email', 'phone']);
    const audit = await sb.app.call('cases.audit', { id }, meta);
    expect(audit.some((e) => e.action === 'step.completed' && String(e.detail.step).startsWith('execute'))).toBe(true);
    expect(visited(r)).not.toContain('Get account number');
    expect(prompts(r).join(' ')).toMatch(/Your opt-out is recorded/u);
    expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result!.firstName).toBe('D***'); // masked in the transcript
    expect(JSON.stringify(r)).not.toContain('Dana');
  });

  it('an unknown caller asks to delete: the request is recorded, waiting for verification', async () => {
    const r = await callIn('+12125550123', ['delete my data']);
    expect(r.end.how).toBe('disconnected');
    expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result).toMatchObject({ found: 'false', openCase: 'false' });
    const [intake] = lambdaResults(r, 'IntakeFunction');
    expect(intake!.parameters).toEqual({ requestType: 'delete' });
    expect(intake!.result).toMatchObject({ result: 'opened_unknown_caller', verified: 'false' });
    await sb.app.settle(intake!.result!.caseReference!);
    const c = await sb.app.call('cases.get', { id: intake!.result!.caseReference! }, meta);
    expect(c).toMatchObject({ type: 'delete', channel: 'phone', status: 'verifying' });
    expect(visited(r)).not.toContain('Get account number');
    expect(prompts(r).join(' ')).toMatch(/could not verify your identity on this call/u);
  });

  it('a known caller with the right answers gets a verified request, and nothing secret leaks', async () => {
    const { value: r, output } = await captured(() => callIn(DANA, ['2', ACCOUNT, DOB]));
    const [intake] = lambdaResults(r, 'IntakeFunction');
    expect(intake!.parameters.encryptedAccountNumber).toBe('[encrypted]');
    expect(intake!.result).toMatchObject({ result: 'opened_verified', verified: 'true', dataPointsMatched: '2' });
    const id = intake!.result!.caseReference!;
    await sb.app.settle(id);
    const c = await sb.app.call('cases.get', { id }, meta);
    expect(c.type).toBe('delete');
    expect(c.verification).toMatchObject({ level: 'reasonable', method: 'knowledge', dataPoints: 2 });
    expect(['verified', 'discovering', 'in_review']).toContain(c.status);
    const audit = JSON.stringify(await sb.app.call('cases.audit', { id }, meta));
    const transcript = JSON.stringify(r);
    expect(output).toMatch(/opened_verified/u); // the logs do say what happened
    for (const secret of [ACCOUNT, DOB, DANA, '4155550100']) {
      expect(output).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(transcript).not.toContain(secret);
    }
  });

  it('wrong answers: one more try, then the request is recorded unverified with the attempt audited', async () => {
    const { value: r, output } = await captured(() => callIn(DANA, ['3', '99999999', DOB, '88888888', '02022002']));
    const calls = lambdaResults(r, 'IntakeFunction');
    expect(calls.map((c) => c.result?.result)).toEqual(['retry', 'opened_unverified']);
    expect(calls.map((c) => c.parameters.attempt)).toEqual(['1', '2']);
    expect(prompts(r).join(' ')).toMatch(/did not match our records/u);
    const id = calls[1]!.result!.caseReference!;
    await sb.app.settle(id);
    const c = await sb.app.call('cases.get', { id }, meta);
    expect(c).toMatchObject({ type: 'access', status: 'verifying' });
    expect(c.verification.level).toBe('none');
    const audit = await sb.app.call('cases.audit', { id }, meta);
    const verify = audit.find((e) => e.action === 'case.verify');
    expect(String(verify?.detail.note)).toMatch(/failed after 2 attempt\(s\): 0 of 2/u);
    const all = `${output}\n${JSON.stringify(audit)}\n${JSON.stringify(r)}`;
    for (const secret of ['99999999', '88888888', '02022002', DOB]) expect(all).not.toContain(secret);
  });

  it('answers encrypted under a key id the Lambda does not hold: logged as wrong_key, not counted as a wrong answer, the request recorded for staff', async () => {
    const before = await sb.app.call('phone.ivrGate', { phone: '+14155550101' }, meta);
    const { value: r, output } = await captured(() => callIn('+14155550101', ['2', '87654321', '12021985', '87654321', '12021985'], sb.lambdas, undefined, { ConnectInputKeyId: 'retired-key' }));
    expect(lambdaResults(r, 'IntakeFunction').map((c) => c.result?.result)).toEqual(['opened_unverified']);
    expect(output).toMatch(/"event":"decrypt_failed","contactId":"test-contact-\d+","factor":"accountNumber","reason":"wrong_key"/u);
    expect(output).not.toMatch(/not an Encryption SDK message/u);
    expect(prompts(r).join(' ')).not.toMatch(/did not match/u);
    expect((await sb.app.call('phone.ivrGate', { phone: '+14155550101' }, meta)).failures).toBe(before.failures);
    for (const secret of ['87654321', '12021985']) expect(output).not.toContain(secret);
  });

  it('a caller asks for the status of their open request', async () => {
    const r = await callIn(DANA, ['4']);
    expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result).toMatchObject({ openCase: 'true' });
    expect(prompts(r).join(' ')).toMatch(/Your request with reference P D, .* is /u);
  });

  it('a Lambda that times out: the caller is still served (look-up) or handed to the team (intake)', async () => {
    const hang: LambdaHandler = () => new Promise(() => undefined);
    const slowLookup = await callIn(DANA, ['opt out', '1'], { ...sb.lambdas, CrmLookupFunction: hang }, { CrmLookupFunction: 200 });
    expect(lambdaResults(slowLookup, 'CrmLookupFunction')[0]).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(visited(slowLookup)).toContain('Caller not looked up');
    expect(lambdaResults(slowLookup, 'OptOutFunction')[0]!.result).toMatchObject({ result: 'recorded' });
    expect(slowLookup.end.how).toBe('disconnected');

    const slowIntake = await callIn(DANA, ['2', ACCOUNT, DOB], { ...sb.lambdas, IntakeFunction: hang }, { IntakeFunction: 200 });
    expect(lambdaResults(slowIntake, 'IntakeFunction')[0]!.ok).toBe(false);
    expect(slowIntake.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-team-queue' });
    expect(prompts(slowIntake).join(' ')).toMatch(/could not record your request automatically/u);
  });

  it('status when the look-up fails: never "no request found"; the caller is told and handed to the privacy team', async () => {
    const failing: LambdaHandler = async () => { throw new Error('boom'); };
    const thrown = await callIn(DANA, ['4'], { ...sb.lambdas, CrmLookupFunction: failing });
    const unknown = await callIn(DANA, ['4'], { ...sb.lambdas, CrmLookupFunction: async (e) => ({ ...(await sb.lambdas.CrmLookupFunction!(e) as Record<string, string>), openCase: 'unknown' }) });
    for (const r of [thrown, unknown]) {
      const said = prompts(r).join(' ');
      expect(said).not.toMatch(/could not find an open request/u);
      expect(said).toMatch(/cannot look up your request right now/u);
      expect(r.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-team-queue' });
    }
  });

  it('"no open case" offers the privacy team and keeps the promise: 0 transfers, silence says goodbye', async () => {
    const nobody = '+13125550177';
    const press0 = await callIn(nobody, ['4', '0']);
    expect(prompts(press0).join(' ')).toMatch(/could not find an open request .* press 0/u);
    expect(press0.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-team-queue' });
    const silent = await callIn(nobody, ['4']);
    expect(silent.end.how).toBe('disconnected');
    expect(prompts(silent).at(-1)).toMatch(/Goodbye/u);
  });

  it('status with the reference the caller says (Lex slot CaseReference): that case, or "not found among this number\'s requests"', async () => {
    const first = await callIn(DANA, ['4']);
    const ref = lambdaResults(first, 'CrmLookupFunction')[1]!.result!.caseReference!;
    const named = await callIn(DANA, [`status of request ${ref}`]);
    const [, status] = lambdaResults(named, 'CrmLookupFunction');
    expect(status!.parameters).toEqual({ lookup: 'cases', caseReference: ref });
    expect(status!.result).toMatchObject({ openCase: 'true', caseReference: ref, referenceMatched: 'true' });
    expect(prompts(named).join(' ')).not.toMatch(/did not find the reference/u);
    const other = await callIn(DANA, ['status of request PD-19990101-ZZZZZZ']);
    expect(lambdaResults(other, 'CrmLookupFunction')[1]!.result).toMatchObject({ referenceMatched: 'false', openCase: 'true' });
    expect(prompts(other).join(' ')).toMatch(/did not find the reference you gave .* Your request with reference/u);
  });

  it('a caller who keys nothing is asked once more, then handed to the team: never "did not match", no failed attempt counted', async () => {
    const phone = '+14155550101';
    const before = await sb.app.call('phone.ivrGate', { phone }, meta);
    // Nothing keyed for the account number, twice.
    const silent = await callIn(phone, ['2', '<timeout>', '<timeout>']);
    // Account number keyed, nothing for the date of birth, then keyed: the check goes on normally.
    const late = await callIn(phone, ['2', '87654321', '<timeout>', '12021985']);
    // Nothing at all after the menu (the caller hung up or went quiet).
    const gone = await callIn(phone, ['3']);
    for (const r of [silent, gone]) {
      expect(prompts(r).join(' ')).not.toMatch(/did not match/u);
      expect(prompts(r).join(' ')).toMatch(/We did not receive your account number/u);
      expect(lambdaResults(r, 'IntakeFunction')).toEqual([]);
      expect(r.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-team-queue' });
    }
    expect(prompts(late).join(' ')).toMatch(/We did not receive your date of birth/u);
    expect(lambdaResults(late, 'IntakeFunction').map((c) => c.result?.result)).toEqual(['opened_verified']);
    expect((await sb.app.call('phone.ivrGate', { phone }, meta)).failures).toBe(before.failures);
  });

  it('intake given Connect\'s "Timeout" answers no_input: nothing decrypted, opened or counted', async () => {
    const { value, output } = await captured(() => sb.lambdas.IntakeFunction!(connectEvent({ contactId: 'timeout-contact', caller: '+14155550101', attributes: {} }, { requestType: 'delete', attempt: '1', encryptedAccountNumber: 'Timeout', encryptedDateOfBirth: 'Timeout' })));
    expect(value).toEqual({ result: 'no_input', reason: 'timeout' });
    expect(output).not.toMatch(/decrypt_failed/u);
    expect((await sb.app.call('phone.contactCase', { contactId: 'timeout-contact', action: 'delete' }, meta)).found).toBe(false);
  });

  it('an anonymous caller who cannot be understood reaches the privacy team', async () => {
    const r = await callIn(null, ['mumble', 'mumble', 'mumble']);
    expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result).toMatchObject({ found: 'false', reason: 'anonymous' });
    expect(r.end.how).toBe('transferred');
  });

  it('the Lambdas answer a malformed event with a safe string map', async () => {
    for (const fn of Object.values(sb.lambdas)) {
      const { value, output } = await captured(() => fn({ Name: 'ContactFlowEvent', Details: { ContactData: {}, Parameters: { x: '4417123456' } } }));
      expect(value).toMatchObject({ reason: 'bad_event' });
      expect(Object.values(value as object).every((v) => typeof v === 'string')).toBe(true);
      expect(output).toMatch(/bad_event/u);
      expect(output).not.toContain('4417123456');
    }
    const bad = await sb.lambdas.IntakeFunction!({ Name: 'ContactFlowEvent', Details: { ContactData: { ContactId: 'c', CustomerEndpoint: { Address: DANA } }, Parameters: { requestType: 'opt_out' } } });
    expect(bad).toEqual({ result: 'error', reason: 'bad_parameters' });
  });
});

describe('privacy-desk ivr simulate', () => {
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false });
    return { code, out, err };
  };

  it('prints the transcript, the ending and the cases as JSON', async () => {
    const r = await run(['ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', '+14155550101', '--input', '2', '--input', '87654321', '--input', '12021985', '--json']);
    expect(r.err).toMatch(/"handler":"intake"/u); // the Lambdas' log lines go to stderr, stdout is JSON only
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { caller: string; end: { how: string }; cases: Array<{ type: string; verification: string }>; transcript: unknown[] };
    expect(o.caller).toBe('+1******0101');
    expect(o.end.how).toBe('disconnected');
    expect(o.cases).toEqual([expect.objectContaining({ type: 'delete', verification: 'reasonable' })]);
    expect(r.out).not.toContain('87654321');
  });

  it('"cases" are the cases the call created, not the ones a look-up read', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ivr-cases-')), 'cases.sqlite');
    const made = await run(['--db', db, 'ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', '+13035550177', '--input', '2', '--json']);
    const first = JSON.parse(made.out) as { cases: Array<{ id: string; type: string }> };
    expect(first.cases).toEqual([expect.objectContaining({ type: 'delete' })]);
    const status = await run(['--db', db, 'ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', '+13035550177', '--input', '4', '--json']);
    const o = JSON.parse(status.out) as { cases: unknown[]; transcript: Array<{ event: string; result?: Record<string, string> }> };
    expect(o.transcript.some((t) => t.event === 'lambda' && t.result?.caseReference)).toBe(true); // the look-up read a case
    expect(o.cases).toEqual([]);
  });

  it('a Lambda still running when the flow gives up is reported as still running (its late log lines are kept off stdout)', async () => {
    let release: () => void = () => undefined;
    const slow: LambdaHandler = () => new Promise((done) => { release = () => done({ found: 'false' }); });
    const r = await callIn(DANA, ['opt out', '1'], { ...sb.lambdas, CrmLookupFunction: slow }, { CrmLookupFunction: 50 });
    expect(r.stillRunning).toHaveLength(1);
    release();
    await Promise.all(r.stillRunning);
  });

  it('--json prints one JSON document and nothing else on stdout, even when a Lambda cut off by --lambda-timeout-ms logs later', async () => {
    const r = await run(['ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', '+14155550100', '--input', '4', '--lambda-timeout-ms', '1', '--json']);
    await new Promise((done) => setTimeout(done, 1500)); // let the cut-off invocations finish and log
    const o = JSON.parse(r.out) as { end: { how: string }; transcript: Array<{ event: string; ok?: boolean; error?: string }>; stillRunning?: unknown };
    const calls = o.transcript.filter((t) => t.event === 'lambda');
    expect(calls[0]).toMatchObject({ ok: false, error: 'timed out after 1 ms' }); // the CRM look-up (synchronous SQLite) is over the limit: discarded
    expect(o.end.how).toMatch(/transferred|disconnected/u);
    expect(o).not.toHaveProperty('stillRunning');
    expect(r.out.trim().endsWith('}')).toBe(true);
    expect(r.out.trim().split('\n').filter((l) => l.startsWith('{"level"'))).toEqual([]);
  });

  it('rejects bad input with exit 2', async () => {
    expect((await run(['ivr', 'simulate', '--caller', '+14155550101'])).code).toBe(2);
    expect((await run(['ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', 'call me'])).code).toBe(2);
    expect((await run(['ivr', 'simulate', '--flow', 'package.json', '--caller', '+14155550101'])).code).toBe(2);
  });
});

describe('the same calls on a PostgreSQL case store (as the Lambdas run in AWS)', () => {
  it('a known caller opts out and an unknown caller asks for access', async () => {
    const { startPostgres } = await import('../../support/postgres');
    const server = await startPostgres();
    const pgBox = await openSandbox({ appConfig: { dataDir: mkdtempSync(join(tmpdir(), 'ivr-pg-')), db: { kind: 'postgres', url: server.url } } });
    try {
      const run = (caller: string, inputs: string[]) => simulateCall({ flow, template, lambdas: pgBox.lambdas, recognizer: pgBox.recognizer, encrypt: pgBox.encrypt, caller, inputs, parameters: pgBox.parameters });
      const opt = await run(DANA, ['1', '1']);
      const [o] = lambdaResults(opt, 'OptOutFunction');
      expect(o!.result).toMatchObject({ result: 'recorded', applied: 'true' });
      expect((await pgBox.app.call('cases.get', { id: o!.result!.caseReference! }, meta)).status).toBe('closed');
      const access = await run('+13035550123', ['3']);
      const [i] = lambdaResults(access, 'IntakeFunction');
      expect(i!.result).toMatchObject({ result: 'opened_unknown_caller' });
      await pgBox.app.settle(i!.result!.caseReference!);
      expect((await pgBox.app.call('cases.get', { id: i!.result!.caseReference! }, meta))).toMatchObject({ type: 'access', status: 'verifying', channel: 'phone' });
      const status = await run('+13035550123', ['4']);
      expect(lambdaResults(status, 'CrmLookupFunction')[0]!.result).toMatchObject({ found: 'false', openCase: 'true', caseReference: i!.result!.caseReference });
    } finally {
      await pgBox.close();
      await server.stop();
    }
  });
});

describe('a customer the CRM holds too little about', () => {
  it('is not asked questions that cannot verify them: the request is recorded for staff', async () => {
    const box = await openSandbox({ customers: [{ customerId: 'T-1', firstName: 'Tam', email: null, phone: '+13125550100', accountNumber: '77778888', dateOfBirth: '' }] });
    try {
      const r = await simulateCall({ flow, template, lambdas: box.lambdas, recognizer: box.recognizer, encrypt: box.encrypt, caller: '+13125550100', inputs: ['2'], parameters: box.parameters });
      expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result).toMatchObject({ found: 'true', verifiable: 'false', factors: 'accountNumber' });
      expect(visited(r)).not.toContain('Get account number');
      expect(lambdaResults(r, 'IntakeFunction')[0]!.result).toMatchObject({ result: 'opened_unverified' });
    } finally {
      await box.close();
    }
  });
});

describe('a number shared by a family', () => {
  it('verifies the member whose answers match', async () => {
    const box = await openSandbox({ customers: [
      { customerId: 'F-1', firstName: 'Alex', email: 'alex@example.com', phone: '+17185550100', accountNumber: '10101010', dateOfBirth: '1970-01-01' },
      { customerId: 'F-2', firstName: 'Blair', email: 'blair@example.com', phone: '718-555-0100', accountNumber: '20202020', dateOfBirth: '2001-02-02' },
    ] });
    try {
      const r = await simulateCall({ flow, template, lambdas: box.lambdas, recognizer: box.recognizer, encrypt: box.encrypt, caller: '+17185550100', inputs: ['2', '20202020', '02022001'], parameters: box.parameters });
      expect(lambdaResults(r, 'CrmLookupFunction')[0]!.result).toMatchObject({ found: 'multiple', customerId: '' });
      const [i] = lambdaResults(r, 'IntakeFunction');
      expect(i!.result).toMatchObject({ result: 'opened_verified' });
      const ids = await (box.app as unknown as App).call('cases.revealIdentities', { id: i!.result!.caseReference!, reason: 'test: which family member' }, meta);
      expect(ids).toMatchObject({ 'custom:crm_customer_id': 'F-2', email: 'blair@example.com' });
    } finally {
      await box.close();
    }
  });
});

describe('guessing across calls', () => {
  it('locks IVR verification for a number after 5 failed checks in 24 hours, and says so in the audit', async () => {
    const box = await openSandbox({ customers: [{ customerId: 'C-9', firstName: 'Kim', email: null, phone: '+16175550100', accountNumber: '55554444', dateOfBirth: '1979-03-15' }] });
    try {
      const run = (inputs: string[]) => simulateCall({ flow, template, lambdas: box.lambdas, recognizer: box.recognizer, encrypt: box.encrypt, caller: '+16175550100', inputs, parameters: box.parameters });
      const wrong = ['2', '11112222', '01011970', '33334444', '02021971'];
      const results: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        for (const l of lambdaResults(await run(wrong), 'IntakeFunction')) results.push(l.result!.result!);
      }
      // call 1: retry + unverified (2 failures); call 2: the same (4); call 3: the 5th failure locks.
      expect(results).toEqual(['retry', 'opened_unverified', 'retry', 'opened_unverified', 'locked']);
      const right = await run(['2', '55554444', '03151979']);
      const [l] = lambdaResults(right, 'IntakeFunction');
      expect(l!.result).toMatchObject({ result: 'locked', verified: 'false' });
      expect(prompts(right).join(' ')).toMatch(/could not verify your identity on this call/u);
      const audit = await box.app.call('cases.audit', { id: l!.result!.caseReference! }, meta);
      expect(String(audit.find((e) => e.action === 'case.verify')?.detail.note)).toMatch(/locked for this number \(5 failed checks in 24 h\); answers were not checked/u);
    } finally {
      await box.close();
    }
  });
});
