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
