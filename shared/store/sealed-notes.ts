// Staff free text sealed at rest (issue 13 item 4). A verification note, a hold or denial note, an
// extension's reason, a delivery or unlock note may name the data subject ("called Jane Doe back
// on ..."): the case snapshot and the audit details store each such text envelope-encrypted with
// the PII key under the encryption context { purpose: "case-note", caseId }, as one string
// "pd-sealed:1:<base64>". The repositories below seal on every write and open on read:
// - cases: get() opens a snapshot's notes (one decrypt each; a per-process cache makes a snapshot
//   written again with the same note cost nothing); list()/listOpen() (queues, sweeps: many
//   cases) show SEALED_LIST_TEXT instead, and a snapshot written back with that text keeps the
//   sealed note it had.
// - audit: append()/appendMany() seal the details' notes before they are hashed into the chain
//   (the chain covers the sealed form; export and verify see it as stored); forCase() (the case
//   timeline) opens them. An entry whose note cannot be opened (its key gone) shows
//   SEALED_UNREADABLE_TEXT.
// What is sealed: every string under a key named `note`, and `reason` inside `extension` (the
// snapshot) or in a `case.extend` entry (the audit). Enumerated reasons (hold, denial) are not text,
// nor are the product's own fixed notes (shared/domain/product-notes.ts: stored as written).
import type { PiiCrypto } from '../crypto/port';
import { PRODUCT_NOTES } from '../domain/product-notes';
import type { AuditEntry, CaseQuery, SealedPii, StoredCase } from './ports';
import type { Db } from './db';
import { SqlCaseRepo } from './case-repo';
import { SqlAuditLog } from './audit-log';

export const NOTE_PURPOSE = 'case-note';
const PREFIX = 'pd-sealed:1:';
/** What lists show for a sealed note (open the case to read it). */
export const SEALED_LIST_TEXT = '(note sealed: open the case to read it)';
export const SEALED_UNREADABLE_TEXT = '(sealed note: cannot be opened with the current keys)';
const CACHE_MAX = 2000;

export function isSealedNote(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

type Visit = (text: string) => string | Promise<string>;

/** Whether `k` holds a free-text note at this place (see the header). */
function isNoteKey(k: string, parentKey: string, extendEntry: boolean): boolean {
  return k === 'note' || (k === 'reason' && (parentKey === 'extension' || extendEntry));
}

/** The notes of value in depth-first order (the order mapNotes visits and rebuilds them). */
function collectNotes(value: unknown, out: string[], extendEntry: boolean, parentKey: string): void {
  if (Array.isArray(value)) { for (const v of value) collectNotes(v, out, false, parentKey); return; }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isNoteKey(k, parentKey, extendEntry) && typeof v === 'string' && v !== '') out.push(v);
    else collectNotes(v, out, false, k);
  }
}

/** A copy of value with each note replaced by next() (same order as collectNotes). */
function rebuild(value: unknown, next: () => string, extendEntry: boolean, parentKey: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebuild(v, next, false, parentKey));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isNoteKey(k, parentKey, extendEntry) && typeof v === 'string' && v !== '' ? next() : rebuild(v, next, false, k);
  }
  return out;
}

/**
 * A copy of value with every free-text note passed through visit (awaited in order). The walk
 * itself is synchronous (a snapshot has hundreds of values and a handful of notes): the notes
 * are collected, visited one after another, and put back in the copy.
 */
