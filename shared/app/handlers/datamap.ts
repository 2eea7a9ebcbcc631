// Handlers of the data-map operations (shared/app/contract/datamap.ts): thin shells over the
// data-map service (shared/app/datamap/service.ts) and the PII discovery runs
// (shared/app/services/pii-discovery-runs.ts). Review decisions tell the case machine how many
// shared rows are still pending (REVIEW_UPDATED).
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { Handlers } from '../api';
import { ApiForbiddenError, ApiInputError, ApiNotFoundError, ApiStateError } from '../api';
import type { datamapContract, SystemView } from '../contract/datamap';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { datamapService } from '../datamap/service';
import { piiDiscoveryRuns, PiiRunError } from '../services/pii-discovery-runs';
import { DataMapError, unsupportedFeatures } from '../../domain/datamap';
import { mapField, mapOf } from '../datamap/map-input';
import type { SystemConnection, SystemRecord } from '../../store/datamap-repo';
import { checkScaleConfig } from '../../adapters/lake/engines';

function view(s: SystemRecord): SystemView {
  return { name: s.name, engine: s.connection.engine, dataset: s.map.dataset, legalHold: s.legalHold, map: s.map, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

type SystemAddInput = z.output<(typeof datamapContract)['datamap.systems.add']['input']>;

/** Where the system lives: a SQL engine's file or URL, or a scale engine's config checked by its adapter. */
function connectionOf(i: SystemAddInput): SystemConnection {
  if (i.engine === 'sqlite') return { engine: 'sqlite', file: i.location! };
  if (i.engine === 'postgres') return { engine: 'postgres', url: i.location! };
  if (i.engine === 'mysql') return { engine: 'mysql', url: i.location! };
  const problems = checkScaleConfig(i.engine, i.engineConfig);
  if (problems.length) throw new ApiInputError(`engineConfig: ${problems.join('; ')}`, problems.map((p) => ({ path: 'engineConfig', message: p })));
  return { engine: i.engine, config: i.engineConfig };
}

export function datamapHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof datamapContract> {
  const svc = () => datamapService(ctx);
  const mustExist = async (id: string) => {
    const c = await ctx.cases.get(id);
    if (!c) throw new ApiNotFoundError(`no case ${id}`);
    return c;
  };
  const asInput = async <T>(fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) { if (e instanceof DataMapError) throw new ApiInputError(e.message); throw e; }
  };
  const runs = () => piiDiscoveryRuns(ctx);
  const piiErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      if (!(e instanceof PiiRunError)) throw e;
      if (e.kind === 'not_found') throw new ApiNotFoundError(e.message);
      if (e.kind === 'state') throw new ApiStateError(e.message);
      const field = /^(\w+): /u.exec(e.message)?.[1];
      throw new ApiInputError(e.message, field ? [{ path: field, message: e.message.slice(field.length + 2) }] : []);
    }
  };
  return {
    'datamap.systems': async () => ({ systems: (await svc().systems()).map(view) }),
    'datamap.systems.add': async (input, meta) => asInput(async () => {
      const map = mapOf(input);
      const connection = connectionOf(input);
      const refused = unsupportedFeatures(map, connection.engine);
      if (refused.length) throw new ApiInputError(`${mapField(input)}: ${refused.join('; ')}`, [{ path: mapField(input), message: refused.join('; ') }]);
      let rec: SystemRecord;
      try {
        rec = await svc().addSystem({ name: input.name, connection, map, legalHold: input.legalHold ?? null }, meta.actor);
      } catch (e) {
        if (e instanceof DataMapError) throw e;
        throw new ApiInputError(`system ${input.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { ...view(rec), lookupsWithoutIndex: await svc().registry.lookupsWithoutIndex(rec) };
    }),
    'datamap.systems.hold': async (input, meta) => {
      if (!(await svc().setLegalHold(input.name, input.reason, meta.actor))) throw new ApiNotFoundError(`no system ${input.name}`);
      return { name: input.name, legalHold: input.reason };
    },
    'datamap.demo.register': async ({ dir }, meta) => {
      // A folder of the caller's choice is for the local operator (CLI) only: a console or web user
      // may not make the server write files wherever they name.
      if (dir !== undefined && meta.user !== undefined) throw new ApiForbiddenError('dir: only a local caller (the CLI) may choose where the demo shop is created');
      return svc().registerDemoShop(dir !== undefined ? resolve(dir) : join(ctx.config.dataDir, 'demo-shop'), meta.actor);
    },
    'datamap.options.set': async ({ id, categories, corrections }, meta) => {
      await mustExist(id);
      const c = (await ctx.cases.get(id))!;
      if (categories && c.type !== 'delete_pii') throw new ApiInputError('categories: only for a delete_pii request');
      if (corrections && c.type !== 'correct') throw new ApiInputError('corrections: only for a correct request');
      if (!categories && !corrections) throw new ApiInputError('give categories (delete_pii) or corrections (correct)');
      if ((await svc().repo.changes(id)).length) throw new ApiStateError('the change has already run for this case');
      const before = await svc().repo.options(id);
      const next = { ...before, ...(categories ? { categories } : {}), ...(corrections ? { corrections } : {}) };
      const at = ctx.clock();
      await ctx.db.tx(async () => {
        await svc().setOptions(id, next);
        await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'datamap.options.set', detail: { categories: next.categories ?? [], corrected: Object.keys(next.corrections ?? {}) } }, at);
      });
      return { id, categories: next.categories ?? [], corrected: Object.keys(next.corrections ?? {}) };
    },
    'datamap.discovery': async ({ id }) => { await mustExist(id); return { result: await svc().discoveryResult(id) }; },
    'datamap.plan': async ({ id }) => {
      await mustExist(id);
      const p = await svc().plan(id);
      if (!p) return { plan: null };
      return {
        plan: {
          caseId: p.caseId, type: p.type, categories: p.categories, totals: p.totals,
          collections: p.collections.map((c) => ({
            system: c.system, dataset: c.dataset, collection: c.collection, deleted: c.deletes.length,
            masked: c.updateKind === 'masked' ? c.updates.length : 0, updated: c.updateKind === 'updated' ? c.updates.length : 0,
            setAside: c.setAside.length, exempt: c.exempt.length,
            fields: [...new Set(c.updates.flatMap((u) => Object.keys(u.set)))],
          })),
        },
      };
    },
    'datamap.changes': async ({ id }) => { await mustExist(id); return svc().output(id); },
    'datamap.dryRun': async ({ type, identities, strategy, categories, corrections }) => {
      if (categories && type !== 'delete_pii') throw new ApiInputError('categories: only for a delete_pii request');
      if (corrections && type !== 'correct') throw new ApiInputError('corrections: only for a correct request');
      return svc().dryRun(identities, type, strategy, { categories, corrections });
    },
    'review.list': async ({ id }) => {
      await mustExist(id);
      const items = await svc().reviewItems(id);
      const result = await svc().discoveryResult(id);
      const keys = new Map<string, Record<string, unknown>>();
      for (const c of result?.collections ?? []) for (const r of c.rows) if (r.shared || r.exempt) keys.set(svc().itemId(c.system, c.collection, r.key), r.key);
      return {
        items: items.map((i) => ({ itemId: i.itemId, system: i.system, dataset: i.dataset, collection: i.collection, kind: i.kind, reason: i.reason, decision: i.decision, primaryKey: keys.get(i.itemId) ?? null, decidedBy: i.decidedBy, decidedAt: i.decidedAt })),
        pending: items.filter((i) => i.kind === 'shared' && i.decision === 'pending').length,
      };
    },
    'review.decide': async (input, meta) => asInput(async () => {
      await mustExist(input.id);
      const pending = await svc().decide(input.id, input.itemId, input.decision, meta.actor);
      const state = await engine.state(input.id);
      if (state.status === 'in_review') {
        await engine.send(input.id, { type: 'REVIEW_UPDATED', at: ctx.clock().toISOString(), pending }, meta, { action: 'review.updated', detail: { pending } });
      }
      return { pending };
    }),
    'datamap.piiDiscovery.start': async (input, meta) => piiErrors(() => runs().start(input, meta.actor)),
    'datamap.piiDiscovery.status': async ({ runId }) => piiErrors(async () => ({ run: await runs().status(runId) })),
    'datamap.piiDiscovery.save': async (input, meta) => piiErrors(async () => {
      const r = await runs().save(input, meta.actor);
      return { system: view(r.system), accepted: r.accepted, changed: r.changed, rejected: r.rejected };
    }),
    'datamap.ledger.replay': async (input, meta) => svc().ledgerReplay(meta.actor, { dryRun: input.dryRun, ...(meta.progress ? { progress: meta.progress } : {}) }),
  };
}
