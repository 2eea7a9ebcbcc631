import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlow, FlowLoadError } from '../../../connect-flows/lib/flow-load';
import { loadTemplate, parseTemplate } from '../../../connect-flows/lib/template';
import { validateFlow, type FlowReport } from '../../../connect-flows/validator/validate-flow';
import { main } from '../../../cli/main';

const TEMPLATE = loadTemplate('connect-flows/template.yaml');

type A = Record<string, unknown>;
const msg = (id: string, next: string): A => ({ Identifier: id, Type: 'MessageParticipant', Parameters: { Text: 'hi' }, Transitions: { NextAction: next, Errors: [{ ErrorType: 'NoMatchingError', NextAction: next }] } });
const end = (id = 'End'): A => ({ Identifier: id, Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
const flow = (actions: A[], start = actions[0]!.Identifier as string) => JSON.stringify({ Version: '2019-10-30', StartAction: start, Actions: actions });
const check = (actions: A[], start?: string): FlowReport => validateFlow(parseFlow(flow(actions, start)), TEMPLATE);
const codes = (r: FlowReport) => r.findings.map((f) => `${f.code}@${f.action}`);

function run(argv: string[]) {
  let out = '';
  let err = '';
  return main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false }).then((code) => ({ code, out, err }));
}

describe('flow validator', () => {
  it('finds our two flows clean against our template', () => {
    for (const f of ['inbound-privacy-line', 'outbound-notification']) {
      const r = validateFlow(parseFlow(readFileSync(`connect-flows/flows/${f}.json`, 'utf8')), TEMPLATE);
      expect(r.findings).toEqual([]);
    }
  });

  it('accepts a minimal good flow', () => {
    expect(check([msg('Hello', 'End'), end()]).findings).toEqual([]);
  });

  it('names the action for a transition to nowhere, an unreachable action and a missing start', () => {
    const r = check([msg('Hello', 'Nowhere'), end(), msg('Orphan', 'End')]);
    expect(codes(r)).toEqual(expect.arrayContaining(['unknown-target@Hello', 'unreachable@End', 'unreachable@Orphan']));
    expect(r.findings.find((f) => f.code === 'unknown-target')!.message).toMatch(/"Nowhere"/u);
    expect(codes(check([msg('Hello', 'End'), end()], 'Missing'))).toContain('missing-start@Missing');
  });

  it('requires error branches on actions that can fail, and NoMatchingCondition on branching ones', () => {
    const r = check([
      { Identifier: 'Call', Type: 'InvokeLambdaFunction', Parameters: { LambdaFunctionARN: '${CrmLookupFunction.Arn}' }, Transitions: { NextAction: 'Check' } },
      { Identifier: 'Check', Type: 'Compare', Parameters: { ComparisonValue: '$.External.found' }, Transitions: { NextAction: 'End', Conditions: [{ NextAction: 'End', Condition: { Operator: 'Equals', Operands: ['true'] } }] } },
      end(),
    ]);
    expect(codes(r)).toEqual(['no-error-branch@Call', 'no-nomatch-branch@Check']);
  });

  it('flags dead ends and timeouts not handled', () => {
    const r = check([
      { Identifier: 'Menu', Type: 'GetParticipantInput', Parameters: { Text: 'press 1' }, Transitions: { Conditions: [{ NextAction: 'Stuck', Condition: { Operator: 'Equals', Operands: ['1'] } }], Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'Stuck' }, { ErrorType: 'NoMatchingCondition', NextAction: 'Stuck' }] } },
      { Identifier: 'Stuck', Type: 'UpdateContactAttributes', Parameters: { Attributes: { a: 'b' } }, Transitions: { Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'Stuck' }] } },
    ]);
    expect(codes(r)).toEqual(expect.arrayContaining(['no-timeout-branch@Menu', 'dead-end@Stuck']));
    expect(r.findings.find((f) => f.code === 'no-timeout-branch')!.severity).toBe('warning');
  });

  it('checks Lambdas and Lex bots against the template, and the 8-second limit', () => {
    const lambda = (id: string, arn: string, next: string, limit = '8'): A => ({ Identifier: id, Type: 'InvokeLambdaFunction', Parameters: { LambdaFunctionARN: arn, InvocationTimeLimitSeconds: limit }, Transitions: { NextAction: next, Errors: [{ ErrorType: 'NoMatchingError', NextAction: next }] } });
    const r = check([
      lambda('Known by ref', '${IntakeFunction.Arn}', 'Known by name'),
      lambda('Known by name', 'arn:aws:lambda:us-east-1:111122223333:function:privacy-desk-opt-out', 'Unknown'),
      lambda('Unknown', 'arn:aws:lambda:us-east-1:111122223333:function:someone-else', 'Too slow'),
      lambda('Too slow', '${CrmLookupFunction.Arn}', 'Bot', '20'),
      { Identifier: 'Bot', Type: 'ConnectParticipantWithLexBot', Parameters: { Text: 'hi', LexV2Bot: { AliasArn: 'arn:aws:lex:us-east-1:111122223333:bot-alias/ABC/DEF' } }, Transitions: { NextAction: 'End', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'End' }, { ErrorType: 'InputTimeLimitExceeded', NextAction: 'End' }] } },
      end(),
    ]);
    expect(codes(r)).toEqual(['lambda-undeclared@Unknown', 'lambda-timeout@Too slow', 'lex-undeclared@Bot']);
    expect(r.lambdas).toHaveLength(4);
  });

  it('checks encrypted inputs: key id, certificate, custom validation, stored', () => {
    const input = (id: string, p: A, next: string): A => ({ Identifier: id, Type: 'GetParticipantInput', Parameters: { Text: 'key it in', ...p }, Transitions: { NextAction: next, Errors: [{ ErrorType: 'NoMatchingError', NextAction: next }] } });
    const r = check([
      input('Good', { StoreInput: 'True', InputValidation: { CustomValidation: { MaximumLength: '8' } }, InputEncryption: { EncryptionKeyId: '${ConnectInputKeyId}', Key: '${ConnectInputCertificate}' } }, 'No key'),
      input('No key', { StoreInput: 'True', InputValidation: { CustomValidation: { MaximumLength: '8' } }, InputEncryption: { Key: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } }, 'No validation'),
      input('No validation', { StoreInput: 'True', InputEncryption: { EncryptionKeyId: 'k1', Key: 'not a certificate' } }, 'Clear'),
      input('Clear', { StoreInput: 'True' }, 'End'),
      end(),
    ]);
    expect(codes(r).filter((c) => !/^stored-input-(overwritten|unused)/u.test(c))).toEqual(['encryption-key-missing@No key', 'encryption-key-invalid@No validation', 'encryption-needs-validation@No validation', 'stored-input-unencrypted@Clear']);
    expect(r.encryptedInputs).toEqual(['Good', 'No key', 'No validation']);
  });

  it('catches a stored input overwritten by the next input block before it is used', () => {
    const store = (id: string, next: string): A => ({ Identifier: id, Type: 'GetParticipantInput', Parameters: { Text: 'key', StoreInput: 'True', InputValidation: { CustomValidation: { MaximumLength: '8' } }, InputEncryption: { EncryptionKeyId: 'k', Key: '${ConnectInputCertificate}' } }, Transitions: { NextAction: next, Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'End' }] } });
    const keep = (id: string, next: string): A => ({ Identifier: id, Type: 'UpdateContactAttributes', Parameters: { Attributes: { first: '$.StoredCustomerInput' } }, Transitions: { NextAction: next, Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'End' }] } });
    // (These minimal flows skip the Timeout check; that warning has its own test in flow-action-rules.test.ts.)
    const noTimeoutWarning = (r: FlowReport) => codes(r).filter((c) => !c.startsWith('stored-input-timeout-unchecked@'));
    const bad = check([store('First', 'Second'), store('Second', 'Keep'), keep('Keep', 'End'), end()]);
    expect(noTimeoutWarning(bad)).toEqual(['stored-input-overwritten@First']);
    const good = check([store('First', 'Keep first'), keep('Keep first', 'Second'), store('Second', 'Keep'), keep('Keep', 'End'), end()]);
    expect(noTimeoutWarning(good)).toEqual([]);
    expect(noTimeoutWarning(check([store('Only', 'End'), end()]))).toEqual(['stored-input-unused@Only']);
  });

  it('reports placeholders the template does not declare, duplicates, malformed actions and the 250-action limit', () => {
    const r = check([
      { Identifier: 'Hello', Type: 'MessageParticipant', Parameters: { Text: 'Welcome to ${NoSuchParameter}' }, Transitions: { NextAction: 'End', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'End' }] } },
      end(), end(), { Type: 'MessageParticipant' },
    ]);
    expect(codes(r)).toEqual(expect.arrayContaining(['template-ref@Hello', 'duplicate-identifier@End', 'bad-action@null']));
    const many = [msg('A0', 'A1')];
    for (let i = 1; i < 251; i += 1) many.push(msg(`A${i}`, i === 250 ? 'End' : `A${i + 1}`));
    many.push(end());
    expect(codes(check(many))).toContain('too-many-actions@null');
  });

  it('refuses what is not a flow', () => {
    expect(() => parseFlow('{nope')).toThrow(FlowLoadError);
    expect(() => parseFlow('{"Version":"2019-10-30"}')).toThrow(/StartAction/u);
    expect(() => parseFlow('[1,2]')).toThrow(FlowLoadError);
  });

  it('reads short-form CloudFormation tags in templates', () => {
    const t = parseTemplate('Parameters: { P: { Type: String } }\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { FunctionName: my-fn, Role: !GetAtt R.Arn, Env: !Sub "${P}" }\n  Alias: { Type: AWS::Lex::BotAlias, Properties: { BotId: !Ref Bot } }\n');
    expect([...t.functions]).toEqual([['Fn', 'my-fn']]);
    expect(t.lexAliases.has('Alias')).toBe(true);
    expect(t.parameters.has('P')).toBe(true);
  });
});