async function mapNotes(value: unknown, visit: Visit, extendEntry = false): Promise<unknown> {
  const notes: string[] = [];
  collectNotes(value, notes, extendEntry, '');
  const done: string[] = [];
  for (const n of notes) done.push(await visit(n));
  let i = 0;
  return rebuild(value, () => done[i++]!, extendEntry, '');
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Seals and opens notes for one store's crypto, with a small cache of both directions. */
export class NoteSealer {
  private readonly sealed = new Map<string, string>();
  private readonly opened = new Map<string, string>();
  constructor(private readonly crypto: PiiCrypto) {}

  private remember(caseId: string, plain: string, sealed: string): void {
    if (this.sealed.size >= CACHE_MAX) { this.sealed.clear(); this.opened.clear(); }
    this.sealed.set(`${caseId}\u0000${plain}`, sealed);
    this.opened.set(`${caseId}\u0000${sealed}`, plain);
  }

  async seal(caseId: string, text: string): Promise<string> {
    // Already sealed, or a fixed text the product writes (shared/domain/product-notes.ts): as is.
    if (isSealedNote(text) || PRODUCT_NOTES.has(text)) return text;
    const hit = this.sealed.get(`${caseId}\u0000${text}`);
    if (hit) return hit;
    const bytes = await this.crypto.encrypt(enc.encode(text), { purpose: NOTE_PURPOSE, caseId });
    const s = `${PREFIX}${Buffer.from(bytes).toString('base64')}`;
    this.remember(caseId, text, s);
    return s;
  }

  async open(caseId: string, text: string): Promise<string> {
    if (!isSealedNote(text)) return text;
    const hit = this.opened.get(`${caseId}\u0000${text}`);
    if (hit !== undefined) return hit;
    try {
      const plain = dec.decode(await this.crypto.decrypt(Buffer.from(text.slice(PREFIX.length), 'base64'), { purpose: NOTE_PURPOSE, caseId }));
      this.remember(caseId, plain, text);
      return plain;
    } catch {
      return SEALED_UNREADABLE_TEXT;
    }
  }

  sealIn<T>(caseId: string, value: T, extendEntry = false): Promise<T> {
    return mapNotes(value, (t) => this.seal(caseId, t), extendEntry) as Promise<T>;
  }

  openIn<T>(caseId: string, value: T, extendEntry = false): Promise<T> {
    return mapNotes(value, (t) => this.open(caseId, t), extendEntry) as Promise<T>;
  }
}

/** Replace what lists show: every sealed note as SEALED_LIST_TEXT (no decryption). */
function hideIn<T>(value: T): Promise<T> {
  return mapNotes(value, (t) => (isSealedNote(t) ? SEALED_LIST_TEXT : t)) as Promise<T>;
}

/** True when value holds SEALED_LIST_TEXT where a note goes (a snapshot read from a list, written back). */
async function holdsListText(value: unknown): Promise<boolean> {
  let found = false;
  await mapNotes(value, (t) => { if (t === SEALED_LIST_TEXT) found = true; return t; });
  return found;
}

/** Puts back the sealed notes of `previous` where `next` carries SEALED_LIST_TEXT (same place in the JSON). */
function restoreListText(next: unknown, previous: unknown): unknown {
  if (next === SEALED_LIST_TEXT && isSealedNote(previous)) return previous;
  if (Array.isArray(next)) return next.map((v, i) => restoreListText(v, Array.isArray(previous) ? previous[i] : undefined));
  if (next && typeof next === 'object') {
    const prev = previous && typeof previous === 'object' ? previous as Record<string, unknown> : {};
    return Object.fromEntries(Object.entries(next as Record<string, unknown>).map(([k, v]) => [k, restoreListText(v, prev[k])]));
  }
  return next;
}

export class NoteSealingCaseRepo extends SqlCaseRepo {
  private readonly notes: NoteSealer;
  constructor(db: Db, crypto: PiiCrypto, notes = new NoteSealer(crypto)) {
    super(db, crypto);
    this.notes = notes;
  }

  private async sealCase(c: StoredCase): Promise<StoredCase> {
    return { ...c, snapshot: await this.notes.sealIn(c.id, c.snapshot) };
  }

  override async insertSealedMany(list: ReadonlyArray<{ c: StoredCase; pii: SealedPii }>): Promise<void> {
    const sealed: Array<{ c: StoredCase; pii: SealedPii }> = [];
    for (const x of list) sealed.push({ c: await this.sealCase(x.c), pii: x.pii });
    return super.insertSealedMany(sealed);
  }

  override async update(id: string, patch: Partial<Omit<StoredCase, 'id' | 'createdAt'>>): Promise<void> {
    if (patch.snapshot === undefined) return super.update(id, patch);
    let snapshot: unknown = patch.snapshot;
    if (await holdsListText(snapshot)) snapshot = restoreListText(snapshot, (await super.get(id))?.snapshot);
    return super.update(id, { ...patch, snapshot: await this.notes.sealIn(id, snapshot) });
  }

  override async get(id: string): Promise<StoredCase | undefined> {
    const c = await super.get(id);
    return c ? { ...c, snapshot: await this.notes.openIn(id, c.snapshot) } : c;
  }

  override async list(q: CaseQuery): Promise<{ items: StoredCase[]; total: number }> {
    const r = await super.list(q);
    const items: StoredCase[] = [];
    for (const c of r.items) items.push({ ...c, snapshot: await hideIn(c.snapshot) });
    return { items, total: r.total };
  }

  override async listOpen(): Promise<StoredCase[]> {
    const out: StoredCase[] = [];
    for (const c of await super.listOpen()) out.push({ ...c, snapshot: await hideIn(c.snapshot) });
    return out;
  }
}

type AppendInput = { caseId: string | null; actor: string; action: string; detail?: Record<string, unknown> };

export class NoteSealingAuditLog extends SqlAuditLog {
  private readonly notes: NoteSealer;
  constructor(db: Db, crypto: PiiCrypto, notes = new NoteSealer(crypto)) {
    super(db, crypto);
    this.notes = notes;
  }

  private async sealEntry<E extends AppendInput>(e: E): Promise<E> {
    if (!e.detail) return e;
    // Entries of no case (store-wide) are sealed under the case id "store".
    return { ...e, detail: await this.notes.sealIn(e.caseId ?? 'store', e.detail, e.action === 'case.extend') };
  }

  override async append(e: AppendInput, at: Date): Promise<AuditEntry> {
    return super.append(await this.sealEntry(e), at);
  }

  override async appendMany(entries: ReadonlyArray<AppendInput & { at: Date }>): Promise<AuditEntry[]> {
    const sealed: Array<AppendInput & { at: Date }> = [];
    for (const e of entries) sealed.push(await this.sealEntry(e));
    return super.appendMany(sealed);
  }

  /** The case's timeline with its notes opened (as staff read it). */
  override async forCase(caseId: string): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const e of await super.forCase(caseId)) out.push({ ...e, detail: await this.notes.openIn(caseId, e.detail, e.action === 'case.extend') });
    return out;
  }
}
