// What the public server may call: the public.* operations and nothing else. The public server is
// given this narrow backend, never the App, so no route can reach a staff operation even by mistake.
import type { App } from '../shared/app/app';
import { ApiInputError } from '../shared/app/api';
import { PUBLIC_OPS, type PublicOpName, type publicContract } from '../shared/app/contract/public';
import type { InputOf, OutputOf } from '../shared/app/api';

export interface PublicBackend {
  call<K extends PublicOpName>(op: K, input: InputOf<typeof publicContract, K>, meta: { actor: string }): Promise<OutputOf<typeof publicContract, K>>;
}

const ALLOWED: ReadonlySet<string> = new Set(PUBLIC_OPS);

export function publicBackend(app: Pick<App, 'callUnknown'>): PublicBackend {
  return {
    call: async (op, input, meta) => {
      if (!ALLOWED.has(op)) throw new ApiInputError(`unknown operation "${String(op)}"`);
      return app.callUnknown(op, input, meta) as never;
    },
  };
}
