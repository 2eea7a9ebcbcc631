// The case engine: runs the pure case machine with the real effects, persists its snapshot on
// every transition (with an audit entry), journals every effect step so a crash never runs a step
// twice, and restores work in progress on start. Actors live only while a case is busy or being
// worked on; resting cases are read from the store (so 100k open cases cost nothing in memory).
import { createActor, fromPromise, waitFor, type Actor, type SnapshotFrom } from 'xstate';
import { randomInt } from 'node:crypto';
import {
  CASE_SNAPSHOT_VERSION, caseMachine, statusOf, type CaseContext, type CaseEvent, type CaseInput,
  type EffectInput,
} from '../domain/case-machine';
import type { CaseStatus, NewCaseParsed, VerificationMethod } from '../domain/case';
import { computeDeadlines } from '../domain/deadlines';
import { levelFor, requiredLevel } from '../domain/verification';
import type { SealedPii, StoredCase } from '../store/ports';
import type { AppContext, CaseEffects, CheckSummary, DiscoverySummary, ExecuteSummary } from './context';
import { ApiInputError, ApiNotFoundError, ApiStateError, type CallMeta } from './api';

type CaseActor = Actor<typeof caseMachine>;
type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

/** States in which an effect runs; everything else is at rest waiting for a person or done. */
const BUSY: ReadonlySet<CaseStatus> = new Set(['received', 'discovering', 'executing', 'checking', 'responding']);
const EFFECT_STEPS = ['acknowledge', 'discover', 'execute', 'checkResult', 'respond'] as const;

/** What the store keeps in `cases.snapshot`. `pending` = created, machine not started yet. */
interface PersistedCase {
  version: number;
  input: CaseInput;
  machine: unknown | null;
}

export interface CaseState { stored: StoredCase; context: CaseContext; status: CaseStatus }

/** A verification recorded when the case is created (the actor is the creator). */
export interface InitialVerification {
  method: Exclude<VerificationMethod, 'none'>;
  dataPoints: number;
  signedDeclaration: boolean;
  note: string;
}

/** What prepareMany needs per case: the validated input, a verification recorded with it, extra detail for `case.created`. */
export interface NewCaseSpec {
  input: NewCaseParsed;
  verification?: InitialVerification;
  auditDetail?: Record<string, unknown>;
}

/** A new case ready to be written (CaseEngine.prepare, then record). */
export interface PreparedCase {
  readonly id: string;
  readonly stored: StoredCase;
  readonly pii: SealedPii;
  readonly audit: ReadonlyArray<{ caseId: string; actor: string; action: string; detail: Record<string, unknown> }>;
  readonly at: Date;
}

/** A transition whose snapshot, status and audit entries have just committed. */
export interface CommittedTransition {
  caseId: string;
  /** The status before (null: not known to this engine). Equal to `to` when only the context changed. */
  from: CaseStatus | null;
  to: CaseStatus;
  /** This transition recorded the extension (EXTEND accepted). */
  extended: boolean;
  /** The machine context as committed. */
  context: CaseContext;
}

/**
 * Work that follows a committed transition (e.g. the consumer's notice of a denial). It runs in the
 * case's queue, so `send` and `settle` return after it; it can neither undo nor fail the
 * transition: a throw is audited as `hook.failed`, and the hook's owner keeps its own safety net.
 */
export type AfterCommitHook = (t: CommittedTransition) => Promise<void>;

export class CaseEngine {
  private readonly actors = new Map<string, CaseActor>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly lastStatus = new Map<string, CaseStatus>();
  private readonly lastError = new Map<string, string | null>();
  /** When the extension last persisted for each case was recorded (null: not extended). */
  private readonly lastExtension = new Map<string, string | null>();
  private readonly afterCommit: Array<{ name: string; run: AfterCommitHook }> = [];
  /** Callers currently using a live actor (a send in progress): such an actor is never dropped. */
  private readonly pins = new Map<string, number>();
  private readonly settledQueues = new WeakSet<Promise<void>>();
  private readonly machine;
  private stopped = false;
  /** Errors from background persistence (surfaced by settle; also audited where possible). */
  private readonly persistErrors = new Map<string, unknown>();

  constructor(private readonly ctx: AppContext) {
    const wrap = <O>(name: keyof CaseEffects) =>
      fromPromise<O, EffectInput>(({ input }) => this.runStep(name, input) as Promise<O>);
    this.machine = caseMachine.provide({
      actors: {
        acknowledge: wrap<void>('acknowledge'),
        discover: wrap<DiscoverySummary>('discover'),
        execute: wrap<ExecuteSummary>('execute'),
        checkResult: wrap<CheckSummary>('checkResult'),
        respond: wrap<void>('respond'),
      },
    });
  }

