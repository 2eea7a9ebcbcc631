import { describe, it, expect } from 'vitest';
import { parseConnectEvent } from '../../../lambdas/common/connect-event';
import { makeLogger } from '../../../lambdas/common/log';
import { spoken, toStringMap } from '../../../lambdas/common/string-map';
import { connectEvent } from '../../../connect-flows/simulator/simulate';

describe('Connect event parsing', () => {
  it('reads the caller, parameters and attributes of a ContactFlowEvent', () => {
    const r = parseConnectEvent(connectEvent({ contactId: 'c-1', caller: '+14155550100', attributes: { a: 'b' } }, { requestType: 'delete' }));
    expect(r).toEqual({ ok: true, call: { contactId: 'c-1', callerAddress: '+14155550100', parameters: { requestType: 'delete' }, attributes: { a: 'b' } } });
  });
  it('treats a missing endpoint as an anonymous caller', () => {
    const r = parseConnectEvent(connectEvent({ contactId: 'c-1', caller: null, attributes: {} }, {}));
    expect(r.ok && r.call.callerAddress).toBeNull();
  });
  it('names the bad fields without their values', () => {
    const r = parseConnectEvent({ Name: 'ContactFlowEvent', Details: { ContactData: { ContactId: 'c' }, Parameters: { secret: { nested: '4417123456' } } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/Details\.Parameters\.secret/u);
    expect(JSON.stringify(r)).not.toContain('4417123456');
    expect(parseConnectEvent(null).ok).toBe(false);
    expect(parseConnectEvent({ Name: 'Other' }).ok).toBe(false);
  });
});

describe('string map for Connect', () => {
  it('keeps flat strings, drops null/undefined, refuses nesting and 32 KB', () => {
    expect(toStringMap({ a: 'x', b: 2, c: true, d: null, e: undefined })).toEqual({ a: 'x', b: '2', c: 'true' });
    expect(() => toStringMap({ a: { b: 1 } as unknown as string })).toThrow(/flat/u);
    expect(() => toStringMap({ a: 'x'.repeat(33_000) })).toThrow(/32768/u);
  });
  it('spells a case reference for text-to-speech', () => {
    expect(spoken('PD-20261123-AB3K9Z')).toBe('P D, 2 0 2 6 1 1 2 3, A B 3 K 9 Z');
  });
});

describe('Lambda logger', () => {
  it('writes only known keys with safe values', () => {
    const lines: string[] = [];
    const log = makeLogger('test', (l) => lines.push(l));
    log('info', 'x', { contactId: '1b2c3d4e-aaaa-4bbb-8ccc-123456789012', caseId: 'PD-20261123-AB3K9Z', matched: 2, phone: '+14155550100', reason: 'dob 01311990', note: 'free text' } as never);
    const o = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(o).toEqual({ level: 'info', handler: 'test', event: 'x', contactId: '1b2c3d4e-aaaa-4bbb-8ccc-123456789012', caseId: 'PD-20261123-AB3K9Z', matched: 2 });
  });
});
