// privacy-desk links serve [--host 127.0.0.1] [--port 4781]: the public server (server/public-server.ts)
// behind your TLS reverse proxy at PRIVACY_DESK_PUBLIC_URL: the consumer privacy center (/), the
// Global Privacy Control endpoint (/gpc, /gpc.js), report downloads (/reports/<token>) and processor
// confirmations (/processors/confirm/<token>). It is given only the public.* operations.
// Settings: docs/PRIVACY-CENTER.md (PRIVACY_DESK_CENTER_*, PRIVACY_DESK_GPC_ORIGINS).
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { parse } from '../args';
import { startPublicServer } from '../../server/public-server';
import { publicBackend } from '../../server/public-backend';
import { centerConfigFromEnv } from '../../server/public-config';

export const links: CommandGroup = {
  serve: async (argv, globals, io) => {
    const { values } = parse(argv, { host: { type: 'string' }, port: { type: 'string' } }, false);
    const port = values.port === undefined ? 4781 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port: a TCP port number');
    let config;
    try { config = centerConfigFromEnv(process.env); } catch (e) { throw new UsageError((e as Error).message); }
    const app = await openApp(globals);
    const server = await startPublicServer({ backend: publicBackend(app), config, host: values.host ?? '127.0.0.1', port });
    io.stderr(`serving the privacy center, GPC and links on ${server.origin} (Ctrl-C to stop)\n`);
    await new Promise<void>((r) => { process.once('SIGINT', r); process.once('SIGTERM', r); });
    await server.close();
    await app.close();
    return 0;
  },
};
export default links;
