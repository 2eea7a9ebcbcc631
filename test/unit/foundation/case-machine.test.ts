// The case machine: every transition and guard, with effects provided as plain functions
// (machine.provide) - a unit test of decisions; the engine tests run it against the real store.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { caseMachine, statusOf, type CaseEvent, type CaseInput, type EffectInput } from '../../../shared/domain/case-machine';
import { requiredLevel } from '../../../shared/domain/verification';
import type { CaseType } from '../../../shared/domain/case';

type Calls = Record<string, EffectInput[]>;
interface Opts {
  discover?: { rows: number; review: number; exempt: number; errors: number } | Error;
  check?: { ok: boolean; remaining: number } | Error;
  respondFails?: number;
  executeGate?: Promise<void>;
}

function machineWith(calls: Calls, o: Opts = {}) {
  let respondFails = o.respondFails ?? 0;
  const rec = (name: string, input: EffectInput) => { (calls[name] ??= []).push(input); };
  return caseMachine.provide({
    actors: {
      acknowledge: fromPromise<void, EffectInput>(async ({ input }) => { rec('acknowledge', input); }),
      discover: fromPromise(async ({ input }: { input: EffectInput }) => {
        rec('discover', input);
        if (o.discover instanceof Error) throw o.discover;
        return o.discover ?? { rows: 3, review: 0, exempt: 0, errors: 0 };
      }),
      execute: fromPromise(async ({ input }: { input: EffectInput }) => {
        rec('execute', input);
        if (o.executeGate) await o.executeGate;
        return { deleted: 2, masked: 1, updated: 0, errors: 0 };
      }),
      checkResult: fromPromise(async ({ input }: { input: EffectInput }) => {
        rec('checkResult', input);
        if (o.check instanceof Error) throw o.check;
        return o.check ?? { ok: true, remaining: 0 };
      }),
      respond: fromPromise<void, EffectInput>(async ({ input }) => {
        rec('respond', input);
        if (respondFails > 0) { respondFails -= 1; throw new Error('SES unavailable'); }
      }),
    },
  });
}

const T0 = '2026-03-02T17:00:00.000Z';
const at = (days = 0) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
function input(type: CaseType, extra: Partial<CaseInput> = {}): CaseInput {
  return { caseId: 'PD-T-1', type, strategy: 'exact', jurisdiction: 'CA', receivedAt: T0, requiredLevel: requiredLevel(type, false), autoApprove: false, ...extra };
}
const verify = (points = 2, declaration = false): CaseEvent => ({ type: 'VERIFY', at: at(1), by: 'staff:ana', method: 'staff', dataPoints: points, signedDeclaration: declaration, note: 'matched' });
const status = (a: { getSnapshot(): { value: unknown } }) => statusOf(a.getSnapshot().value);
async function until(a: ReturnType<typeof createActor<typeof caseMachine>>, s: string) {
  await waitFor(a, (snap) => statusOf(snap.value) === s, { timeout: 2000 });
}

