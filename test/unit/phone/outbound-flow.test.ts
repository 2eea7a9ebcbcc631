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
    const r = await call({ caseRef: 'PD-20261123-AB3K9Z', purpose: 'status', caseStatus: 'closed', emailed: 'true' }, ['1', '1', '1']);
    expect(said(r)).toMatch(/^Hello, this is Example Co calling about your privacy request, reference PD-20261123-AB3K9Z\. \| Your request is complete/u);
    expect(r.transcript.filter((t) => t.action === 'Status greeting' && t.event === 'prompt')).toHaveLength(3);
    expect(r.end.how).toBe('disconnected');
  });

  it('says what a status means and hands a callback to the privacy team', async () => {
    expect(said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'verifying' }, []))).toMatch(/still need to verify your identity/u);
    expect(said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'in_review' }, []))).toMatch(/in progress/u);
    const pressed0 = await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'denied', emailed: 'true' }, ['0']);
    expect(pressed0.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
    const ready = await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'report_ready' }, ['0']);
    expect(said(ready)).toMatch(/Your report is ready\. We do not have an email address to send it to, so our privacy team will contact you to arrange a safe way to deliver it/u);
    expect(ready.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
    const callback = await call({ caseRef: 'PD-1', purpose: 'callback', caseStatus: 'verifying' }, []);
    expect(callback.end.how).toBe('transferred');
    expect(said(callback)).toMatch(/returning your call/u);
  });

  it('speaks of an email only when one was sent: complete and denied for a consumer without email', async () => {
    const mailed = said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'closed', emailed: 'true' }, []));
    expect(mailed).toMatch(/Your request is complete\. We have sent you the result by email\./u);
    for (const emailed of ['false', undefined]) {
      // No attribute (a call placed by an older version) is read as "not emailed": never claim a message we did not send.
      const attrs = { caseRef: 'PD-1', purpose: 'status', ...(emailed ? { emailed } : {}) };
      const done = await call({ ...attrs, caseStatus: 'closed' }, ['0']);
      expect(said(done)).toMatch(/Your request is complete\. Our privacy team can tell you the details: press 0 after this message\./u);
      expect(said(done)).not.toMatch(/email|message we sent/u);
      expect(done.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
      const denied = said(await call({ ...attrs, caseStatus: 'denied', denialReason: 'we could not verify your identity with the information provided' }, []));
      expect(denied).toMatch(/We could not complete your request, because we could not verify your identity with the information provided\. If you disagree, you can appeal/u);
      expect(denied).not.toMatch(/email|message we sent/u);
    }
    const deniedMailed = said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'denied', emailed: 'true', denialReason: 'x' }, []));
    expect(deniedMailed).toMatch(/The reason, and how to appeal, are in the email we sent you\./u);
    expect(deniedMailed).not.toContain('because x');
  });

  it('reads an extension notice with its reason phrase and new date, and a hold waiting for the consumer', async () => {
    const ext = await call({
      caseRef: 'PD-20261123-AB3K9Z', purpose: 'status', caseStatus: 'extended', emailed: 'false',
      extensionReason: 'your request covers many of our systems', dueDateSpoken: 'May 1, 2026',
    }, ['1', '9']);
    const text = said(ext);
    expect(text).toMatch(/^Hello, this is Example Co calling about your privacy request, reference PD-20261123-AB3K9Z\. \| We need more time to answer your request, because your request covers many of our systems\. We will give you our answer by May 1, 2026\. You do not need to do anything\./u);
    // Repeated on 1 (the whole notice again), then any other key ends the call politely.
    expect(ext.transcript.filter((t) => t.action === 'Say extended' && t.event === 'prompt')).toHaveLength(2);
    expect(ext.end.how).toBe('disconnected');
    expect(text).toMatch(/Thank you for calling\. Goodbye\.$/u);

    const hold = await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'awaiting_consumer', emailed: 'false' }, ['0']);
    expect(said(hold)).toMatch(/We have paused your request because we need more information from you before we can continue\. To find out what we need, press 0/u);
    expect(hold.end).toEqual({ how: 'transferred', action: 'Transfer to privacy team', queue: 'privacy-queue' });
    // A plain on_hold status (a staff status call) keeps its wording.
    expect(said(await call({ caseRef: 'PD-1', purpose: 'status', caseStatus: 'on_hold' }, []))).toMatch(/on hold for now/u);
  });
});
