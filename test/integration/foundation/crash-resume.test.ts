// Kill the process with SIGKILL in the middle of a step; restart; the case finishes with no step
// run twice and the audit chain intact. Real SQLite, real child processes.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../shared/app/app';

const child = join(process.cwd(), 'test/support/crash-child.ts');

function runChild(args: string[], until?: RegExp): Promise<{ lines: string[]; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let err = '';
    let buf = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1);
        lines.push(line);
        if (until && until.test(line)) p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (code && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ lines, code, signal });
    });
  });
}

describe.each(['in-tx', 'after-commit'])('SIGKILL during the execute step (%s)', (mode) => {
  it('restarts, finishes the case, runs no step twice, keeps the audit chain intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-crash-'));
    try {
      const first = await runChild(['start', dir, mode], /^(MIDSTEP|COMMITTED)$/u);
      expect(first.signal).toBe('SIGKILL');
      const caseId = first.lines.find((l) => l.startsWith('CASE '))!.slice(5);
      expect(first.lines).toContain(mode === 'in-tx' ? 'MIDSTEP' : 'COMMITTED');

      const second = await runChild(['resume', dir, caseId]);
      const done = second.lines.find((l) => l.startsWith('DONE '));
      expect(JSON.parse(done!.slice(5))).toEqual({ status: 'closed' });

      const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
      try {
        const effects = await app.ctx.db.all<{ step: string }>('SELECT step FROM crash_effects WHERE case_id = ?', [caseId]);
        expect(effects).toEqual([{ step: 'execute#1' }]); // the erasure was committed exactly once
        for (const step of ['acknowledge#1', 'discover#1', 'execute#1', 'checkResult#1', 'respond#1']) {
          expect(await app.ctx.steps.count(caseId, step)).toBe(1);
        }
        const audit = await app.call('cases.audit', { id: caseId }, { actor: 'test' });
        const completed = audit.filter((e) => e.action === 'step.completed').map((e) => (e.detail as { step: string }).step);
        expect(completed.filter((s) => s === 'execute#1').length).toBeLessThanOrEqual(1);
        expect(audit.at(-1)?.action).toBe('case.status');
        expect(audit.at(-1)?.detail).toMatchObject({ to: 'closed' });
        expect(await app.call('audit.verify', {}, { actor: 'test' })).toMatchObject({ ok: true, firstBad: null });
      } finally {
        await app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