describe('case machine', () => {
  it('access: received -> acknowledged -> verifying -> verified -> discovering -> in review -> approved -> responding -> closed', async () => {
    const calls: Calls = {};
    const a = createActor(machineWith(calls), { input: input('access') }).start();
    await until(a, 'verifying');
    expect(calls.acknowledge).toHaveLength(1);
    a.send(verify());
    expect(status(a)).toBe('verified');
    expect(a.getSnapshot().context.verification).toMatchObject({ level: 'reasonable', method: 'staff', by: 'staff:ana' });
    a.send({ type: 'DISCOVER', at: at(2) });
    await until(a, 'in_review');
    expect(a.getSnapshot().context.discovery).toEqual({ rows: 3, review: 0, exempt: 0, errors: 0 });
    a.send({ type: 'APPROVE', at: at(3), by: 'staff:ana' });
    await until(a, 'closed');
    expect(calls.execute).toBeUndefined(); // access never erases
    expect(calls.respond).toHaveLength(1);
    expect(a.getSnapshot().status).toBe('done');
  });

  it('delete with auto-approve runs discover, execute, check and respond after verification', async () => {
    const calls: Calls = {};
    const a = createActor(machineWith(calls), { input: input('delete', { autoApprove: true }) }).start();
    await until(a, 'verifying');
    a.send(verify());
    await until(a, 'closed');
    expect(Object.keys(calls).sort()).toEqual(['acknowledge', 'checkResult', 'discover', 'execute', 'respond']);
    expect(a.getSnapshot().context.execution).toEqual({ deleted: 2, masked: 1, updated: 0, errors: 0 });
    expect(a.getSnapshot().context.check).toEqual({ ok: true, remaining: 0 });
  });

  it.each(['opt_out', 'limit'] as const)('%s skips acknowledgement and verification (the law forbids requiring it)', async (type) => {
    const calls: Calls = {};
    const a = createActor(machineWith(calls), { input: input(type) }).start();
    await until(a, 'closed');
    expect(calls.acknowledge).toBeUndefined();
    expect(calls.execute).toHaveLength(1);
    expect(a.getSnapshot().context.verification.level).toBe('none');
  });

  it('specific pieces need 3 data points and a signed declaration', async () => {
    const a = createActor(machineWith({}), { input: input('access', { requiredLevel: requiredLevel('access', true) }) }).start();
    await until(a, 'verifying');
    a.send(verify(2));
    expect(status(a)).toBe('verifying');
    a.send(verify(3, false));
    expect(status(a)).toBe('verifying');
    a.send(verify(3, true));
    expect(status(a)).toBe('verified');
    expect(a.getSnapshot().context.verification.level).toBe('high');
  });

  it('one data point is not enough for a deletion', async () => {
    const a = createActor(machineWith({}), { input: input('delete') }).start();
    await until(a, 'verifying');
    a.send(verify(1));
    expect(status(a)).toBe('verifying');
    expect(a.getSnapshot().can({ type: 'DISCOVER', at: at(1) })).toBe(false);
  });

  it('approval waits until every shared or exempt row is decided', async () => {
    const a = createActor(machineWith({}, { discover: { rows: 5, review: 2, exempt: 1, errors: 0 } }), { input: input('delete') }).start();
    await until(a, 'verifying');
    a.send(verify());
    a.send({ type: 'DISCOVER', at: at(2) });
    await until(a, 'in_review');
    expect(a.getSnapshot().can({ type: 'APPROVE', at: at(3), by: 'x' })).toBe(false);
    a.send({ type: 'REVIEW_UPDATED', at: at(3), pending: 1 });
    expect(a.getSnapshot().can({ type: 'APPROVE', at: at(3), by: 'x' })).toBe(false);
    a.send({ type: 'REVIEW_UPDATED', at: at(3), pending: 0 });
    a.send({ type: 'APPROVE', at: at(3), by: 'x' });
    await until(a, 'closed');
  });

  it('a failed system keeps the case in review until discovery is retried', async () => {
    const calls: Calls = {};
    const m = machineWith(calls, { discover: { rows: 5, review: 0, exempt: 0, errors: 1 } });
    const a = createActor(m, { input: input('delete', { autoApprove: true }) }).start();
    await until(a, 'verifying');
    a.send(verify());
    await until(a, 'in_review');
    expect(a.getSnapshot().can({ type: 'APPROVE', at: at(3), by: 'x' })).toBe(false);
    a.send({ type: 'DISCOVER', at: at(3) });
    await until(a, 'in_review');
    expect(calls.discover?.map((c) => c.run)).toEqual([1, 2]);
  });

  it('a discovery that throws lands in review with the error recorded', async () => {
    const a = createActor(machineWith({}, { discover: new Error('connection refused') }), { input: input('access') }).start();
    await until(a, 'verifying');
    a.send(verify());
    a.send({ type: 'DISCOVER', at: at(2) });
    await until(a, 'in_review');
    expect(a.getSnapshot().context.lastError).toEqual({ step: 'discover', message: 'connection refused' });
  });

  it('a check that still finds rows sends the case back to review', async () => {
    const a = createActor(machineWith({}, { check: { ok: false, remaining: 2 } }), { input: input('delete', { autoApprove: true }) }).start();
    await until(a, 'verifying');
    a.send(verify());
    await until(a, 'in_review');
    expect(a.getSnapshot().context.lastError?.step).toBe('check');
  });

  it('a failed response stays in responding until retried', async () => {
    const calls: Calls = {};
    const a = createActor(machineWith(calls, { respondFails: 1 }), { input: input('opt_out') }).start();
    await waitFor(a, (s) => s.context.lastError !== null, { timeout: 2000 });
    expect(status(a)).toBe('responding');
    expect(a.getSnapshot().context.lastError?.message).toBe('SES unavailable');
    a.send({ type: 'RETRY', at: at(1) });
    await until(a, 'closed');
    expect(calls.respond?.map((c) => c.run)).toEqual([1, 2]);
  });

  it('hold pauses and resume returns to the same state; the pause is recorded', async () => {
    const a = createActor(machineWith({}), { input: input('delete', { jurisdiction: 'EU' }) }).start();
    await until(a, 'verifying');
    a.send({ type: 'HOLD', at: at(2), reason: 'awaiting_consumer', note: 'asked for a second data point' });
    expect(status(a)).toBe('on_hold');
    expect(a.getSnapshot().context.hold).toMatchObject({ reason: 'awaiting_consumer', resumeTo: 'verifying' });
    a.send({ type: 'RESUME', at: at(5) });
    expect(status(a)).toBe('verifying');
    expect(a.getSnapshot().context.pauses).toEqual([{ from: at(2), to: at(5), reason: 'awaiting_consumer' }]);
    expect(a.getSnapshot().context.hold).toBeNull();
  });

  it('no hold or denial while erasure is running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const a = createActor(machineWith({}, { executeGate: gate }), { input: input('delete', { autoApprove: true }) }).start();
    await until(a, 'verifying');
    a.send(verify());
    await until(a, 'executing');
    expect(a.getSnapshot().can({ type: 'HOLD', at: at(2), reason: 'legal_hold', note: 'x' })).toBe(false);
    expect(a.getSnapshot().can({ type: 'DENY', at: at(2), reason: 'withdrawn', note: null })).toBe(false);
    release();
    await until(a, 'closed');
  });

  it('deny records the reason, from work or from hold', async () => {
    const a = createActor(machineWith({}), { input: input('delete') }).start();
    await until(a, 'verifying');
    a.send({ type: 'DENY', at: at(20), reason: 'unverifiable', note: 'no answer to two requests' });
    expect(status(a)).toBe('denied');
    expect(a.getSnapshot().context.denial).toEqual({ reason: 'unverifiable', note: 'no answer to two requests', at: at(20) });
    const b = createActor(machineWith({}), { input: input('delete') }).start();
    await until(b, 'verifying');
    b.send({ type: 'HOLD', at: at(2), reason: 'legal_hold', note: 'litigation' });
    b.send({ type: 'DENY', at: at(3), reason: 'exempt', note: 'litigation hold' });
    expect(status(b)).toBe('denied');
    expect(b.getSnapshot().context.pauses[0]?.to).toBe(at(3));
  });

  it('extends once, with a reason, before the first due date', async () => {
    const a = createActor(machineWith({}), { input: input('delete') }).start();
    await until(a, 'verifying');
    a.send({ type: 'EXTEND', at: at(10), reason: 'records in archived systems' });
    expect(a.getSnapshot().context.extension).toEqual({ at: at(10), reason: 'records in archived systems' });
    expect(a.getSnapshot().can({ type: 'EXTEND', at: at(11), reason: 'again' })).toBe(false);
    const late = createActor(machineWith({}), { input: input('delete') }).start();
    await until(late, 'verifying');
    expect(late.getSnapshot().can({ type: 'EXTEND', at: at(60), reason: 'too late' })).toBe(false);
  });

  it('restores from a persisted snapshot mid-step and re-runs that step with the same run number', async () => {
    const calls: Calls = {};
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const a = createActor(machineWith(calls, { executeGate: gate }), { input: input('delete', { autoApprove: true }) }).start();
    await until(a, 'verifying');
    a.send(verify());
    await until(a, 'executing');
    const persisted = JSON.parse(JSON.stringify(a.getPersistedSnapshot()));
    a.stop();
    release();
    const calls2: Calls = {};
    const b = createActor(machineWith(calls2), { snapshot: persisted, input: input('delete', { autoApprove: true }) }).start();
    await until(b, 'closed');
    expect(calls.execute?.map((c) => c.run)).toEqual([1]);
    expect(calls2.execute?.map((c) => c.run)).toEqual([1]); // same key "execute#1": the journal answers it
    expect(calls2.discover).toBeUndefined();
  });
});
