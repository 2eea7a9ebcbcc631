// PII discovery runs for the console (ops datamap.piiDiscovery.*): discovery of a registered system
// or of a connection staff enter runs in the background; the console polls its progress (columns
// looked at / all columns), then reviews the draft per field (accept, change, reject the proposed
// categories) and saves it as the system's data map - validated against the live schema and
// registered through the data-map service like every other map.
//
// Sampled values are tested in memory by shared/adapters/pii-discovery.ts and dropped there: a run
// keeps only the draft (names, categories, shares and counts). Runs live in memory (at most
// MAX_RUNS, the oldest finished ones dropped); an entered PostgreSQL URL stays in the run's memory
// and is stored (encrypted) only when the draft is saved as a system. Every start, end and save is
// an audit entry with names and counts only.
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { AppContext } from '../context';
import type { PiiDraft, PiiDraftField, PiiFieldDecision, PiiRunView } from '../contract/datamap';
import { datamapService } from '../datamap/service';
import { openSource, safeError } from '../datamap/registry';
import { discoverPii, isSampledType, type ColumnFinding, type DiscoveryDraft, type DiscoveryProgress, type ValueKind } from '../../adapters/pii-discovery';
import type { DataSource } from '../../adapters/port';
import { redactMySqlUrl } from '../../adapters/mysql/config';
import { isPersonal } from '../../domain/categories';
import { DataMapError, parseDataMap, unsupportedFeatures, type DataMap, type DataMapCollection, type DataMapField } from '../../domain/datamap';
import type { SystemConnection, SystemRecord } from '../../store/datamap-repo';

const MAX_RUNS = 20;
const MAX_RUNNING = 3;

/** A failure the handler turns into the API's error types. */
export class PiiRunError extends Error {
  constructor(readonly kind: 'input' | 'not_found' | 'state', message: string) { super(message); this.name = 'PiiRunError'; }
}

interface Run {
  id: string;
  system: string | null;
  /** The entered connection (null for a registered system: its connection is read at save time). */
  connection: Extract<SystemConnection, { engine: 'sqlite' | 'postgres' | 'mysql' }> | null;
  engine: string;
  label: string;
  sampleSize: number;
  startedBy: string;
  startedAt: string;
  state: 'running' | 'done' | 'failed';
  progress: DiscoveryProgress;
  finishedAt: string | null;
  error: string | null;
  draft: DiscoveryDraft | null;
  savedAs: string | null;
  savedAt: string | null;
  abort: AbortController;
  done: Promise<void>;
}

const VALUE_WORDS: Record<ValueKind, string> = { email: 'email addresses', phone: 'valid phone numbers', card: 'card numbers passing the Luhn check' };
const key = (collection: string, field: string) => `${collection}\u0000${field}`;

/** Why discovery proposes what it does, in words (names, shares and counts only). */
export function whyOf(f: ColumnFinding, dataType: string): string {
  const values = f.valueKind && f.valueShare !== null
    ? `${Math.round(f.valueShare * 100)} % of ${f.sampled} sampled values are ${VALUE_WORDS[f.valueKind]}`
    : null;
  const name = f.nameCategory ? `column name matches the rule for ${f.nameCategory}` : null;
  const noCheck = !isSampledType(dataType) ? `not sampled (${dataType} column)`
    : f.sampled === 0 ? 'no values to sample'
      : `no value check passed for 60 % of ${f.sampled} sampled values`;
  if (values && name) return f.nameCategory === f.category ? `${name}; ${values}` : `${values} (the column name suggests ${f.nameCategory})`;
  if (values) return values;
  if (name) return name;
  return `no column-name rule matched; ${noCheck}`;
}