describe('privacy-desk flows validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flows-cli-'));
  const good = join(dir, 'good.json');
  const bad = join(dir, 'bad.json');
  const junk = join(dir, 'junk.json');
  writeFileSync(good, flow([msg('Hello', 'End'), end()]));
  writeFileSync(bad, flow([msg('Hello', 'Gone'), end()]));
  writeFileSync(junk, 'this is not json');

  it('exits 0 on clean flows, 1 on faults, 2 when a file is not a flow', async () => {
    expect((await run(['flows', 'validate', 'connect-flows/flows/inbound-privacy-line.json', 'connect-flows/flows/outbound-notification.json'])).code).toBe(0);
    expect((await run(['flows', 'validate', good])).code).toBe(0);
    const faults = await run(['flows', 'validate', good, bad]);
    expect(faults.code).toBe(1);
    expect(faults.out).toMatch(/ERROR \[unknown-target\] Hello: NextAction goes to "Gone"/u);
    const unreadable = await run(['flows', 'validate', good, junk]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.out).toMatch(/CANNOT READ: .*not valid JSON/u);
    expect((await run(['flows', 'validate', join(dir, 'missing.json')])).code).toBe(2);
    expect((await run(['flows', 'validate'])).code).toBe(2);
    expect((await run(['flows', 'validate', good, '--template', join(dir, 'nope.yaml')])).code).toBe(2);
  });

  it('prints JSON with --json and fails on warnings with --strict', async () => {
    const warn = join(dir, 'warn.json');
    writeFileSync(warn, flow([{ Identifier: 'Clear', Type: 'GetParticipantInput', Parameters: { StoreInput: 'True', Text: 'x' }, Transitions: { NextAction: 'End', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'End' }] } }, end()]));
    const r = await run(['flows', 'validate', '--json', warn]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { files: Array<{ warnings: number; findings: Array<{ action: string; code: string }> }> };
    expect(parsed.files[0]!.findings.map((x) => `${x.code}@${x.action}`)).toEqual(['stored-input-unencrypted@Clear', 'stored-input-unused@Clear']);
    expect(parsed.files[0]!.warnings).toBe(2);
    expect((await run(['flows', 'validate', '--strict', warn])).code).toBe(1);
  });
});

