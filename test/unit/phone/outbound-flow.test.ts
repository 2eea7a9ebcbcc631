// The outbound notification flow as Responses starts it (StartOutboundVoiceContact with the
// attributes caseRef, purpose, caseStatus): simulated without any Lambda.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFlow } from '../../../connect-flows/lib/flow-load';
import { simulateCall } from '../../../connect-flows/simulator/simulate';
import { LocalIntentMatcher } from '../../../connect-flows/lex/intent-matcher';

const flow = parseFlow(readFileSync('connect-flows/flows/outbound-notification.json', 'utf8')).flow;
const call = (attributes: Record<string, string>, inputs: string[]) => simulateCall({
  flow, template: null, lambdas: {}, recognizer: new LocalIntentMatcher(), encrypt: async () => { throw new Error('no encryption here'); },
  caller: '+14155550100', inputs, attributes, parameters: { BusinessName: 'Example Co', PrivacyQueueArn: 'privacy-queue' },
});
const said = (r: Awaited<ReturnType<typeof call>>) => r.transcript.flatMap((t) => (t.event === 'prompt' ? [t.text] : [])).join(' | ');

describe('outbound notification flow', () => {
  it('reads the reference and the status, repeats at most twice, then says goodbye', async () => {
    const r = await call({ caseRef: 'PD-20261123-AB3K9Z', purpose: 'status', caseStatus: 'closed' }, ['1', '1', '1']);
    expect(said(r)).toMatch(/^Hello, this is Example Co calling about your privacy request, reference PD-20261123-AB3K9Z\. \| Your request is complete/u);
    expect(r.transcript.filter((t) => t.action === 'Status greeting' && t.event === 'prompt')).toHaveLength(3);
    expect(r.end.how).toBe('disconnected');
  });

  it('says what a status means and hands a callback to the privacy team', async () => {
    expect(said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'verifying' }, []))).toMatch(/still need to verify your identity/u);
    expect(said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'in_review' }, []))).toMatch(/in progress/u);
    const pressed0 = await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'denied' }, ['0']);
    expect(pressed0.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
    const ready = await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'report_ready' }, ['0']);
    expect(said(ready)).toMatch(/Your report is ready\. We do not have an email address to send it to, so our privacy team will contact you to arrange a safe way to deliver it/u);
    expect(ready.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
    const callback = await call({ caseRef: 'PD-1', purpose: 'callback', caseStatus: 'verifying' }, []);
    expect(callback.end.how).toBe('transferred');
    expect(said(callback)).toMatch(/returning your call/u);
  });
});
