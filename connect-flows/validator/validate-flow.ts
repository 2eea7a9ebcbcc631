// The flow validator: structural and safety checks on one Connect flow. Every finding names the
// action's Identifier. Errors make the flow unfit to deploy; warnings are worth a look.
import { actionInfo, MAX_ACTIONS, MAX_LAMBDA_SECONDS } from '../lib/action-types';
import { edgesOf, obj, str, type Flow, type FlowAction } from '../lib/flow-schema';
import type { LoadedFlow } from '../lib/flow-load';
import { checkLambdaRef, checkLexRef, subVariables, type TemplateModel } from '../lib/template';
import { checkActionRules, checkFlowMetadata } from './action-rules';

export type Severity = 'error' | 'warning';
export interface Finding {
  severity: Severity;
  code: string;
  /** The action's Identifier (null for whole-flow findings). */
  action: string | null;
  message: string;
}

export interface FlowReport {
  actions: number;
  byType: Record<string, number>;
  lambdas: string[];
  lexBots: string[];
  encryptedInputs: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/u;

function lexAliasOf(a: FlowAction): string | undefined {
  return str(obj(a.Parameters.LexV2Bot)?.AliasArn);
}

export function validateFlow(loaded: LoadedFlow, template: TemplateModel | null): FlowReport {
  const { flow, badActions } = loaded;
  const findings: Finding[] = [];
  const add = (severity: Severity, code: string, action: string | null, message: string) => findings.push({ severity, code, action, message });

  for (const b of badActions) add('error', 'bad-action', b.identifier, `action #${b.index + 1} is malformed: ${b.problem}`);
  const total = flow.Actions.length + badActions.length;
  if (total > MAX_ACTIONS) add('error', 'too-many-actions', null, `the flow has ${total} actions; Connect allows at most ${MAX_ACTIONS}`);

  const byId = new Map<string, FlowAction>();
  for (const a of flow.Actions) {
    if (byId.has(a.Identifier)) add('error', 'duplicate-identifier', a.Identifier, 'two actions share this Identifier');
    else byId.set(a.Identifier, a);
  }
  if (!byId.has(flow.StartAction)) add('error', 'missing-start', flow.StartAction, `StartAction "${flow.StartAction}" is not an action of the flow`);

  for (const a of flow.Actions) {
    for (const e of edgesOf(a)) {
      if (!byId.has(e.to)) add('error', 'unknown-target', a.Identifier, `${e.via} goes to "${e.to}", which is not an action of the flow`);
    }
  }
  reachability(flow, byId, add);
  for (const a of flow.Actions) checkBranches(a, add);
  for (const a of flow.Actions) checkActionRules(a, add);
  checkFlowMetadata(flow, add);

  const lambdas: string[] = [];
  const lexBots: string[] = [];
  const encryptedInputs: string[] = [];
  for (const a of flow.Actions) {
    if (a.Type === 'InvokeLambdaFunction') lambdas.push(...checkLambda(a, template, add));
    const lex = lexAliasOf(a);
    if (lex !== undefined) {
      lexBots.push(lex);
      if (template) {
        const r = checkLexRef(template, lex);
        if (!r.declared) add('error', 'lex-undeclared', a.Identifier, r.why);
      }
    } else if (a.Type === 'ConnectParticipantWithLexBot' && !obj(a.Parameters.LexBot)) {
      add('error', 'lex-missing', a.Identifier, 'ConnectParticipantWithLexBot names no bot (LexV2Bot.AliasArn)');
    }
    if (a.Type === 'GetParticipantInput' && checkInput(a, add)) encryptedInputs.push(a.Identifier);
    if (template) checkPlaceholders(a, template, add);
  }

  storedInputUse(flow, byId, add);

  const byType: Record<string, number> = {};
  for (const a of flow.Actions) byType[a.Type] = (byType[a.Type] ?? 0) + 1;
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    actions: total, byType, lambdas: [...new Set(lambdas)], lexBots: [...new Set(lexBots)], encryptedInputs,
    findings, errors, warnings: findings.length - errors,
  };
}

type Add = (severity: Severity, code: string, action: string | null, message: string) => void;