  /** Restore every case that was busy when the process stopped; they carry on from their snapshot. */
  async start(): Promise<number> {
    const open = await this.ctx.cases.listOpen();
    let resumed = 0;
    for (const c of open) {
      const p = c.snapshot as PersistedCase | null;
      if (BUSY.has(c.status) || !p?.machine) {
        await this.hydrate(c);
        resumed += 1;
      }
    }
    return resumed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.actors.values()) a.stop();
    this.actors.clear();
    await Promise.allSettled([...this.queues.values()]);
  }

  /**
   * Open a case: one transaction writes the case (identities encrypted) and its audit entry.
   * `options.claim` runs first inside that transaction with the new id (e.g. a row under a unique
   * key that says who opened it); if it throws, nothing is written and the error is rethrown.
   * `options.verification` records a verification with the creation (audited as `case.verify`).
   */
  async create(input: NewCaseParsed, meta: CallMeta, options: { claim?: (caseId: string) => Promise<void>; verification?: InitialVerification } = {}): Promise<string> {
    const p = await this.prepare(input, meta, { verification: options.verification });
    await this.ctx.db.tx(async () => {
      if (options.claim) await options.claim(p.id);
      await this.record(p);
    });
    this.lastStatus.set(p.id, 'received');
    await this.hydrate(p.stored);
    return p.id;
  }

  /**
   * Everything of a new case that needs no transaction: its id, deadlines, snapshot and audit
   * details, and its identities encrypted (with KMS a network call). Writes nothing; `record` does,
   * in the caller's transaction.
   */
  async prepare(input: NewCaseParsed, meta: CallMeta, options: Omit<NewCaseSpec, 'input'> = {}): Promise<PreparedCase> {
    return (await this.prepareMany([{ input, ...options }], meta))[0]!;
  }

  /**
   * prepare for many cases (a batch): their ids are checked against the store in one query and
   * never repeat within the batch nor any id in `reserved` (ids prepared but not written yet, e.g.
   * the batch being written meanwhile; the new ids are added to it), and the encryption runs a few
   * at a time.
   */
  async prepareMany(specs: readonly NewCaseSpec[], meta: CallMeta, options: { concurrency?: number; reserved?: Set<string> } = {}): Promise<PreparedCase[]> {
    const now = this.ctx.clock();
    for (const { input } of specs) {
      if (input.receivedAt && Date.parse(input.receivedAt) > now.getTime() + 60_000) throw new ApiInputError('receivedAt: must not be in the future');
    }
    const ids = await this.newIds(now, specs.length, options.reserved);
    const cases = specs.map(({ input, verification: v, auditDetail }, k) => {
      const id = ids[k]!;
      const receivedAt = input.receivedAt ?? now.toISOString();
      const machineInput: CaseInput = {
        caseId: id, type: input.type, strategy: input.strategy, jurisdiction: input.jurisdiction,
        receivedAt, requiredLevel: requiredLevel(input.type, input.specificPieces), autoApprove: input.autoApprove,
        ...(v ? {
          verification: {
            level: levelFor(v.dataPoints, v.signedDeclaration), method: v.method, dataPoints: v.dataPoints,
            signedDeclaration: v.signedDeclaration, by: meta.actor, at: now.toISOString(), note: v.note,
          },
        } : {}),
      };
      const d = computeDeadlines({ jurisdiction: input.jurisdiction, type: input.type, receivedAt, extended: false, pauses: [] });
      const stored: StoredCase = {
        id, type: input.type, strategy: input.strategy, jurisdiction: input.jurisdiction, channel: input.channel,
        status: 'received', receivedAt, acknowledgeBy: d.acknowledge, respondBy: d.respond,
        assignee: input.assignee ?? null, closedAt: null, updatedAt: now.toISOString(), createdAt: now.toISOString(),
        snapshot: { version: CASE_SNAPSHOT_VERSION, input: machineInput, machine: null } satisfies PersistedCase,
        snapshotVersion: CASE_SNAPSHOT_VERSION, purgedAt: null,
      };
      const audit: Array<PreparedCase['audit'][number]> = [{
        caseId: id, actor: meta.actor, action: 'case.created',
        detail: {
          type: input.type, strategy: input.strategy, jurisdiction: input.jurisdiction, channel: input.channel,
          identityKinds: Object.keys(input.identities).filter((key) => (input.identities as Record<string, unknown>)[key] !== undefined),
          agent: input.agent ? true : false, requiredLevel: machineInput.requiredLevel, autoApprove: input.autoApprove,
          acknowledgeBy: d.acknowledge, respondBy: d.respond, ...auditDetail,
        },
      }];
      if (v) audit.push({ caseId: id, actor: meta.actor, action: 'case.verify', detail: { method: v.method, dataPoints: v.dataPoints, signedDeclaration: v.signedDeclaration, note: v.note } });
      return { id, stored, audit, input };
    });
    const out = new Array<PreparedCase>(cases.length);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 4), cases.length) }, async () => {
      for (let k = next++; k < cases.length; k = next++) {
        const c = cases[k]!;
        const pii = await this.ctx.cases.seal(c.id, c.input.identities, c.input.agent ?? null);
        out[k] = { id: c.id, stored: c.stored, pii, audit: c.audit, at: now };
      }
    }));
    return out;
  }

  /**
   * Write a prepared case: its row, encrypted identities, look-up hashes and audit entries, inside
   * the caller's transaction (or one of its own). The machine is not started: `wake` starts it, and
   * an engine that starts later restores it like any case that never ran.
   */
  async record(p: PreparedCase): Promise<void> {
    await this.recordMany([p]);
  }

  /** record for many cases: a few multi-row statements per table, the audit entries chained in order. */
  async recordMany(list: readonly PreparedCase[]): Promise<void> {
    if (!list.length) return;
    const write = async () => {
      await this.ctx.cases.insertSealedMany(list.map((p) => ({ c: p.stored, pii: p.pii })));
      const entries = list.flatMap((p) => p.audit.map((e) => ({ ...e, at: p.at })));
      if (this.ctx.audit.appendMany) await this.ctx.audit.appendMany(entries);
      else for (const e of entries) await this.ctx.audit.append(e, e.at);
    };
    if (this.ctx.db.inTransaction?.()) await write();
    else await this.ctx.db.tx(write);
  }

  /** Start a case's machine here if it is not live (a case recorded but never started, or resting). */
  async wake(caseId: string): Promise<void> {
    if (this.stopped || this.actors.has(caseId)) return;
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new ApiNotFoundError(`no case ${caseId}`);
    if (!this.actors.has(caseId)) await this.hydrate(stored);
  }

  /**
   * Send a staff/system event. Refused (ApiStateError) when the case's state does not accept it,
   * so a button pressed twice or a stale screen cannot move a case wrongly.
   */
  async send(caseId: string, event: CaseEvent, meta: CallMeta, audit: { action: string; detail?: Record<string, unknown> }): Promise<void> {
    this.pins.set(caseId, (this.pins.get(caseId) ?? 0) + 1);
    try {
      const actor = await this.actorFor(caseId);
      const snap = actor.getSnapshot();
      if (snap.status !== 'active' || !snap.can(event)) {
        throw new ApiStateError(`case ${caseId} is ${statusOf(snap.value)}: "${event.type.toLowerCase()}" is not allowed now`);
      }
      await this.ctx.audit.append({ caseId, actor: meta.actor, action: audit.action, detail: audit.detail ?? {} }, this.ctx.clock());
      actor.send(event);
      await this.drain(caseId);
    } finally {
      const n = (this.pins.get(caseId) ?? 1) - 1;
      if (n > 0) this.pins.set(caseId, n); else this.pins.delete(caseId);
      this.dropIfResting(caseId);
    }
    const err = this.persistErrors.get(caseId);
    if (err) { this.persistErrors.delete(caseId); throw err; }
  }

  /**
   * Run `hook` after every committed transition that changes a case's status or records its
   * extension, whatever sent the event (staff op, CLI, code check, Lambda). Hooks run in the order
   * registered, one transition at a time per case.
   */
  onCommitted(name: string, hook: AfterCommitHook): void {
    this.afterCommit.push({ name, run: hook });
  }

  /** Resolves when the case rests (waiting for a person, on hold, closed or denied) and is persisted. */
  async settle(caseId: string): Promise<void> {
    const actor = this.actors.get(caseId);
    if (actor) {
      await waitFor(actor, (s) => isResting(s), { timeout: Infinity });
    }
    await this.drain(caseId);
    const err = this.persistErrors.get(caseId);
    if (err) { this.persistErrors.delete(caseId); throw err; }
  }

  /** Current state of a case: from the live actor when there is one, else from the store. */
  async state(caseId: string): Promise<CaseState> {
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new ApiNotFoundError(`no case ${caseId}`);
    const actor = this.actors.get(caseId);
    if (actor) {
      const s = actor.getSnapshot();
      return { stored, context: s.context, status: statusOf(s.value) };
    }
    return { stored, context: contextOf(stored), status: stored.status };
  }

  isBusy(caseId: string): boolean {
    const a = this.actors.get(caseId);
    return a ? !isResting(a.getSnapshot()) : false;
  }

  // ---------------------------------------------------------------------------------------------

  private async actorFor(caseId: string): Promise<CaseActor> {
    const live = this.actors.get(caseId);
    if (live) return live;
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new ApiNotFoundError(`no case ${caseId}`);
    return this.actors.get(caseId) ?? this.hydrate(stored);
  }

  private async hydrate(stored: StoredCase): Promise<CaseActor> {
    const p = stored.snapshot as PersistedCase;
    if (!p || typeof p !== 'object' || !('input' in p)) throw new Error(`case ${stored.id} has no engine snapshot`);
    if (p.version > CASE_SNAPSHOT_VERSION) {
      throw new Error(`case ${stored.id} was saved by a newer PrivacyDesk (snapshot v${p.version}); upgrade to work on it`);
    }
    const actor = p.machine
      ? createActor(this.machine, { snapshot: p.machine as CaseSnapshot, input: p.input })
      : createActor(this.machine, { input: p.input });
    this.actors.set(stored.id, actor);
    if (!this.lastStatus.has(stored.id)) this.lastStatus.set(stored.id, stored.status);
    if (!this.lastError.has(stored.id)) this.lastError.set(stored.id, p.machine ? (actor.getSnapshot().context.lastError?.message ?? null) : null);
    if (!this.lastExtension.has(stored.id)) this.lastExtension.set(stored.id, p.machine ? (actor.getSnapshot().context.extension?.at ?? null) : null);
    actor.subscribe({
      next: (s) => this.enqueuePersist(stored.id, actor, s, p.input),
      error: (e) => this.persistErrors.set(stored.id, e),
    });
    actor.start();
    this.enqueuePersist(stored.id, actor, actor.getSnapshot(), p.input);
    return actor;
  }

  private enqueuePersist(caseId: string, actor: CaseActor, snap: CaseSnapshot, input: CaseInput): void {
    if (this.stopped) return;
    // Capture this exact snapshot now; write it in order after the ones before it.
    const persisted: PersistedCase = { version: CASE_SNAPSHOT_VERSION, input, machine: actor.getPersistedSnapshot() };
    const json = JSON.parse(JSON.stringify(persisted)) as PersistedCase;
    const status = statusOf(snap.value);
    const context = snap.context;
    const prev = this.queues.get(caseId) ?? Promise.resolve();
    const next: Promise<void> = prev.then(() => this.persist(caseId, json, status, context)).catch((e: unknown) => {
      this.persistErrors.set(caseId, e);
    }).finally(() => { this.settledQueues.add(next); });
    this.queues.set(caseId, next);
    if (snap.status === 'done' || (isResting(snap) && !BUSY.has(status))) {
      // Resting: drop the live actor once persisted; it is rebuilt from the store on the next event.
      void next.then(() => this.dropIfResting(caseId, actor));
    }
  }

  private dropIfResting(caseId: string, expected?: CaseActor): void {
    const actor = this.actors.get(caseId);
    if (!actor || (expected && actor !== expected) || this.pins.has(caseId)) return;
    const snap = actor.getSnapshot();
    if (!isResting(snap) || (snap.status === 'active' && BUSY.has(statusOf(snap.value)))) return;
    if (this.queues.get(caseId) && !this.settledQueues.has(this.queues.get(caseId)!)) {
      void this.queues.get(caseId)!.then(() => this.dropIfResting(caseId, actor));
      return;
    }
    actor.stop();
    this.actors.delete(caseId);
  }

  private async persist(caseId: string, snapshot: PersistedCase, status: CaseStatus, context: CaseContext): Promise<void> {
    if (this.stopped) return;
    const now = this.ctx.clock();
    const d = computeDeadlines({
      jurisdiction: context.jurisdiction, type: context.type, receivedAt: context.receivedAt,
      extended: context.extension !== null, pauses: context.pauses,
    }, now);
    const from = this.lastStatus.get(caseId);
    const err = context.lastError ? `${context.lastError.step}: ${context.lastError.message}` : null;
    const prevErr = this.lastError.get(caseId) ?? null;
    await this.ctx.db.tx(async () => {
      await this.ctx.cases.update(caseId, {
        status, snapshot, snapshotVersion: CASE_SNAPSHOT_VERSION, acknowledgeBy: d.acknowledge, respondBy: d.respond,
        updatedAt: now.toISOString(),
        ...(status === 'closed' || status === 'denied' ? { closedAt: now.toISOString() } : {}),
      });
      if (from !== status) {
        await this.ctx.audit.append({ caseId, actor: 'engine', action: 'case.status', detail: { from: from ?? null, to: status } }, now);
      }
      if (err !== prevErr && err) {
        await this.ctx.audit.append({ caseId, actor: 'engine', action: 'case.error', detail: { step: context.lastError?.step, message: context.lastError?.message } }, now);
      }
    });
    this.lastStatus.set(caseId, status);
    this.lastError.set(caseId, err);
    const ext = context.extension?.at ?? null;
    const extended = ext !== null && ext !== (this.lastExtension.get(caseId) ?? null);
    this.lastExtension.set(caseId, ext);
    if (from !== status || extended) await this.runAfterCommit({ caseId, from: from ?? null, to: status, extended, context });
  }

  /** The after-commit hooks of one transition; a failing hook is audited and never fails the transition. */
  private async runAfterCommit(t: CommittedTransition): Promise<void> {
    for (const h of this.afterCommit) {
      if (this.stopped) return;
      try {
        await h.run(t);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await this.ctx.audit.append({ caseId: t.caseId, actor: 'engine', action: 'hook.failed', detail: { hook: h.name, to: t.to, error: message.slice(0, 500) } }, this.ctx.clock())
          .catch(() => undefined);
      }
    }
  }

  private async drain(caseId: string): Promise<void> {
    for (;;) {
      const q = this.queues.get(caseId);
      if (!q) return;
      await q;
      if (this.queues.get(caseId) === q) return;
    }
  }

  /** Run one effect step exactly once per (case, step key); the journal answers repeats. */
  private async runStep(name: (typeof EFFECT_STEPS)[number], input: EffectInput): Promise<unknown> {
    const key = `${name}#${input.run}`;
    const seen = await this.ctx.steps.get(input.caseId, key);
    if (seen) {
      // Completed before a restart: answer from the journal, never run it again.
      await this.ctx.audit.append({ caseId: input.caseId, actor: 'engine', action: 'step.replayed', detail: { step: key } }, this.ctx.clock());
      return seen.result;
    }
    await this.ctx.audit.append({ caseId: input.caseId, actor: 'engine', action: 'step.started', detail: { step: key } }, this.ctx.clock());
    let result: unknown;
    try {
      result = await (this.ctx.effects[name] as (id: string, step: { key: string }) => Promise<unknown>)(input.caseId, { key });
    } catch (e) {
      if (this.stopped) throw e;
      const message = e instanceof Error ? e.message : String(e);
      await this.ctx.audit.append({ caseId: input.caseId, actor: 'engine', action: 'step.failed', detail: { step: key, error: message.slice(0, 500) } }, this.ctx.clock());
      throw e;
    }
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      const done = await this.ctx.steps.get(input.caseId, key);
      if (!done) await this.ctx.steps.complete(input.caseId, key, result ?? null, at);
      await this.ctx.audit.append({ caseId: input.caseId, actor: 'engine', action: 'step.completed', detail: { step: key, result: (result ?? null) as unknown } }, at);
    });
    return result;
  }

  /** `n` new case ids "PD-<day>-<6 characters>", none in the store nor in `reserved` (then added to it), no two alike. */
  private async newIds(now: Date, n: number, reserved?: Set<string>): Promise<string[]> {
    const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    const day = now.toISOString().slice(0, 10).replace(/-/gu, '');
    const ids = new Set<string>();
    while (ids.size < n) {
      const fresh = new Set<string>();
      while (ids.size + fresh.size < n) {
        let s = '';
        for (let i = 0; i < 6; i += 1) s += alphabet[randomInt(alphabet.length)];
        const id = `PD-${day}-${s}`;
        if (!ids.has(id) && !fresh.has(id) && !reserved?.has(id)) { fresh.add(id); reserved?.add(id); }
      }
      const taken = await this.ctx.cases.existingIds([...fresh]);
      for (const id of fresh) {
        if (!taken.has(id)) ids.add(id);
        else reserved?.delete(id);
      }
    }
    return [...ids];
  }
}

function isResting(s: CaseSnapshot): boolean {
  if (s.status !== 'active') return true;
  return Object.values(s.children as Record<string, { getSnapshot(): { status: string } } | undefined>)
    .every((c) => !c || c.getSnapshot().status !== 'active');
}

/** The machine context stored in a case row (a case never started has only its input). */
export function contextOf(stored: StoredCase): CaseContext {
  const p = stored.snapshot as PersistedCase;
  const m = p?.machine as { context?: CaseContext } | null;
  if (m?.context) return m.context;
  const fresh = createActor(caseMachine, { input: p.input });
  return fresh.getSnapshot().context;
}
