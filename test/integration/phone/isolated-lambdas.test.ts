// The simulator's isolated mode: each Lambda in a worker thread configured by environment, so a
// block's time limit really cuts the invocation off (worker.terminate()), even while the handler
// is busy; the next call gets a fresh (cold) worker and the call goes on as Connect would.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFlow } from '../../../connect-flows/lib/flow-load';
import { loadTemplate } from '../../../connect-flows/lib/template';
import { simulateCall } from '../../../connect-flows/simulator/simulate';
import { openSandbox } from '../../../connect-flows/simulator/sandbox';

const flow = parseFlow(readFileSync('connect-flows/flows/inbound-privacy-line.json', 'utf8')).flow;
const template = loadTemplate('connect-flows/template.yaml');

describe('Lambdas in worker threads', () => {
  it('answer as in-process ones do, and a time limit cuts them off', async () => {
    const sb = await openSandbox({ isolate: true });
    try {
      const run = (inputs: string[], lambdaTimeoutMs?: number) => simulateCall({ flow, template, lambdas: sb.lambdas, recognizer: sb.recognizer, encrypt: sb.encrypt, caller: '+14155550100', inputs, parameters: sb.parameters, lambdaTimeoutMs });
      const ok = await run(['2', '12345678', '01311990']);
      const intake = ok.transcript.find((t) => t.event === 'lambda' && t.function === 'IntakeFunction');
      expect(intake).toMatchObject({ ok: true, result: { result: 'opened_verified' } });

      // A 1 ms limit: no invocation (a worker thread's message round trip alone takes longer) can
      // answer in time, warm or cold, so the assertion does not depend on the machine's speed.
      const cut = await run(['4'], 1);
      const calls = cut.transcript.filter((t) => t.event === 'lambda');
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) expect(c).toMatchObject({ ok: false, error: 'timed out after 1 ms' });
      expect(cut.transcript.map((t) => (t.event === 'prompt' ? t.text : '')).join(' ')).toMatch(/cannot look up your request right now/u);
      expect(cut.end.how).toBe('transferred');
      await Promise.all(cut.stillRunning);
    } finally {
      await sb.close();
    }
  }, 120_000);
});