function reachability(flow: Flow, byId: Map<string, FlowAction>, add: Add): void {
  const seen = new Set<string>();
  const stack = byId.has(flow.StartAction) ? [flow.StartAction] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edgesOf(byId.get(id)!)) if (byId.has(e.to) && !seen.has(e.to)) stack.push(e.to);
  }
  for (const a of byId.values()) {
    if (!seen.has(a.Identifier)) add('error', 'unreachable', a.Identifier, `${a.Type} cannot be reached from StartAction`);
  }
}

function checkBranches(a: FlowAction, add: Add): void {
  const info = actionInfo(a.Type);
  const t = a.Transitions;
  const errorTypes = new Set((t.Errors ?? []).map((e) => e.ErrorType));
  if (!info) {
    add('warning', 'unknown-type', a.Identifier, `action type "${a.Type}" is not known to this validator; its branches were not checked`);
    return;
  }
  if (info.terminal) {
    if (t.NextAction || t.Errors?.length || t.Conditions?.length) add('warning', 'terminal-with-transitions', a.Identifier, `${a.Type} ends the flow; its transitions are never taken`);
    return;
  }
  if (!t.NextAction && !info.exitsOnSuccess && !(t.Conditions?.length)) {
    add('error', 'dead-end', a.Identifier, `${a.Type} has no NextAction: the caller would be stranded after it`);
  }
  if (info.canFail && !errorTypes.has('NoMatchingError')) {
    add('error', 'no-error-branch', a.Identifier, `${a.Type} can fail but has no NoMatchingError branch`);
  }
  const storing = a.Type === 'GetParticipantInput' && str(a.Parameters.StoreInput) === 'True';
  // A storing input has no conditions at all (action rules say so); never advise a NoMatchingCondition for it.
  if (info.conditions && !storing && t.Conditions?.length && !errorTypes.has('NoMatchingCondition')) {
    add('error', 'no-nomatch-branch', a.Identifier, `${a.Type} branches on conditions but has no NoMatchingCondition branch`);
  }
  if (info.waitsForInput && !storing && !errorTypes.has('InputTimeLimitExceeded')) {
    add('warning', 'no-timeout-branch', a.Identifier, `${a.Type} waits for the caller but has no InputTimeLimitExceeded branch`);
  }
}

function checkLambda(a: FlowAction, template: TemplateModel | null, add: Add): string[] {
  const arn = str(a.Parameters.LambdaFunctionARN);
  if (!arn) {
    add('error', 'lambda-arn-missing', a.Identifier, 'InvokeLambdaFunction has no LambdaFunctionARN');
    return [];
  }
  const limit = a.Parameters.InvocationTimeLimitSeconds;
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isFinite(n) || n < 1 || n > MAX_LAMBDA_SECONDS) {
      add('error', 'lambda-timeout', a.Identifier, `InvocationTimeLimitSeconds must be 1..${MAX_LAMBDA_SECONDS} (got ${String(limit).slice(0, 20)})`);
    }
  }
  const attrs = obj(a.Parameters.LambdaInvocationAttributes);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (typeof v !== 'string') add('error', 'lambda-attribute', a.Identifier, `LambdaInvocationAttributes.${k} must be a string`);
    }
  }
  if (template) {
    const r = checkLambdaRef(template, arn);
    if (!r.declared) add('error', 'lambda-undeclared', a.Identifier, r.why);
  }
  return [arn];
}

/** Checks a GetParticipantInput; returns true when it encrypts what it stores. */
function checkInput(a: FlowAction, add: Add): boolean {
  const p = a.Parameters;
  const enc = obj(p.InputEncryption);
  const stores = str(p.StoreInput) === 'True';
  if (!enc) {
    if (stores) add('warning', 'stored-input-unencrypted', a.Identifier, 'stores caller input without InputEncryption: sensitive digits would sit in the contact in clear');
    return false;
  }
  const keyId = str(enc.EncryptionKeyId)?.trim();
  const key = str(enc.Key)?.trim();
  if (!keyId) add('error', 'encryption-key-missing', a.Identifier, 'InputEncryption has no EncryptionKeyId');
  if (!key) add('error', 'encryption-key-missing', a.Identifier, 'InputEncryption has no Key (the X.509 certificate, PEM)');
  else if (!PEM_CERT_RE.test(key.replace(/\\n/gu, '\n')) && !subVariables(key).length) {
    add('error', 'encryption-key-invalid', a.Identifier, 'InputEncryption.Key is neither a PEM certificate nor a ${Parameter} of the template');
  }
  if (!stores) add('error', 'encryption-needs-store', a.Identifier, 'InputEncryption only applies with StoreInput "True"');
  if (!obj(obj(p.InputValidation)?.CustomValidation)) add('error', 'encryption-needs-validation', a.Identifier, 'InputEncryption requires InputValidation.CustomValidation (MaximumLength)');
  return true;
}

