// A private MariaDB server for tests and benchmarks, started from Debian's `mariadb-server`
// binaries (mariadb-install-db + mariadbd; `.ci/run` installs the package): its own temp data
// folder, a free TCP port on 127.0.0.1, a Unix socket inside that folder (so parallel servers never
// collide), one fresh database and a password user for TCP. stop() shuts the server down and
// removes the folder. Like ./postgres.ts.
//
// When the tests run as root, mariadbd runs as the system user `mysql` (created by the Debian
// package; the folder is chowned to it) or, when there is no such user, with --user=root.
// `mariadbAvailable()` says whether the binaries are installed (the mysql suite skips, saying why,
// when they are not).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface MariaDbServer {
  /** mysql://user:password@127.0.0.1:port/db */
  url: string;
  port: number;
  /** The server's temp folder (removed by stop()). */
  dir: string;
  /** The Unix socket (root access without a password: create databases, grants). */
  socket: string;
  /** Run statements as root (no parameters): CREATE DATABASE, GRANT... */
  admin(sql: string): Promise<void>;
  /** A fresh empty database on this server (utf8mb4, case-insensitive collation); its URL. */
  newDatabase(label: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartMariaDbOptions {
  /** Durable settings (flush the log at each commit). Default false: quicker for throw-away tests. */
  durable?: boolean;
  /** Database name (default "privacydesk"). */
  database?: string;
}

export const MARIADB_USER = 'pd';
const PASSWORD = 'test-only-password';

const CANDIDATES = {
  server: ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'],
  install: ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/sbin/mariadb-install-db'],
};

/** MARIADB_BIN_DIR: a folder holding mariadbd and mariadb-install-db (another install than Debian's). */
function binary(kind: keyof typeof CANDIDATES): string | null {
  const dir = process.env.MARIADB_BIN_DIR;
  if (dir) {
    const name = kind === 'server' ? 'mariadbd' : 'mariadb-install-db';
    return existsSync(join(dir, name)) ? join(dir, name) : null;
  }
  return CANDIDATES[kind].find((p) => existsSync(p)) ?? null;
}

/**
 * Null when MariaDB can be started here; else why not (the mysql suite prints it and skips). Under
 * CI (`CI=true`, where .ci/run installs mariadb-server) a missing server is an error, never a skip:
 * a suite that skipped there would be a hole that looks green.
 */
export function mariadbMissing(): string | null {
  if (!binary('server') || !binary('install')) {
    const where = process.env.MARIADB_BIN_DIR ? `in MARIADB_BIN_DIR=${process.env.MARIADB_BIN_DIR}` : 'in /usr/sbin, /usr/bin';
    const why = `MariaDB is not installed (no mariadbd / mariadb-install-db ${where}): apt-get install mariadb-server (.ci/run does)`;
    if (process.env.CI === 'true') throw new Error(`the mysql suite cannot run under CI: ${why}`);
    return why;
  }
  return null;
}

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

function mysqlIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startOnce(options: StartMariaDbOptions): Promise<MariaDbServer> {
  const missing = mariadbMissing();
  if (missing) throw new Error(missing);
  const root = await mkdtemp(join(tmpdir(), 'pd-maria-'));
  const asRoot = userInfo().uid === 0;
  const ids = asRoot ? mysqlIds() : null;
  const user = asRoot ? (ids ? 'mysql' : 'root') : null;
  // The account that reaches the server over the socket without a password (unix_socket): root, or
  // the OS user running the tests.
  const socketUser = asRoot ? 'root' : userInfo().username;
  if (ids) await chown(root, ids.uid, ids.gid);
  const data = join(root, 'data');
  const socket = join(root, 'mysqld.sock');
  const port = await freePort();
  const log: string[] = [];
  const keep = (b: Buffer) => { log.push(b.toString()); if (log.length > 60) log.shift(); };
  let child: ChildProcess | null = null;
  const cleanup = async () => {
    const c = child;
    child = null;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (c.exitCode === null && c.signalCode === null) { c.kill('SIGKILL'); await Promise.race([exited, sleep(5_000)]); }
    }
    await rm(root, { recursive: true, force: true });
  };
  try {
    execFileSync(binary('install')!, [
      '--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=socket', '--skip-test-db',
      ...(asRoot ? [] : [`--auth-root-socket-user=${socketUser}`]),
      ...(user ? [`--user=${user}`] : []),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const flags = [
      '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1',
      `--pid-file=${join(root, 'mysqld.pid')}`, `--log-error=${join(root, 'error.log')}`, '--skip-name-resolve', '--skip-log-bin',
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--max-connections=200',
      '--innodb-buffer-pool-size=64M', '--innodb-log-file-size=16M', '--skip-innodb-doublewrite',
      ...(options.durable ? [] : ['--innodb-flush-log-at-trx-commit=0', '--sync-binlog=0', '--innodb-flush-method=nosync']),
      ...(user ? [`--user=${user}`] : []),
    ];
    const c = spawn(binary('server')!, flags, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    const database = options.database ?? 'privacydesk';
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`mariadbd exited (${c.exitCode ?? c.signalCode})`);
      try {
        // As root over the socket (unix_socket authentication: the process user is root or mysql).
        const conn = await createConnection({ socketPath: socket, user: socketUser });
        await conn.end();
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(150);
      }
    }
    const admin = async (sql: string) => {
      const conn = await createConnection({ socketPath: socket, user: socketUser, multipleStatements: true });
      try { await conn.query(sql); } finally { await conn.end(); }
    };
    await admin(`CREATE USER '${MARIADB_USER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO '${MARIADB_USER}'@'%' WITH GRANT OPTION;
      CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    let stopped = false;
    let counter = 0;
    const base = `mysql://${MARIADB_USER}:${PASSWORD}@127.0.0.1:${port}`;
    return {
      url: `${base}/${database}`,
      port,
      dir: root,
      socket,
      admin,
      async newDatabase(label: string) {
        counter += 1;
        const name = `${label.toLowerCase().replace(/[^a-z0-9_]/gu, '_').slice(0, 40)}_${counter}`;
        await admin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        return `${base}/${name}`;
      },
      async stop() { if (stopped) return; stopped = true; await cleanup(); },
    };
  } catch (err) {
    await cleanup().catch(() => undefined);
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`MariaDB failed to start on port ${port}: ${why}\n${log.slice(-10).join('')}`);
  }
}

/** Start a private MariaDB server; retries on a new port if another process grabbed the chosen one. */
export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<MariaDbServer> {
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
