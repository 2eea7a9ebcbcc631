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
import type { CaseStatus, CaseType, NewCaseParsed, VerificationMethod } from '../domain/case';
import { computeDeadlines } from '../domain/deadlines';
import { levelFor, requiredLevel } from '../domain/verification';
import type { SealedPii, StoredCase } from '../store/ports';
import { SqlCaseLeases, newLeaseOwner } from '../store/case-leases';
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

/** Persisting a case's transition found its lease held by another worker (this process lost it). */
export class LeaseLostError extends ApiStateError {
  constructor(readonly caseId: string) {
    super(`case ${caseId} was taken over by another worker (this process's lease on it expired); its work goes on there`);
    this.name = 'LeaseLostError';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => { setTimeout(r, ms).unref?.(); });

export class CaseEngine {
  /** Which cases this engine runs steps for (AppConfig.work). */
  readonly work: 'all' | 'own' | 'none';
  /** This engine's leases (case_leases): one worker per busy case across processes. */
  readonly leases: SqlCaseLeases;
  private readonly pollMs: number;
  private readonly maxCases: number;
  /** Cases whose lease this engine holds; a live actor exists only under a lease. */
  private readonly held = new Set<string>();
  /** Cases whose next step was left to a worker (work: none, or the lease was lost). */
  private readonly parked = new Set<string>();
  private readonly offWaiters = new Map<string, Array<() => void>>();
  /** Effect steps in flight per case (their lease is not released on stop: it expires). */
  private readonly running = new Map<string, number>();
  private renewTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Lease releases under way per case: a new lease waits for it (else the late DELETE would drop it); stop waits for them all. */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly actors = new Map<string, CaseActor>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly lastStatus = new Map<string, CaseStatus>();
  private readonly lastError = new Map<string, string | null>();
  /** When the extension last persisted for each case was recorded (null: not extended). */
  private readonly lastExtension = new Map<string, string | null>();
  private readonly afterCommit: Array<{ name: string; run: AfterCommitHook }> = [];
  /** Checks a staff event must pass before it reaches the machine (the four-eyes rule); each throws to refuse. */
  private readonly gates: Array<(caseId: string, event: CaseEvent, meta: CallMeta, type: CaseType) => Promise<void>> = [];
  /** Decides whether a new case may keep auto-approval (off for erasure while four-eyes applies). */
  private autoApproveGate: ((type: CaseType, autoApprove: boolean) => Promise<boolean>) | null = null;
  /** Callers currently using a live actor (a send in progress): such an actor is never dropped. */
  private readonly pins = new Map<string, number>();
  private readonly settledQueues = new WeakSet<Promise<void>>();
  private readonly machine;
  private stopped = false;
  /** Errors from background persistence (surfaced by settle; also audited where possible). */
  private readonly persistErrors = new Map<string, unknown>();

