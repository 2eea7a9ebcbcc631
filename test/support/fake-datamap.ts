// A stand-in for the data-map service where a test decides only what discovery reports (the
// responses and notices it leads to): the slot ctx.services.datamap takes the parts given, and a
// close() so the app closes it like the real one. Never the proof that the data map works.
import type { AppContext } from '../../shared/app/context';
import type { DatamapService } from '../../shared/app/datamap/service';

export function installDatamapFake(ctx: AppContext, parts: Record<string, unknown>): void {
  ctx.services.datamap = { close: async () => undefined, ...parts } as unknown as DatamapService;
}