function labelOf(c: Extract<SystemConnection, { engine: 'sqlite' | 'postgres' | 'mysql' }>): string {
  if (c.engine === 'sqlite') return `SQLite file ${basename(c.file)}`;
  if (c.engine === 'mysql') {
    try {
      const u = new URL(redactMySqlUrl(c.url));
      return `MySQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
    } catch {
      return 'MySQL';
    }
  }
  try {
    const u = new URL(c.url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'PostgreSQL';
  }
}

export class PiiDiscoveryRuns {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly ctx: AppContext) {}

  private get svc() { return datamapService(this.ctx); }

  private async systemRecord(name: string): Promise<SystemRecord | undefined> {
    return (await this.svc.systems()).find((s) => s.name === name);
  }

  /** Start a run; it goes on in the background (the caller polls status) unless `wait`. */
  async start(input: { system?: string; engine?: 'sqlite' | 'postgres' | 'mysql'; location?: string; sampleSize: number; wait?: boolean }, actor: string): Promise<PiiRunView> {
    const running = [...this.runs.values()].filter((r) => r.state === 'running').length;
    if (running >= MAX_RUNNING) throw new PiiRunError('state', `${running} PII discovery runs are already running; wait for one to finish`);
    let system: string | null = null;
    let connection: Run['connection'] = null;
    let engine: string;
    let label: string;
    let source: DataSource;
    if (input.system !== undefined) {
      const rec = await this.systemRecord(input.system);
      if (!rec) throw new PiiRunError('not_found', `no system ${input.system}`);
      system = rec.name; engine = rec.connection.engine; label = rec.name;
      try { source = await openSource(rec.connection); } catch (e) { throw new PiiRunError('input', `system ${rec.name}: ${safeError(e)}`); }
    } else {
      const loc = input.location!.trim();
      connection = input.engine === 'sqlite' ? { engine: 'sqlite', file: resolve(loc) } : input.engine === 'mysql' ? { engine: 'mysql', url: loc } : { engine: 'postgres', url: loc };
      engine = connection.engine; label = labelOf(connection);
      try { source = await openSource(connection); } catch (e) { throw new PiiRunError('input', `location: ${safeError(e)}`); }
    }
    const at = this.ctx.clock();
    const run: Run = {
      id: randomUUID(), system, connection, engine, label, sampleSize: input.sampleSize, startedBy: actor, startedAt: at.toISOString(),
      state: 'running', progress: { done: 0, total: 0, collection: null }, finishedAt: null, error: null, draft: null,
      savedAs: null, savedAt: null, abort: new AbortController(), done: Promise.resolve(),
    };
    try {
      await this.ctx.audit.append({ caseId: null, actor, action: 'datamap.pii_discovery.started', detail: { runId: run.id, system, engine, sampleSize: run.sampleSize } }, at);
    } catch (e) {
      await source.close().catch(() => undefined);
      throw e;
    }
    this.prune();
    this.runs.set(run.id, run);
    run.done = this.execute(run, source);
    if (input.wait) await run.done;
    return this.view(run);
  }

  private async execute(run: Run, source: DataSource): Promise<void> {
    try {
      const draft = await discoverPii(source, {
        sampleSize: run.sampleSize,
        dataset: run.system ? (await this.systemRecord(run.system))?.map.dataset : undefined,
        // Let the event loop run between columns: the console's status polls are answered meanwhile.
        onProgress: (p) => { run.progress = p; return new Promise<void>((r) => { setImmediate(r); }); },
        signal: run.abort.signal,
      });
      run.draft = draft;
      run.state = 'done';
      const at = this.ctx.clock();
      run.finishedAt = at.toISOString();
      const proposed = draft.findings.filter((f) => f.category !== null);
      await this.ctx.audit.append({ caseId: null, actor: run.startedBy, action: 'datamap.pii_discovery.completed', detail: {
        runId: run.id, system: run.system, engine: run.engine, collections: draft.map.collections.length, columns: draft.findings.length,
        proposed: proposed.length, byName: proposed.filter((f) => f.basis === 'name').length,
        byValues: proposed.filter((f) => f.basis !== 'name').length,
      } }, at).catch(() => undefined);
    } catch (e) {
      run.state = 'failed';
      run.error = run.abort.signal.aborted ? 'stopped: the application closed' : safeError(e);
      const at = this.ctx.clock();
      run.finishedAt = at.toISOString();
      await this.ctx.audit.append({ caseId: null, actor: run.startedBy, action: 'datamap.pii_discovery.failed', detail: { runId: run.id, system: run.system, engine: run.engine, error: run.error } }, at).catch(() => undefined);
    } finally {
      await source.close().catch(() => undefined);
    }
  }

  /** Keep at most MAX_RUNS: drop the oldest finished runs. */
  private prune(): void {
    const finished = [...this.runs.values()].filter((r) => r.state !== 'running');
    while (this.runs.size >= MAX_RUNS && finished.length) this.runs.delete(finished.shift()!.id);
  }

  async status(runId?: string): Promise<PiiRunView | null> {
    const run = runId === undefined ? [...this.runs.values()].at(-1) : this.runs.get(runId);
    if (!run) {
      if (runId !== undefined) throw new PiiRunError('not_found', `no PII discovery run ${runId} (runs are kept in memory until the app closes)`);
      return null;
    }
    return this.view(run);
  }

  private async view(run: Run): Promise<PiiRunView> {
    const current = run.system && run.draft ? (await this.systemRecord(run.system))?.map ?? null : null;
    return {
      runId: run.id, system: run.system, engine: run.engine, label: run.label, state: run.state, progress: { ...run.progress },
      sampleSize: run.sampleSize, startedBy: run.startedBy, startedAt: run.startedAt, finishedAt: run.finishedAt, error: run.error,
      draft: run.draft ? draftView(run.draft, current) : null, savedAs: run.savedAs, savedAt: run.savedAt,
    };
  }

  /** Save the reviewed draft as a system's data map (registered through the data-map service). */
  async save(input: { runId: string; system?: string; fields: PiiFieldDecision[] }, actor: string): Promise<{ system: SystemRecord; accepted: number; changed: number; rejected: number }> {
    const run = this.runs.get(input.runId);
    if (!run) throw new PiiRunError('not_found', `no PII discovery run ${input.runId} (runs are kept in memory until the app closes)`);
    if (run.state !== 'done' || !run.draft) throw new PiiRunError('state', run.state === 'running' ? 'the discovery run has not finished yet' : 'the discovery run failed: there is no draft to save');
    let name: string;
    let connection: SystemConnection;
    let existing: SystemRecord | undefined;
    if (run.system) {
      if (input.system !== undefined && input.system !== run.system) throw new PiiRunError('input', `system: this draft is of system ${run.system}`);
      name = run.system;
      existing = await this.systemRecord(name);
      if (!existing) throw new PiiRunError('not_found', `system ${name} is no longer registered`);
      connection = existing.connection;
    } else {
      if (input.system === undefined) throw new PiiRunError('input', 'system: name the new system to save the draft as');
      name = input.system;
      if (await this.systemRecord(name)) throw new PiiRunError('input', `system: ${name} is already registered (run discovery on it to update its map, or choose another name)`);
      connection = run.connection!;
    }
    const reviewed = reviewedMap(run.draft, existing?.map ?? null, input.fields, name);
    let map: DataMap;
    try { map = parseDataMap(reviewed.map); } catch (e) { throw new PiiRunError('input', e instanceof Error ? e.message : String(e)); }
    const refused = unsupportedFeatures(map, connection.engine);
    if (refused.length) throw new PiiRunError('input', refused.join('; '));
    let rec: SystemRecord;
    try {
      rec = await this.svc.addSystem({ name, connection, map, legalHold: existing?.legalHold ?? null }, actor);
    } catch (e) {
      if (e instanceof DataMapError) throw new PiiRunError('input', e.message);
      throw new PiiRunError('input', `system ${name}: ${safeError(e)}`);
    }
    const at = this.ctx.clock();
    run.savedAs = name; run.savedAt = at.toISOString();
    await this.ctx.audit.append({ caseId: null, actor, action: 'datamap.pii_discovery.saved', detail: {
      runId: run.id, system: name, collections: map.collections.length, accepted: reviewed.accepted, changed: reviewed.changed, rejected: reviewed.rejected,
      personalFields: map.collections.reduce((n, c) => n + c.fields.filter((f) => f.categories.some(isPersonal)).length, 0),
    } }, at);
    return { system: rec, accepted: reviewed.accepted, changed: reviewed.changed, rejected: reviewed.rejected };
  }

  async close(): Promise<void> {
    const running = [...this.runs.values()].filter((r) => r.state === 'running');
    for (const r of running) r.abort.abort();
    await Promise.all(running.map((r) => r.done));
  }
}

const sameCats = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The draft as the console shows it: per collection and field the proposal, why, and the field as mapped now. */
export function draftView(draft: DiscoveryDraft, current: DataMap | null): PiiDraft {
  const findings = new Map(draft.findings.map((f) => [key(f.collection, f.field), f]));
  let proposed = 0; let differing = 0;
  const collections = draft.map.collections.map((c) => {
    const curC = current?.collections.find((x) => x.name === c.name);
    return {
      name: c.name,
      mapped: !!curC,
      fields: c.fields.map((f): PiiDraftField => {
        const fi = findings.get(key(c.name, f.name))!;
        const curF = curC?.fields.find((x) => x.name === f.name);
        const prop = fi.category ? { categories: [fi.category], identity: f.identity ?? null } : null;
        if (prop) {
          proposed += 1;
          if (!curF || !sameCats(curF.categories, prop.categories) || (prop.identity !== null && curF.identity !== prop.identity)) differing += 1;
        }
        return {
          name: f.name, dataType: f.dataType ?? '', primaryKey: f.primaryKey, proposed: prop, basis: fi.basis, why: whyOf(fi, f.dataType ?? ''),
          nameRule: fi.nameCategory, valueCheck: { kind: fi.valueKind, share: fi.valueShare, sampled: fi.sampled },
          current: curF ? { categories: curF.categories, identity: curF.identity ?? null } : null,
          references: f.references.map((r) => ({ collection: r.collection, field: r.field })),
        };
      }),
    };
  });
  return { dataset: draft.map.dataset, collections, totals: { collections: collections.length, columns: draft.findings.length, proposed, differing } };
}

/**
 * The data map to save: the draft with staff decisions applied, merged into the current map when
 * the system has one (its collection settings - erasure, retention, opt-out - and its fields'
 * masking, address parts and references are kept). Per field: accept = the proposal (no proposal:
 * as mapped, else not personal); reject = as mapped, else not personal; change = the categories
 * (and identity) staff gave. Collections enter the map when they are mapped already or hold a
 * personal field or an identity; references to collections left out are dropped.
 */
export function reviewedMap(draft: DiscoveryDraft, current: DataMap | null, decisions: PiiFieldDecision[], systemName: string): { map: DataMap; accepted: number; changed: number; rejected: number } {
  const findings = new Map(draft.findings.map((f) => [key(f.collection, f.field), f]));
  const byKey = new Map<string, PiiFieldDecision>();
  for (const d of decisions) {
    const k = key(d.collection, d.field);
    if (!findings.has(k)) throw new PiiRunError('input', `fields: ${d.collection}.${d.field} is not in the draft`);
    if (byKey.has(k)) throw new PiiRunError('input', `fields: ${d.collection}.${d.field} is decided twice`);
    byKey.set(k, d);
  }
  let accepted = 0; let changed = 0; let rejected = 0;
  const NOT_PERSONAL = ['system.operations'];
  const collections: DataMapCollection[] = [];
  for (const dc of draft.map.collections) {
    const curC = current?.collections.find((x) => x.name === dc.name);
    const fields: DataMapField[] = [];
    const n = { accepted: 0, changed: 0, rejected: 0 };
    const order = [...(curC?.fields.map((f) => f.name) ?? []), ...dc.fields.map((f) => f.name)];
    for (const fname of [...new Set(order)]) {
      const df = dc.fields.find((f) => f.name === fname);
      if (!df) continue; // not in the live schema any more
      const curF = curC?.fields.find((f) => f.name === fname);
      const fi = findings.get(key(dc.name, fname))!;
      const d = byKey.get(key(dc.name, fname)) ?? { collection: dc.name, field: fname, decision: 'accept' as const };
      const proposal = fi.category ? { categories: [fi.category], identity: df.identity } : null;
      let categories: string[];
      let identity: string | undefined;
      if (d.decision === 'change') {
        n.changed += 1;
        categories = [...new Set(d.categories!)];
        identity = d.identity === undefined ? (proposal?.identity ?? curF?.identity) : (d.identity ?? undefined);
      } else if (d.decision === 'accept' && proposal) {
        n.accepted += 1;
        categories = proposal.categories;
        identity = proposal.identity ?? curF?.identity;
      } else {
        if (d.decision === 'reject') n.rejected += 1; else n.accepted += 1;
        categories = curF ? curF.categories : NOT_PERSONAL;
        identity = curF?.identity;
      }
      const base: DataMapField = curF ? { ...curF } : { ...df, references: df.references };
      delete base.identity;
      fields.push({ ...base, categories, ...(identity ? { identity } : {}), primaryKey: curF ? curF.primaryKey || df.primaryKey : df.primaryKey });
    }
    const personal = fields.some((f) => f.identity || f.categories.some(isPersonal));
    if (!curC && !personal) continue;
    accepted += n.accepted; changed += n.changed; rejected += n.rejected;
    collections.push(curC ? { ...curC, fields } : { name: dc.name, erasure: 'mask', fields });
  }
  // Mapped collections first in their order, then new ones in schema order.
  const rank = (n: string) => { const i = current?.collections.findIndex((c) => c.name === n) ?? -1; return i < 0 ? Number.MAX_SAFE_INTEGER : i; };
  collections.sort((a, b) => rank(a.name) - rank(b.name));
  const names = new Map(collections.map((c) => [c.name, new Set(c.fields.map((f) => f.name))]));
  for (const c of collections) for (const f of c.fields) f.references = f.references.filter((r) => (r.dataset && current && r.dataset !== current.dataset) || names.get(r.collection)?.has(r.field));
  const plain = systemName.replace(/[^A-Za-z0-9_]/gu, '_');
  const dataset = current?.dataset ?? (/^[A-Za-z_]/u.test(plain) ? plain : `ds_${plain}`);
  const map: DataMap = current
    ? { ...current, collections }
    : { dataset, description: 'From PII discovery, reviewed by staff.', collections };
  return { map, accepted, changed, rejected };
}

/** The runs registered on the app (created once; closed with the app). */
export function piiDiscoveryRuns(ctx: AppContext): PiiDiscoveryRuns {
  return (ctx.services.piiDiscovery ??= new PiiDiscoveryRuns(ctx));
}
