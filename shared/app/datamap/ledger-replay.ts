// Ledger replay: scan the identity fields of every system, find values whose keyed hash is in the
// deletion ledger (rows that came back: a re-import, a restored backup) and erase them again, in
// batches (./apply.ts eraseBatch). Every replay is recorded and audited with counts only.
import { randomUUID } from 'node:crypto';
import { validateAgainstSchema } from '../../domain/datamap';
import type { DataSource } from '../../adapters/port';
import { takeTurn, turnDue } from '../../adapters/event-loop';
import { safeError, type Registry } from './registry';
import { emptySubject, type Subject } from './subject';
import { ledgerIndex, ledgerMatcher } from './ledger-match';
import { eraseBatch } from './apply';

export interface ReplaySystem { system: string; scanned: number; matched: number; deleted: number; masked: number; error: string | null }
export interface ReplayOptions { dryRun?: boolean; progress?: (msg: string) => void; system?: string; since?: string }

export async function ledgerReplay(reg: Registry, actor: string, opts: ReplayOptions = {}): Promise<{ id: string; systems: ReplaySystem[] }> {
  const { ctx, repo } = reg;
  // --system NAME --since SNAPSHOT (after a restore): only that system, only erasures after the snapshot.
  const entries = (await repo.ledger(opts.system)).filter((e) => (!opts.system || e.system === opts.system) && (!opts.since || e.erasedAt > opts.since));
  // per system: identity hash -> erasures to re-apply ("delete" or "delete_pii:<categories>"), and the entries' keyed prefixes by kind
  const bySystem = new Map<string, typeof entries>();
  for (const e of entries) { const l = bySystem.get(e.system) ?? []; l.push(e); bySystem.set(e.system, l); }
  const out: ReplaySystem[] = [];
  for (const sys of await reg.systems()) {
    const sysEntries = bySystem.get(sys.name);
    if (!sysEntries?.length) continue;
    const index = ledgerIndex(sysEntries);
    const rec: ReplaySystem = { system: sys.name, scanned: 0, matched: 0, deleted: 0, masked: 0, error: null };
    out.push(rec);
    const subjects = new Map<string, Subject[]>();
    // identityValue + keyed hash of every value, with the same answers, cheaper (./ledger-match.ts)
    const match = ledgerMatcher(ctx.crypto, index);
    let src: DataSource | null = null;
    try {
      src = await reg.open(sys.connection, sys.name);
      const live = await src.introspect();
      validateAgainstSchema(sys.map, live);
      for (const c of sys.map.collections) {
        const idFields = c.fields.filter((f) => f.identity);
        if (!idFields.length) continue;
        const liveC = live.find((x) => x.name === c.name);
        const key = c.fields.find((f) => f.primaryKey)?.name ?? liveC?.fields.find((f) => f.primaryKey)?.name;
        const fields = [...new Set([...(key ? [key] : []), ...idFields.map((f) => f.name)])];
        const batches = src.scan && key ? src.scan(c.name, fields, 10_000) : (async function* () { yield await src!.find(c.name, []); })();
        for await (const rows of batches) {
          rec.scanned += rows.length;
          for (const row of rows) {
            // Hashing a page of 10,000 rows takes a while: the server keeps answering meanwhile.
            if (turnDue()) await takeTurn();
            for (const f of idFields) {
              const v = row[f.name];
              if (v === null || v === undefined) continue;
              const m = match(f.identity!, v);
              if (!m) continue;
              const { kind, value: norm, erasures } = m;
              rec.matched += 1;
              const s = emptySubject();
              if (kind === 'email') s.emails.add(norm); else if (kind === 'phone') s.phones.add(norm); else s.custom.set(f.identity!, new Set([norm]));
              for (const er of erasures) { const l = subjects.get(er) ?? []; l.push(s); subjects.set(er, l); }
            }
          }
          opts.progress?.(`${sys.name}.${c.name}: ${rec.scanned} rows scanned, ${rec.matched} matched`);
        }
      }
    } catch (e) {
      rec.error = safeError(e);
    } finally {
      await src?.close().catch(() => undefined);
    }
    if (!rec.error && subjects.size && !opts.dryRun) {
      // Full erasures first, then the narrower delete_pii ones, each as one batch.
      for (const er of [...subjects.keys()].sort((a, b) => (a === 'delete' ? -1 : b === 'delete' ? 1 : a.localeCompare(b)))) {
        const cats = er.startsWith('delete_pii:') ? er.slice('delete_pii:'.length).split(',').filter(Boolean) : undefined;
        const r = await eraseBatch(reg, subjects.get(er)!, er === 'delete' ? 'delete' : 'delete_pii', 'exact', new Set([sys.name]), cats);
        rec.deleted += r.deleted; rec.masked += r.masked;
        if (r.errors.length) rec.error = r.errors.map((e) => e.error).join('; ');
      }
    }
  }
  const id = randomUUID();
  const at = ctx.clock();
  await ctx.db.tx(async () => {
    await repo.addReplay(id, at, actor, { systems: out, dryRun: !!opts.dryRun });
    await ctx.audit.append({ caseId: null, actor, action: 'datamap.ledger.replayed', detail: { id, dryRun: !!opts.dryRun, systems: out } }, at);
  });
  return { id, systems: out };
}
