// A lake in a local folder. Replacing a file: the new file is written next to the old one under a
// hidden scratch name, flushed to disk, then renamed over the old one (rename is atomic on POSIX
// file systems), and the folder is flushed so the rename survives a power cut.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { ObjectChangedError, SCRATCH_PREFIX, isDataObject, type FetchedObject, type ObjectStore, type StoredObject } from './object-store';

function versionOf(size: number, mtimeMs: number, ino: number): string {
  return `${size}-${Math.round(mtimeMs * 1000)}-${ino}`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

export class LocalFolderStore implements ObjectStore {
  readonly description: string;
  constructor(private readonly root: string) {
    this.description = `folder ${root}`;
  }

  private abs(key: string): string {
    const p = join(this.root, key);
    if (relative(this.root, p).startsWith('..')) throw new Error(`lake key escapes the lake folder: ${key}`);
    return p;
  }

  private async walk(dir: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const ent of entries) {
      const p = join(dir, ent.name);
      if (ent.isDirectory()) await this.walk(p, out);
      else if (ent.isFile()) out.push(p);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const files: string[] = [];
    await this.walk(this.abs(prefix), files);
    const out: StoredObject[] = [];
    for (const f of files) {
      const key = relative(this.root, f).split(sep).join('/');
      if (!isDataObject(key)) continue;
      const st = await stat(f);
      out.push({ key, size: st.size, version: versionOf(st.size, st.mtimeMs, st.ino) });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async fetch(key: string): Promise<FetchedObject> {
    const path = this.abs(key);
    const st = await stat(path);
    return { path, version: versionOf(st.size, st.mtimeMs, st.ino), release: async () => {} };
  }

  scratchPath(key: string): string {
    const target = this.abs(key);
    const base = target.slice(target.lastIndexOf(sep) + 1);
    return join(dirname(target), `${SCRATCH_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-${base}`);
  }

  async replace(key: string, file: string, expectedVersion: string): Promise<StoredObject> {
    const target = this.abs(key);
    try {
      const cur = await stat(target);
      if (versionOf(cur.size, cur.mtimeMs, cur.ino) !== expectedVersion) throw new ObjectChangedError(key);
      fsyncPath(file);
      await rename(file, target);
      fsyncPath(dirname(target));
    } catch (e) {
      await rm(file, { force: true });
      throw e;
    }
    const st = await stat(target);
    return { key, size: st.size, version: versionOf(st.size, st.mtimeMs, st.ino) };
  }

  async cleanupScratch(prefix: string): Promise<number> {
    const files: string[] = [];
    await this.walk(this.abs(prefix), files);
    let n = 0;
    for (const f of files) {
      if (f.slice(f.lastIndexOf(sep) + 1).startsWith(SCRATCH_PREFIX)) {
        await rm(f, { force: true });
        n += 1;
      }
    }
    return n;
  }
}
