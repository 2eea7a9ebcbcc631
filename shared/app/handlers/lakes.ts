// Handlers of the data-stores-at-scale operations (shared/app/contract/lakes.ts) over the snapshot
// repository. Registering a snapshot is audited (system, label, time: business names, no PII).
import type { Handlers } from '../api';
import { ApiInputError } from '../api';
import type { lakesContract } from '../contract/lakes';
import type { AppContext } from '../context';
import { ApiNotFoundError } from '../api';
import { DuplicateSnapshotError, SnapshotNotFoundError, SnapshotRepo } from '../../store/snapshot-repo';
import { datamapService } from '../datamap/service';
import { RedshiftSource } from '../../adapters/redshift/redshift-source';

export function lakesHandlers(ctx: AppContext): Handlers<typeof lakesContract> {
  const repo = new SnapshotRepo(ctx.db);
  return {
    'snapshots.add': async (input, meta) => {
      const at = ctx.clock();
      try {
        return await ctx.db.tx(async () => {
          const snap = await repo.add(input, meta.actor, at);
          await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'snapshot.registered', detail: { system: snap.system, label: snap.label, kind: snap.kind, takenAt: snap.takenAt } }, at);
          return snap;
        });
      } catch (e) {
        if (e instanceof DuplicateSnapshotError) throw new ApiInputError(e.message, [{ path: 'label', message: e.message }]);
        throw e;
      }
    },
    'snapshots.list': async (input) => repo.list(input.system),
    'snapshots.replay': async (input, meta) => {
      let snap;
      try {
        snap = await repo.resolve(input.system, input.since);
      } catch (e) {
        if (e instanceof SnapshotNotFoundError) throw new ApiNotFoundError(e.message);
        throw e;
      }
      const svc = datamapService(ctx);
      if (!(await svc.systems()).some((s) => s.name === input.system)) throw new ApiNotFoundError(`no system named ${input.system} is registered`);
      const r = await svc.ledgerReplay(meta.actor, { system: input.system, since: snap.takenAt, dryRun: input.dryRun });
      const sys = r.systems.find((s) => s.system === input.system) ?? { scanned: 0, matched: 0, deleted: 0, masked: 0, error: null };
      const entries = (await svc.repo.ledger(input.system)).filter((e) => e.erasedAt > snap.takenAt).length;
      await repo.recordReplay({
        system: input.system, snapshotId: snap.id, ranAt: ctx.clock().toISOString(), actor: meta.actor, dryRun: input.dryRun,
        ledgerEntries: entries, rowsChanged: sys.deleted + sys.masked,
        detail: { ledgerReplayId: r.id, scanned: sys.scanned, matched: sys.matched, deleted: sys.deleted, masked: sys.masked, error: sys.error },
      });
      return {
        system: input.system, snapshot: { id: snap.id, label: snap.label, kind: snap.kind, takenAt: snap.takenAt }, ledgerReplayId: r.id, dryRun: input.dryRun,
        scanned: sys.scanned, matched: sys.matched, deleted: sys.deleted, masked: sys.masked, error: sys.error,
      };
    },
    'stores.purgeForgotten': async (input, meta) => {
      const sys = (await datamapService(ctx).systems()).find((s) => s.name === input.system);
      if (!sys) throw new ApiNotFoundError(`no system named ${input.system} is registered`);
      if (sys.connection.engine !== 'redshift') throw new ApiInputError(`system ${input.system} is a ${sys.connection.engine} system; the forgotten-flag purge applies to redshift systems`, [{ path: 'system', message: 'not a redshift system' }]);
      if (sys.legalHold && !input.dryRun) throw new ApiInputError(`system ${input.system} is under legal hold; nothing is purged`, [{ path: 'system', message: 'legal hold' }]);
      const rs = RedshiftSource.open(sys.connection.config);
      try {
        const tables = input.dryRun ? await rs.pendingPurge() : await rs.purgeForgotten();
        const at = ctx.clock();
        await ctx.audit.append({ caseId: null, actor: meta.actor, action: input.dryRun ? 'store.purge.counted' : 'store.purge.forgotten', detail: { system: input.system, tables } }, at);
        return { system: input.system, dryRun: input.dryRun, tables };
      } finally {
        await rs.close();
      }
    },
    'snapshots.replays': async (input) => repo.replays(input.system),
  };
}