describe('privacy-desk flows render', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flows-render-'));
  const arn = (fn: string) => `arn:aws:lambda:us-east-1:111122223333:function:${fn}`;
  const params = [
    'BusinessName=Acme "Widgets"', 'PrivacyPolicyUrl=acme.example/privacy', 'ConnectInputKeyId=key-123',
    'ConnectInputCertificate=-----BEGIN CERTIFICATE-----\\nMIIBfake\\n-----END CERTIFICATE-----',
    'PrivacyQueueArn=arn:aws:connect:us-east-1:111122223333:instance/i-1/queue/q-1',
    'PrivacyBotAlias.Arn=arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID12345/ALIAS12345',
    `CrmLookupFunction.Arn=${arn('privacy-desk-crm-lookup')}`, `IntakeFunction.Arn=${arn('privacy-desk-intake')}`, `OptOutFunction.Arn=${arn('privacy-desk-opt-out')}`,
  ].flatMap((p) => ['--param', p]);

  it('fills every placeholder, keeps valid JSON, and the result still validates', async () => {
    const out = join(dir, 'inbound.json');
    expect((await run(['flows', 'render', 'connect-flows/flows/inbound-privacy-line.json', ...params, '--out', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/\$\{/u);
    const f = JSON.parse(text) as { Actions: Array<{ Identifier: string; Parameters: Record<string, unknown> }> };
    const input = f.Actions.find((a) => a.Identifier === 'Get account number')!;
    expect(input.Parameters.InputEncryption).toEqual({ EncryptionKeyId: 'key-123', Key: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----' });
    expect(String(f.Actions[0]!.Parameters.Text)).toContain('Acme "Widgets"');
    // Literal ARNs now: the function names match the template; the Lex alias ARN is not a template resource.
    const r = await run(['flows', 'validate', '--json', out]);
    const findings = (JSON.parse(r.out) as { files: Array<{ findings: Array<{ code: string }> }> }).files[0]!.findings.map((x) => x.code);
    expect(findings).toEqual(['lex-undeclared']);
    expect((await run(['flows', 'validate', '--no-template', out])).code).toBe(0);
  });

  it('refuses to leave a placeholder unfilled (exit 2, names them)', async () => {
    const r = await run(['flows', 'render', 'connect-flows/flows/outbound-notification.json', '--param', 'BusinessName=Acme']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no value for \$\{PrivacyQueueArn\}/u);
  });
});
