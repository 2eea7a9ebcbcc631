// The one IPC channel between the preload bridge and the main process, and the zod schema every
// call is validated with on the main side before it reaches the app.
import { z } from 'zod';

export const IPC_CHANNEL = 'privacy-desk:call';

export const IpcCallSchema = z.object({
  op: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/u, 'op: operation names look like "cases.list"').max(80),
  input: z.unknown(),
}).strict();
export type IpcCall = z.infer<typeof IpcCallSchema>;
