// cases.deny refuses an empty or whitespace-only note (the consumer would get a denial email with a
// blank "note" part): the contract's zod schema says so, nothing changes and nothing is sent; a note
// with words, or no note at all, still denies. The CLI (`request deny --note`) says the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { ApiInputError } from '../../../shared/app/api';
import { main } from '../../../cli/main';

const staff = { actor: 'staff:tester' };

describe('cases.deny needs a note with words when it has one', () => {
  let dir: string;
  let app: App;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-deny-note-'));
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newCase = async (email: string) => {
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email } }, staff);
    await app.settle(c.id);
    return c.id;
  };

  it('refuses "" and whitespace-only notes with a field error; the case stays open and no denial is sent', async () => {
    const id = await newCase('blank.note@example.com');
    for (const note of ['', '   ', '\n\t ']) {
      const err = await app.call('cases.deny', { id, reason: 'unverifiable', note }, staff).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiInputError);
      expect((err as ApiInputError).message).toMatch(/^note: note is empty: write what the consumer should know, or leave the note out$/u);
    }
    await app.settle(id);
    expect((await app.call('cases.get', { id }, staff)).status).not.toBe('denied');
    const audit = await app.call('cases.audit', { id }, staff);
    expect(audit.some((e) => /deny|denied/u.test(e.action))).toBe(false);
  });

  it('denies with a note that has words (trimmed), and without a note', async () => {
    const id = await newCase('worded.note@example.com');
    expect((await app.call('cases.deny', { id, reason: 'unverifiable', note: '  We could not reach you on the number you gave.  ' }, staff)).status).toBe('denied');
    const other = await newCase('no.note@example.com');
    expect((await app.call('cases.deny', { id: other, reason: 'duplicate' }, staff)).status).toBe('denied');
  });

  it('the CLI refuses a blank --note and denies with a real one', async () => {
    const id = await newCase('cli.note@example.com');
    await app.close();
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main(['--data-dir', dir, '--db', join(dir, 'pd.sqlite'), ...argv], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false });
      return { code, out, err };
    };
    const blank = await run('request', 'deny', id, '--reason', 'unverifiable', '--note', '  ');
    expect(blank.code).not.toBe(0);
    expect(blank.err).toMatch(/note is empty/u);
    const ok = await run('request', 'deny', id, '--reason', 'unverifiable', '--note', 'No account matched the details you gave.', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).status).toBe('denied');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
  });
});