const stores = (a: FlowAction) => a.Type === 'GetParticipantInput' && str(a.Parameters.StoreInput) === 'True';
const readsStored = (a: FlowAction) => JSON.stringify(a.Parameters).includes('$.StoredCustomerInput');

/**
 * `$.StoredCustomerInput` holds one value: the next StoreInput block overwrites it. From each
 * storing block, every path must use the value (an action whose parameters read it) before
 * another storing block; a value no path ever uses is worth a warning.
 */
function storedInputUse(flow: Flow, byId: Map<string, FlowAction>, add: Add): void {
  for (const s of flow.Actions) {
    if (!stores(s)) continue;
    const seen = new Set<string>();
    // The value exists only on the success paths (NextAction, Conditions), not on error branches.
    const stack = edgesOf(s).filter((e) => !e.via.startsWith('Errors')).map((e) => e.to);
    let used = false;
    let overwrittenBy: string | null = null;
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const a = byId.get(id);
      if (!a) continue;
      // A Compare that looks at the value (the Timeout check) does not keep it: walk on past it.
      if (readsStored(a) && !comparesStored(a)) { used = true; continue; }
      if (a === s) continue; // asking again (a retry) replaces the value on purpose
      if (stores(a)) { overwrittenBy ??= a.Identifier; continue; }
      for (const e of edgesOf(a)) stack.push(e.to);
    }
    if (overwrittenBy) add('error', 'stored-input-overwritten', s.Identifier, `the input it stores can be overwritten by "${overwrittenBy}" before anything reads $.StoredCustomerInput; copy it to an attribute first`);
    else if (!used) add('warning', 'stored-input-unused', s.Identifier, 'nothing after it reads $.StoredCustomerInput');
    if (!timeoutChecked(s, byId)) {
      add('warning', 'stored-input-timeout-unchecked', s.Identifier, 'when the caller keys nothing Connect stores "Timeout" and takes the success branch; compare $.StoredCustomerInput with Timeout before using the value');
    }
  }
}

const comparesStored = (a: FlowAction) => a.Type === 'Compare' && str(a.Parameters.ComparisonValue)?.trim() === '$.StoredCustomerInput';

/** On every success path of a storing block, the first action that reads the value is a Compare with an Equals "Timeout" condition. */
function timeoutChecked(s: FlowAction, byId: Map<string, FlowAction>): boolean {
  const seen = new Set<string>();
  const stack = edgesOf(s).filter((e) => !e.via.startsWith('Errors')).map((e) => e.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const a = byId.get(id);
    if (!a || a === s || stores(a)) continue;
    if (readsStored(a)) {
      if (comparesStored(a) && (a.Transitions.Conditions ?? []).some((c) => c.Condition.Operator === 'Equals' && c.Condition.Operands[0] === 'Timeout')) continue;
      return false;
    }
    for (const e of edgesOf(a)) stack.push(e.to);
  }
  return true;
}

/** Every ${Name} placeholder must be a Parameter or Resource of the template (Fn::Sub would fail). */
function checkPlaceholders(a: FlowAction, template: TemplateModel, add: Add): void {
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const s of subVariables(v)) {
        if (s.name.startsWith('AWS::') || seen.has(s.name)) continue;
        seen.add(s.name);
        if (!template.parameters.has(s.name) && !template.resources.has(s.name)) {
          add('error', 'template-ref', a.Identifier, `\${${s.name}} is neither a Parameter nor a Resource of ${template.file}`);
        }
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(a.Parameters);
}
