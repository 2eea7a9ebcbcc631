// One test per Connect Flow-language rule the validator knows, each on a mutated copy of our own
// flows: the unmutated flows are clean, the mutation gives exactly the finding for that rule.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlow } from '../../../connect-flows/lib/flow-load';
import { loadTemplate } from '../../../connect-flows/lib/template';
import { validateFlow } from '../../../connect-flows/validator/validate-flow';
import { main } from '../../../cli/main';

const TEMPLATE = loadTemplate('connect-flows/template.yaml');
type Json = Record<string, any>;
const load = (name: string): Json => JSON.parse(readFileSync(`connect-flows/flows/${name}.json`, 'utf8')) as Json;
const action = (f: Json, id: string): Json => f.Actions.find((a: Json) => a.Identifier === id);
function findings(f: Json) {
  return validateFlow(parseFlow(JSON.stringify(f)), TEMPLATE).findings.map((x) => `${x.severity}:${x.code}@${x.action}`);
}
function mutated(name: string, change: (f: Json) => void): string[] {
  const f = load(name);
  change(f);
  return findings(f);
}

describe('Connect Flow-language rules per action type', () => {
  it('our two flows have no findings', () => {
    expect(findings(load('inbound-privacy-line'))).toEqual([]);
    expect(findings(load('outbound-notification'))).toEqual([]);
  });

  it('a DTMF menu condition is one key (0-9, # or *)', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Confirm opt-out').Transitions.Conditions[0].Condition.Operands = ['11']; }))
      .toEqual(['error:dtmf-operand@Confirm opt-out']);
  });

  it('Text, SSML and PromptId are mutually exclusive', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Greeting and notice').Parameters.SSML = '<speak>Hello</speak>'; }))
      .toEqual(['error:prompt-exclusive@Greeting and notice']);
  });

  it('<speak> belongs in the SSML parameter, not in Text (warning)', () => {
    expect(mutated('outbound-notification', (f) => {
      const a = action(f, 'Status greeting');
      a.Parameters = { Text: a.Parameters.SSML };
    })).toEqual(['warning:ssml-in-text@Status greeting']);
  });

  it('LoopCount is 0..100', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Retry understanding').Parameters.LoopCount = '101'; })).toEqual(['error:loop-count@Retry understanding']);
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Retry understanding').Parameters.LoopCount = '-1'; })).toEqual(['error:loop-count@Retry understanding']);
  });

  it('a Loop has exactly the ContinueLooping and DoneLooping conditions, and a NextAction (warning)', () => {
    expect(mutated('inbound-privacy-line', (f) => {
      action(f, 'Retry understanding').Transitions.Conditions.push({ NextAction: 'Goodbye', Condition: { Operator: 'Equals', Operands: ['Maybe'] } });
    })).toEqual(['error:loop-conditions@Retry understanding']);
    expect(mutated('inbound-privacy-line', (f) => { delete action(f, 'Retry understanding').Transitions.NextAction; }))
      .toEqual(['warning:loop-next-action@Retry understanding']);
  });

  it('a Lex intent is matched with Equals only', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Ask what the caller wants').Transitions.Conditions[0].Condition.Operator = 'TextContains'; }))
      .toEqual(['error:lex-operator@Ask what the caller wants']);
  });

  it('UpdateContactAttributes TargetContact is Current or Related', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Remember caller').Parameters.TargetContact = 'Previous'; }))
      .toEqual(['error:target-contact@Remember caller']);
  });

  it('a Lambda response is STRING_MAP or JSON', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Look up caller').Parameters.ResponseValidation.ResponseType = 'XML'; }))
      .toEqual(['error:lambda-response-type@Look up caller']);
  });

  it('InputTimeLimitSeconds is 1..180', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Confirm opt-out').Parameters.InputTimeLimitSeconds = '0'; }))
      .toEqual(['error:input-timeout-range@Confirm opt-out']);
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Get account number').Parameters.InputTimeLimitSeconds = '181'; }))
      .toEqual(['error:input-timeout-range@Get account number']);
  });

  it('UpdateContactTargetQueue takes a QueueId or an AgentId, not both', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Set privacy queue').Parameters.AgentId = 'arn:aws:connect:us-east-1:111122223333:instance/x/agent/y'; }))
      .toEqual(['error:queue-and-agent@Set privacy queue']);
  });

  it('a storing input has no NoMatchingCondition, no timeout branch and no conditions, and is not advised to add one', () => {
    const r = mutated('inbound-privacy-line', (f) => {
      const a = action(f, 'Get account number');
      a.Transitions.Errors.push({ ErrorType: 'NoMatchingCondition', NextAction: 'Set privacy queue' }, { ErrorType: 'InputTimeLimitExceeded', NextAction: 'Set privacy queue' });
    });
    expect(r).toEqual(['error:transition-not-allowed@Get account number', 'error:transition-not-allowed@Get account number']);
    const withConditions = mutated('inbound-privacy-line', (f) => {
      action(f, 'Get account number').Transitions.Conditions = [{ NextAction: 'Set privacy queue', Condition: { Operator: 'Equals', Operands: ['1'] } }];
    });
    expect(withConditions).toEqual(['error:transition-not-allowed@Get account number']);
    expect(withConditions.join()).not.toMatch(/no-nomatch-branch/u);
  });

  it('each action has only the error branches its type has', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Greeting and notice').Transitions.Errors.push({ ErrorType: 'InputTimeLimitExceeded', NextAction: 'Look up caller' }); }))
      .toEqual(['error:transition-not-allowed@Greeting and notice']);
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Check open case').Transitions.Errors.push({ ErrorType: 'NoMatchingError', NextAction: 'Goodbye' }); }))
      .toEqual(['error:transition-not-allowed@Check open case']);
  });

  it('Compare operands: one each, a number for Number operators (or a JSONPath)', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Check attempts left').Transitions.Conditions[0].Condition = { Operator: 'NumberLessThan', Operands: ['two'] }; }))
      .toEqual(['error:operand-shape@Check attempts left']);
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Check attempts left').Transitions.Conditions[0].Condition = { Operator: 'NumberLessThan', Operands: ['$.Attributes.maxAttempts'] }; }))
      .toEqual([]);
  });

  it('a storing input checks for Connect\'s "Timeout" before the value is used (warning), and a Timeout check does not hide an overwrite', () => {
    expect(mutated('inbound-privacy-line', (f) => { action(f, 'Get account number').Transitions.NextAction = 'Keep account number'; }))
      .toContain('warning:stored-input-timeout-unchecked@Get account number');
    const r = mutated('inbound-privacy-line', (f) => {
      const check = action(f, 'Check account number keyed');
      check.Transitions.NextAction = 'Get date of birth';
      check.Transitions.Errors = [{ ErrorType: 'NoMatchingCondition', NextAction: 'Get date of birth' }];
    });
    expect(r).toContain('error:stored-input-overwritten@Get account number');
  });

  it('Metadata.status is what exports write ("published"), and --strict fails on that warning', async () => {
    expect(mutated('inbound-privacy-line', (f) => { f.Metadata.status = 'PUBLISHED'; })).toEqual(['warning:metadata-status@null']);
    const f = load('inbound-privacy-line');
    f.Metadata.status = 'PUBLISHED';
    const file = join(mkdtempSync(join(tmpdir(), 'pd-flow-')), 'flow.json');
    writeFileSync(file, JSON.stringify(f));
    const io = { stdout: () => undefined, stderr: () => undefined, isTTY: false };
    expect(await main(['flows', 'validate', file], io)).toBe(0);
    expect(await main(['flows', 'validate', '--strict', file], io)).toBe(1);
  });
});
