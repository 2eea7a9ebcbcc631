// The outbound flow reading a voice verification code (Responses' StartOutboundVoiceContact with
// purpose verification-code, attributes code and codeMinutes): the code twice, digit by digit, in SSML.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFlow } from '../../../connect-flows/lib/flow-load';
import { simulateCall } from '../../../connect-flows/simulator/simulate';
import { LocalIntentMatcher } from '../../../connect-flows/lex/intent-matcher';
import { validateFlow } from '../../../connect-flows/validator/validate-flow';

const raw = readFileSync('connect-flows/flows/outbound-notification.json', 'utf8');
const loaded = parseFlow(raw);
const flow = loaded.flow;

describe('outbound flow: a verification code by voice', () => {
  it('reads the reference, then the code twice digit by digit, and hangs up', async () => {
    const r = await simulateCall({
      flow, template: null, lambdas: {}, recognizer: new LocalIntentMatcher(), encrypt: async () => { throw new Error('no encryption here'); },
      caller: '+442079460000', inputs: [], parameters: { BusinessName: 'Example Co', PrivacyQueueArn: 'privacy-queue' },
      attributes: { caseRef: 'PD-20261123-AB3K9Z', purpose: 'verification-code', caseStatus: 'verifying', code: '048213', codeMinutes: '10' },
    });
    const said = r.transcript.flatMap((t) => (t.event === 'prompt' ? [t.text] : []));
    expect(said[0]).toBe('Hello, this is Example Co with the verification code for your privacy request, reference PD-20261123-AB3K9Z. Your code is 048213. Again, your code is 048213. It expires in 10 minutes. Do not share it with anyone.');
    expect(said.slice(1)).toEqual(['Thank you for calling. Goodbye.']);
    expect(r.end.how).toBe('disconnected');
    // Nothing asks for input: no status text, no offer to repeat.
    expect(r.transcript.some((t) => t.event === 'input')).toBe(false);
  });

  it('speaks the code as digits (SSML say-as digits, slowly), twice', () => {
    const action = flow.Actions.find((a) => a.Identifier === 'Read verification code')!;
    const ssml = String(action.Parameters.SSML);
    expect(ssml.startsWith('<speak>') && ssml.endsWith('</speak>')).toBe(true);
    expect(ssml.match(/<prosody rate="slow"><say-as interpret-as="digits">\$\.Attributes\.code<\/say-as><\/prosody>/gu)).toHaveLength(2);
    expect(validateFlow(loaded, null).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
