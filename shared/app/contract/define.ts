// One typed API, many shells. Each area declares its operations here (name, zod input, zod output);
// Electron IPC, the HTTP server, the CLI and the Lambdas are thin shells over `App.call`.
// This folder is pure (zod + shared/domain only) so the renderer may import it for types.
import type { z } from 'zod';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'command' | 'query';
  input: I;
  output: O;
  /** One line for docs and `privacy-desk api list`. */
  summary: string;
}
export function op<I extends z.ZodType, O extends z.ZodType>(kind: 'command' | 'query', input: I, output: O, summary: string): OperationDef<I, O> {
  return { kind, input, output, summary };
}
export type Contract = Record<string, OperationDef>;

type Merged<T extends readonly object[]> = T extends readonly [infer H extends object, ...infer R extends readonly object[]] ? H & Merged<R> : unknown;

/**
 * Name -> definition maps (the areas' contracts, their handlers) as one, refusing a name given
 * twice: an object spread would let the later area win silently.
 */
export function mergeDistinct<const T extends readonly object[]>(what: string, ...parts: T): Merged<T> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, def] of Object.entries(part)) {
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new Error(`${what}: operation "${name}" is declared twice`);
      out[name] = def;
    }
  }
  return out as Merged<T>;
}
