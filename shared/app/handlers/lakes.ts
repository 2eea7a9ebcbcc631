// Handlers of the data-stores-at-scale operations (shared/app/contract/lakes.ts) over the snapshot
// repository. Registering a snapshot is audited (system, label, time: business names, no PII).
import type { Handlers } from '../api';
import { ApiInputError } from '../api';
import type { lakesContract } from '../contract/lakes';
import type { AppContext } from '../context';
import { DuplicateSnapshotError, SnapshotRepo } from '../../store/snapshot-repo';

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
    'snapshots.replays': async (input) => repo.replays(input.system),
  };
}
