// The registry of the data-map area: the registered systems (a map validated against the live
// schema before it is stored), legal holds on a system, the one source opener (every engine a
// system can live on), the pool of open sources, and the id of a review item. Every other step of
// the area (find, plan, apply, verify, ledger, report) reaches a system through this.
import type { AppContext } from '../context';
import { DataMapError, unsupportedFeatures, validateAgainstSchema, type DataMap } from '../../domain/datamap';
import { DatamapRepo, type SystemConnection, type SystemRecord } from '../../store/datamap-repo';
import type { DataSource, Row } from '../../adapters/port';
import { openSqlSource, UnknownIdentifierError } from '../../adapters/sql-source';
import { SourcePool } from '../../adapters/source-pool';
import type { LookupIndex } from '../../adapters/lookup-indexes';

export type SourceOpener = (connection: SystemConnection, system: string) => Promise<DataSource>;

/**
 * The one source opener: a system's store by its engine (SQLite, PostgreSQL, MySQL, the scale
 * engines). The MySQL and scale-engine adapters are loaded at their first use: a process whose
 * systems are all SQL (a phone Lambda's cold start) never parses them.
 */
export async function openSource(c: SystemConnection): Promise<DataSource> {
  if (c.engine === 'sqlite' || c.engine === 'postgres') return openSqlSource(c);
  if (c.engine === 'mysql') return (await import('../../adapters/mysql/mysql-source')).openMySqlSource(c);
  return (await import('../../adapters/lake/engines')).openScaleEngine(c.engine, c.config);
}

/** An error message safe to store and show: quoted values from drivers are masked, length bounded. */
export function safeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof DataMapError || e instanceof UnknownIdentifierError) return msg.slice(0, 500);
  return msg.replace(/'[^']*'/gu, "'…'").replace(/"[^"]{0,200}"/gu, (m) => (/^"[A-Za-z_][A-Za-z0-9_.]*"$/u.test(m) ? m : '"…"')).slice(0, 300);
}

export class Registry {
  readonly repo: DatamapRepo;
  private readonly pool: SourcePool<SystemConnection>;
  private readonly opener: SourceOpener;

  constructor(readonly ctx: AppContext, opener?: SourceOpener) {
    this.repo = new DatamapRepo(ctx.db, ctx.crypto);
    // Sources stay open between operations (closed by close()); a lease's close() is a no-op.
    this.opener = opener ?? ((c) => openSource(c));
    this.pool = new SourcePool<SystemConnection>(this.opener);
  }

  /** A lease on a system's open source (close() releases it). */
  open(connection: SystemConnection, system: string): Promise<DataSource> { return this.pool.open(connection, system); }

  /** Register (or replace) a system; the map is validated against the live schema first (read afresh). */
  async addSystem(s: { name: string; connection: SystemConnection; map: DataMap; legalHold?: string | null }, actor: string): Promise<SystemRecord> {
    // A kept source caches its schema: the database may have changed since (the reason to register again).
    this.pool.evict(s.name);
    const source = await this.open(s.connection, s.name);
    try {
      const live = await source.introspect();
      validateAgainstSchema(s.map, live);
      // A feature of the map this engine cannot honour is refused by name, never dropped.
      const refused = unsupportedFeatures(s.map, s.connection.engine, live);
      if (refused.length) throw new DataMapError(`data map ${s.map.dataset} cannot be honoured on ${s.connection.engine}: ${refused.join('; ')}`);
    } finally {
      await source.close();
    }
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      await this.repo.putSystem({ name: s.name, connection: s.connection, map: s.map, legalHold: s.legalHold ?? s.map.legalHold ?? null }, at);
      await this.ctx.audit.append({ caseId: null, actor, action: 'datamap.system.registered', detail: { system: s.name, engine: s.connection.engine, dataset: s.map.dataset, collections: s.map.collections.length } }, at);
    });
    return (await this.repo.systems()).find((x) => x.name === s.name)!;
  }

  /**
   * The walk's look-ups on a system that no index serves, each with the index to create
   * (shared/adapters/lookup-indexes.ts): SQLite and PostgreSQL sources answer it; others, or a store
   * the check cannot read, yield none (best effort: a warning, never a refusal).
   */
  async lookupsWithoutIndex(system: SystemRecord): Promise<Array<LookupIndex & { createIndex: string }>> {
    try {
      // A connection of its own (a pool lease carries only the walk's methods), closed after.
      const src = await this.opener(system.connection, system.name);
      try {
        const probe = src as DataSource & { lookupIndexes?: (map: DataMap) => Promise<LookupIndex[]> };
        if (typeof probe.lookupIndexes !== 'function') return [];
        return (await probe.lookupIndexes(system.map)).filter((l): l is LookupIndex & { createIndex: string } => !!l.createIndex);
      } finally { await src.close(); }
    } catch {
      return [];
    }
  }

  systems(): Promise<SystemRecord[]> { return this.repo.systems(); }

  /** Registered systems by name. */
  async byName(): Promise<Map<string, SystemRecord>> { return new Map((await this.repo.systems()).map((s) => [s.name, s])); }

  /** Put a system under legal hold (nothing in it is erased) or lift the hold (reason null); false when there is no such system. */
  async setLegalHold(name: string, reason: string | null, actor: string): Promise<boolean> {
    const ok = await this.repo.setLegalHold(name, reason, this.ctx.clock());
    if (ok) await this.ctx.audit.append({ caseId: null, actor, action: reason ? 'datamap.system.hold' : 'datamap.system.release', detail: { system: name } }, this.ctx.clock());
    return ok;
  }

  /** Create the demo shop (shared/adapters/demo-shop.ts) in `dir` and register it as the system "demo-shop". */
  async registerDemoShop(dir: string, actor: string): Promise<{ sqliteFile: string; datamapFile: string; system: string }> {
    const { createDemoShop, demoShopDataMap, DEMO_SHOP_SYSTEM } = await import('../../adapters/demo-shop');
    const files = await createDemoShop(dir);
    await this.addSystem({ name: DEMO_SHOP_SYSTEM, connection: { engine: 'sqlite', file: files.sqliteFile }, map: demoShopDataMap() }, actor);
    return { system: DEMO_SHOP_SYSTEM, ...files };
  }

  /** The stable id of a review item (a row of a system's collection), keyed so it names no value. */
  itemId(system: string, collection: string, key: Row): string {
    return this.ctx.crypto.keyedHash('review-item', `${system}|${collection}|${JSON.stringify(key)}`).slice(0, 24);
  }

  async close(): Promise<void> { await this.pool.closeAll(); }
}
