// Open data sources kept per system between operations (a PostgreSQL pool costs a connection
// handshake; a SQLite file its schema read), handed out as leases whose close() is a no-op.
// A SQLite file that was removed or replaced since it was opened is reopened (so a missing file is
// reported, never read from a deleted inode); a source whose operation fails is dropped and
// reopened next time; evict(system) drops a system's sources (its map is being registered again, so
// the schema must be read afresh). closeAll() closes everything (app shutdown).
import { statSync } from 'node:fs';
import type { DataSource } from './port';
import { UnknownIdentifierError } from './sql-source';

type Opener<C> = (connection: C, system: string) => Promise<DataSource>;
interface Entry { promise: Promise<DataSource>; fingerprint: string }

function fingerprint(connection: unknown): string {
  const c = connection as { engine?: string; file?: string };
  if (c?.engine !== 'sqlite' || !c.file) return '';
  try { const st = statSync(c.file); return `${st.dev}:${st.ino}`; } catch { return 'missing'; }
}

export class SourcePool<C> {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opener: Opener<C>) {}

  async open(connection: C, system: string): Promise<DataSource> {
    const key = JSON.stringify([system, connection]);
    const fp = fingerprint(connection);
    let e = this.entries.get(key);
    if (e && e.fingerprint !== fp) { this.drop(key, e); e = undefined; }
    if (!e) {
      const entry: Entry = { promise: this.opener(connection, system), fingerprint: fp };
      this.entries.set(key, entry);
      entry.promise.catch(() => { if (this.entries.get(key) === entry) this.entries.delete(key); });
      e = entry;
    }
    const src = await e.promise;
    const entry = e;
    const guard = async <T>(f: () => Promise<T>): Promise<T> => {
      try { return await f(); } catch (err) {
        if (!(err instanceof UnknownIdentifierError)) this.drop(key, entry);
        throw err;
      }
    };
    return {
      engine: src.engine,
      ...(src.enforcedKeys ? { enforcedKeys: true } : {}),
      ...(src.concurrentFinds ? { concurrentFinds: src.concurrentFinds } : {}),
      introspect: () => guard(() => src.introspect()),
      find: (c, m) => guard(() => src.find(c, m)),
      apply: (ch) => guard(() => src.apply(ch)),
      sample: (c, f, n) => guard(() => src.sample(c, f, n)),
      ...(src.scan ? { scan: (c: string, f: string[], b?: number) => src.scan!(c, f, b) } : {}),
      close: async () => undefined,
    };
  }

  /** Forget a system's open sources (closed in the background): the next open reads the schema afresh. */
  evict(system: string): void {
    for (const [key, e] of [...this.entries]) if ((JSON.parse(key) as [string, unknown])[0] === system) this.drop(key, e);
  }

  private drop(key: string, e: Entry): void {
    if (this.entries.get(key) !== e) return;
    this.entries.delete(key);
    void e.promise.then((s) => s.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map((e) => e.promise.then((s) => s.close())));
  }
}