  constructor(private readonly ctx: AppContext) {
    const cfg = ctx.config;
    this.work = cfg.work ?? (cfg.runEngine === false ? 'own' : 'all');
    this.leases = new SqlCaseLeases(ctx.db, newLeaseOwner(), Math.max(200, cfg.lease?.ttlMs ?? 30_000));
    this.pollMs = Math.max(50, cfg.lease?.pollMs ?? 2000);
    this.maxCases = Math.max(1, cfg.lease?.maxCases ?? 16);
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

  /**
   * Claim the busy cases nobody works on (no lease, an expired one, a dead local owner's) and carry
   * them on from their snapshot. A worker (work: all) claims up to maxCases and then polls for
   * more every pollMs; `own` claims them once (a restart that finishes its own work); `none` never.
   */
  async start(): Promise<number> {
    if (this.work === 'none' || this.stopped) return 0;
    const resumed = await this.claimAndHydrate(this.work === 'all' ? this.maxCases : 100_000);
    if (this.work === 'all' && !this.pollTimer) {
      this.pollTimer = setInterval(() => { void this.poll(); }, this.pollMs);
      this.pollTimer.unref?.();
    }
    return resumed;
  }

  /** One claim round of a worker (also run by its timer). */
  async poll(): Promise<void> {
    if (this.stopped || this.work !== 'all') return;
    if (this.polling) return this.polling;
    this.polling = this.claimAndHydrate(this.maxCases - this.actors.size).then(() => undefined, () => undefined)
      .finally(() => { this.polling = null; });
    return this.polling;
  }

  private async claimAndHydrate(limit: number): Promise<number> {
    if (limit <= 0 || this.stopped) return 0;
    const ids = await this.leases.claim([...BUSY], limit, new Set([...this.actors.keys(), ...this.held, ...this.releasing.keys()]));
    for (const id of ids) this.held.add(id);
    if (ids.length) this.ensureRenewal();
    // Read every claimed case before starting any: a started case's steps share the store's
    // connection (on SQLite one, whose transactions run one at a time), so reading the next case
    // after starting one would wait behind that case's steps, leaving the rest claimed and idle
    // for as long as its steps take (an erasure: minutes) while no other worker may take them.
    const loaded: StoredCase[] = [];
    for (const id of ids) {
      if (this.stopped) break;
      const stored = await this.ctx.cases.get(id);
      if (!stored || !BUSY.has(stored.status) || this.actors.has(id)) {
        if (!this.actors.has(id)) await this.releaseLease(id);
        continue;
      }
      loaded.push(stored);
    }
    let resumed = 0;
    for (const [k, stored] of loaded.entries()) {
      if (this.stopped || this.actors.has(stored.id)) continue;
      try {
        await this.hydrate(stored);
      } catch (e) {
        for (const rest of loaded.slice(k)) if (!this.actors.has(rest.id)) await this.releaseLease(rest.id);
        throw e;
      }
      resumed += 1;
    }
    return resumed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.pollTimer = this.renewTimer = null;
    for (const a of this.actors.values()) a.stop();
    this.actors.clear();
    await Promise.allSettled([...this.queues.values(), ...(this.polling ? [this.polling] : [])]);
    await Promise.allSettled([...this.releasing.values()]);
    // A step still running keeps its lease until it expires: nobody else starts it meanwhile.
    for (const id of [...this.held]) {
      if (!this.running.has(id)) await this.leases.release(id).catch(() => undefined);
    }
    this.held.clear();
    for (const id of [...this.offWaiters.keys()]) this.signalOff(id);
  }

  /** The owner id this engine's leases carry (host/pid-namespace/pid/random). */
  get owner(): string { return this.leases.owner; }

  /** Case ids this engine holds the lease of. */
  heldCases(): string[] { return [...this.held]; }

  /** Take a case's lease (waiting up to waitMs while another process holds it). */
  private async lease(caseId: string, waitMs: number): Promise<boolean> {
    if (this.held.has(caseId)) return true;
    const until = Date.now() + waitMs;
    for (;;) {
      await this.releasing.get(caseId);
      if (this.held.has(caseId)) return true;
      if (await this.leases.acquire(caseId)) {
        this.held.add(caseId);
        this.ensureRenewal();
        return true;
      }
      if (this.stopped || Date.now() >= until) return false;
      await sleep(100);
    }
  }

  private releaseLease(caseId: string, idle = false): Promise<void> {
    if (!this.held.delete(caseId)) return Promise.resolve();
    const p: Promise<void> = this.leases.release(caseId, idle).catch(() => undefined)
      .finally(() => { if (this.releasing.get(caseId) === p) this.releasing.delete(caseId); });
    this.releasing.set(caseId, p);
    return p;
  }

  private ensureRenewal(): void {
    if (this.renewTimer || this.stopped) return;
    this.renewTimer = setInterval(() => { void this.renew(); }, Math.max(50, Math.floor(this.leases.ttlMs / 3)));
    this.renewTimer.unref?.();
  }

  /** Extend every lease held; a case whose lease was taken over is dropped here (its new owner goes on). */
  private async renew(): Promise<void> {
    if (this.stopped) return;
    const ids = [...this.held];
    if (!ids.length) return;
    let ours: Set<string>;
    try { ours = await this.leases.renew(ids); } catch { return; }
    for (const id of ids) if (!ours.has(id) && this.held.has(id)) this.lose(id);
  }

  /** This process no longer holds the case: stop its actor without persisting anything more. */
  private lose(caseId: string): void {
    this.held.delete(caseId);
    const actor = this.actors.get(caseId);
    if (actor) { actor.stop(); this.actors.delete(caseId); }
    this.parked.delete(caseId);
    this.signalOff(caseId);
  }

  private signalOff(caseId: string): void {
    const w = this.offWaiters.get(caseId);
    if (!w) return;
    this.offWaiters.delete(caseId);
    for (const f of w) f();
  }

  /** Resolves when this process stops working on the case (its step parked for a worker, or its lease lost). */
  private whenOff(caseId: string): Promise<void> {
    return new Promise((resolve) => {
      const w = this.offWaiters.get(caseId) ?? [];
      w.push(resolve);
      this.offWaiters.set(caseId, w);
    });
  }

  /** Leave the step to a worker: it never runs here; once persisted, the actor is dropped and the lease released. */
  private park(caseId: string): Promise<never> {
    this.parked.add(caseId);
    this.signalOff(caseId);
    void this.drain(caseId).then(() => this.dropIfResting(caseId));
    return new Promise<never>(() => undefined);
  }

  /**
   * Open a case: one transaction writes the case (identities encrypted) and its audit entry.
   * `options.claim` runs first inside that transaction with the new id (e.g. a row under a unique
   * key that says who opened it); if it throws, nothing is written and the error is rethrown.
   * `options.verification` records a verification with the creation (audited as `case.verify`).
   */
  async create(input: NewCaseParsed, meta: CallMeta, options: { claim?: (caseId: string) => Promise<void>; verification?: InitialVerification } = {}): Promise<string> {
    const p = await this.prepare(input, meta, { verification: options.verification });
    const leased = await this.ctx.db.tx(async () => {
      if (options.claim) await options.claim(p.id);
      await this.record(p);
      // The lease commits with the case: a worker polling meanwhile never takes it from under us.
      return this.work !== 'none' && !this.stopped ? this.leases.acquire(p.id) : false;
    });
    this.lastStatus.set(p.id, 'received');
    if (!leased) return p.id; // work: none: a worker starts it
    this.held.add(p.id);
    this.ensureRenewal();
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
    const gate = this.autoApproveGate;
    const autoApprove = gate ? await Promise.all(specs.map(({ input }) => gate(input.type, input.autoApprove))) : specs.map(({ input }) => input.autoApprove);
    const cases = specs.map(({ input: given, verification: v, auditDetail }, k) => {
      const id = ids[k]!;
      const input = given.autoApprove === autoApprove[k] ? given : { ...given, autoApprove: autoApprove[k]! };
      const receivedAt = input.receivedAt ?? now.toISOString();
      const machineInput: CaseInput = {
        caseId: id, type: input.type, strategy: input.strategy, jurisdiction: input.jurisdiction,
        receivedAt, requiredLevel: requiredLevel(input.type, input.specificPieces), autoApprove: input.autoApprove,
        ...(input.locale ? { locale: input.locale } : {}),
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
    if (this.stopped || this.actors.has(caseId) || this.work === 'none') return;
    if (!(await this.ctx.cases.get(caseId))) throw new ApiNotFoundError(`no case ${caseId}`);
    if (!(await this.lease(caseId, 0))) return; // another process works on it
    const stored = await this.ctx.cases.get(caseId);
    if (this.actors.has(caseId) || !stored) return;
    try {
      await this.hydrate(stored);
    } catch (e) {
      await this.releaseLease(caseId);
      throw e;
    }
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
      if (snap.status === 'active' && snap.can(event)) {
        for (const gate of this.gates) await gate(caseId, event, meta, snap.context.type);
      }
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
  /** Add a check every staff event must pass (runs only for an event the case's state accepts). */
  addGate(gate: (caseId: string, event: CaseEvent, meta: CallMeta, type: CaseType) => Promise<void>): void {
    this.gates.push(gate);
  }

  setAutoApproveGate(gate: (type: CaseType, autoApprove: boolean) => Promise<boolean>): void {
    this.autoApproveGate = gate;
  }

  onCommitted(name: string, hook: AfterCommitHook): void {
    this.afterCommit.push({ name, run: hook });
  }

  /** Resolves when the case rests (waiting for a person, on hold, closed or denied) and is persisted. */
  async settle(caseId: string): Promise<void> {
    const actor = this.actors.get(caseId);
    if (actor && !this.parked.has(caseId)) {
      await Promise.race([waitFor(actor, (s) => isResting(s), { timeout: Infinity }).catch(() => undefined), this.whenOff(caseId)]);
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
    if (!(await this.ctx.cases.get(caseId))) throw new ApiNotFoundError(`no case ${caseId}`);
    if (this.stopped) throw new ApiStateError('the case engine is stopped');
    // The lease first, then the snapshot as stored: whatever another process did is seen here.
    if (!(await this.lease(caseId, 10_000))) {
      const h = await this.leases.holder(caseId);
      throw new ApiStateError(`case ${caseId} is being worked on by another process (${h?.owner ?? 'a worker'}); try again when its step finishes`);
    }
    const again = this.actors.get(caseId);
    if (again) return again;
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) { await this.releaseLease(caseId); throw new ApiNotFoundError(`no case ${caseId}`); }
    try {
      return this.actors.get(caseId) ?? await this.hydrate(stored);
    } catch (e) {
      if (!this.actors.has(caseId)) await this.releaseLease(caseId);
      throw e;
    }
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
      if (e instanceof LeaseLostError) this.lose(caseId);
    }).finally(() => { this.settledQueues.add(next); });
    this.queues.set(caseId, next);
    if (snap.status === 'done' || isResting(snap)) {
      // Resting: drop the live actor once persisted (and give its lease up); it is rebuilt from the
      // store on the next event, in whichever process sends it.
      void next.then(() => this.dropIfResting(caseId, actor));
    }
  }

  private dropIfResting(caseId: string, expected?: CaseActor): void {
    const actor = this.actors.get(caseId);
    if (!actor || (expected && actor !== expected) || this.pins.has(caseId)) return;
    const snap = actor.getSnapshot();
    const parked = this.parked.has(caseId);
    if (!parked && !isResting(snap)) return;
    if (this.queues.get(caseId) && !this.settledQueues.has(this.queues.get(caseId)!)) {
      void this.queues.get(caseId)!.then(() => this.dropIfResting(caseId, actor));
      return;
    }
    actor.stop();
    this.actors.delete(caseId);
    this.parked.delete(caseId);
    // Resting in a busy status (a failed step waiting for a retry...): workers must not claim it.
    void this.releaseLease(caseId, !parked && snap.status === 'active' && BUSY.has(statusOf(snap.value)));
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
      // Fencing: only the lease holder's snapshot commits (after the case row: lock order cases, leases).
      if (!(await this.leases.holds(caseId))) throw new LeaseLostError(caseId);
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
    // Only the lease holder runs a step; anywhere else it is left to a worker (never run, never replayed).
    if (this.work === 'none' || this.stopped || !this.held.has(input.caseId) || !(await this.leases.holds(input.caseId))) {
      return this.park(input.caseId);
    }
    this.running.set(input.caseId, (this.running.get(input.caseId) ?? 0) + 1);
    try {
      return await this.runHeldStep(name, key, input);
    } finally {
      const n = (this.running.get(input.caseId) ?? 1) - 1;
      if (n > 0) this.running.set(input.caseId, n); else this.running.delete(input.caseId);
    }
  }

  private async runHeldStep(name: (typeof EFFECT_STEPS)[number], key: string, input: EffectInput): Promise<unknown> {
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
      // Another worker completed this step meanwhile (it held the case before us: a stalled owner
      // whose lease expired); the effect's own transaction rolled back. Answer from the journal.
      if ((e as Error)?.name === 'StepAlreadyCompletedError') {
        const done = await this.ctx.steps.get(input.caseId, key);
        if (done) {
          await this.ctx.audit.append({ caseId: input.caseId, actor: 'engine', action: 'step.replayed', detail: { step: key, reason: 'completed by another worker' } }, this.ctx.clock());
          return done.result;
        }
      }
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
