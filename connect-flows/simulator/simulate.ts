// The flow simulator: runs a Connect flow action by action for one scripted call. Lambdas are
// real handlers called in-process with the event Connect would send; what the caller says goes to
// an IntentRecognizer (the local matcher, or Lex itself); encrypted inputs are encrypted exactly
// as Connect does. The result is a transcript: prompts, inputs, Lambda calls and results, and how
// the call ended. Encrypted values appear in it only as "[encrypted]".
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { actionInfo } from '../lib/action-types';
import { obj, str, type Flow, type FlowAction } from '../lib/flow-schema';
import { checkLambdaRef, type TemplateModel } from '../lib/template';
import type { IntentRecognizer } from '../../shared/channels/lex-client';

/** A Lambda handler; `signal` aborts when the flow stops waiting (isolated handlers then cut the invocation off). */
export type LambdaHandler = (event: unknown, signal?: AbortSignal) => Promise<unknown>;

export interface SimulationOptions {
  flow: Flow;
  /** Resolves ${Function.Arn} references and literal ARNs to function logical ids. */
  template: TemplateModel | null;
  /** Handlers by template logical id (e.g. CrmLookupFunction). */
  lambdas: Record<string, LambdaHandler>;
  recognizer: IntentRecognizer;
  /** Connect's encryption of a stored input (key id from the block, plaintext). */
  encrypt(keyId: string, plaintext: string): Promise<string>;
  /** The calling number (E.164), or null for an anonymous caller. */
  caller: string | null;
  /** What the caller keys or says, in order; each input block takes the next one. */
  inputs: string[];
  /** Values for ${Parameter} placeholders (template parameters). */
  parameters?: Record<string, string>;
  /** Connect's contact id; default a new UUID per call, as Connect gives each call its own (the Lambdas are idempotent per contact). */
  contactId?: string;
  /** Contact attributes present when the flow starts (an outbound call's StartOutboundVoiceContact Attributes). */
  attributes?: Record<string, string>;
  /** Overrides blocks' InvocationTimeLimitSeconds: for every function, or per function logical id (tests of a slow Lambda). */
  lambdaTimeoutMs?: number | Record<string, number>;
  maxSteps?: number;
}

export type TranscriptEntry =
  | { step: number; action: string; type: string; event: 'prompt'; text: string }
  | { step: number; action: string; type: string; event: 'input'; prompt: string; value: string; encrypted: boolean }
  | { step: number; action: string; type: string; event: 'intent'; said: string; intent: string | null; confidence: number | null }
  | { step: number; action: string; type: string; event: 'lambda'; function: string; parameters: Record<string, string>; ok: boolean; result?: Record<string, string>; error?: string; ms: number }
  | { step: number; action: string; type: string; event: 'attributes'; set: Record<string, string> }
  | { step: number; action: string; type: string; event: 'branch'; via: string; to: string }
  | { step: number; action: string; type: string; event: 'queue'; queue: string }
  | { step: number; action: string; type: string; event: 'note'; text: string };

export type Ending = 'disconnected' | 'transferred' | 'ended' | 'stuck' | 'max_steps';
export interface SimulationResult {
  contactId: string;
  transcript: TranscriptEntry[];
  end: { how: Ending; action: string | null; queue?: string };
  attributes: Record<string, string>;
  inputsLeft: number;
  /** Lambda invocations the flow stopped waiting for (timed out) that are still running; they settle later. */
  stillRunning: Array<Promise<unknown>>;
}

const REDACTED = '[encrypted]';
/** An input that stands for the caller keying or saying nothing (a timeout) in the middle of a call; running out of inputs is one too. */
export const NO_INPUT = '<timeout>';
const PATH_RE = /\$\.(External|Attributes|Lex)\.((?:Slots\.)?[A-Za-z0-9_]+)|\$\.(StoredCustomerInput|ContactId|CustomerEndpoint\.Address)/gu;

class Call {
  attributes: Record<string, string> = {};
  external: Record<string, string> = {};
  lex: Record<string, string> = {};
  stored = '';
  storedEncrypted = false;
  queue: string | null = null;
  loops = new Map<string, number>();
  /** Values that are ciphertext: redacted wherever they are shown. */
  secrets = new Set<string>();
  constructor(readonly contactId: string, readonly caller: string | null) {}

  resolve(v: string): string {
    return v.replace(PATH_RE, (_m, ns?: string, key?: string, sys?: string) => {
      if (sys === 'StoredCustomerInput') return this.stored;
      if (sys === 'ContactId') return this.contactId;
      if (sys) return this.caller ?? '';
      const src = ns === 'External' ? this.external : ns === 'Attributes' ? this.attributes : this.lex;
      return src[key!] ?? '';
    });
  }
  show(v: string): string {
    return this.secrets.has(v) ? REDACTED : v;
  }
  showMap(m: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, this.show(v)]));
  }
}

/** Names, emails and numbers in a Lambda's answer are masked in the transcript (the flow still gets them). */
function maskPersonal(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, /name|email|phone|address/iu.test(k) && v ? `${v.slice(0, 1)}***` : v]));
}

function fillTemplate(v: string, params: Record<string, string>): string {
  return v.replace(/\$\{([A-Za-z0-9]+)\}/gu, (m, name: string) => params[name] ?? m);
}

function promptOf(a: FlowAction, call: Call, params: Record<string, string>): string {
  const p = a.Parameters;
  const t = str(p.Text) ?? str(p.SSML) ?? (str(p.PromptId) ? `[prompt ${str(p.PromptId)}]` : '');
  return call.resolve(fillTemplate(t, params)).replace(/<[^>]+>/gu, '').replace(/\s+/gu, ' ').trim();
}

function errorTarget(a: FlowAction, errorType: string): string | null {
  const errs = a.Transitions.Errors ?? [];
  return (errs.find((e) => e.ErrorType === errorType) ?? errs.find((e) => e.ErrorType === 'NoMatchingError'))?.NextAction ?? null;
}

function conditionTarget(a: FlowAction, value: string): string | null {
  for (const c of a.Transitions.Conditions ?? []) {
    const [operand] = c.Condition.Operands;
    const op = c.Condition.Operator;
    const n = Number(value);
    const m = Number(operand);
    if (op === 'Equals' && value === operand) return c.NextAction;
    if (op === 'NumberGreaterThan' && Number.isFinite(n) && n > m) return c.NextAction;
    if (op === 'NumberGreaterOrEqualTo' && Number.isFinite(n) && n >= m) return c.NextAction;
    if (op === 'NumberLessThan' && Number.isFinite(n) && n < m) return c.NextAction;
    if (op === 'NumberLessOrEqualTo' && Number.isFinite(n) && n <= m) return c.NextAction;
    if (op === 'TextContains' && operand !== undefined && value.includes(operand)) return c.NextAction;
    if (op === 'TextStartsWith' && operand !== undefined && value.startsWith(operand)) return c.NextAction;
    if (op === 'TextEndsWith' && operand !== undefined && value.endsWith(operand)) return c.NextAction;
  }
  return null;
}

class LambdaTimeout extends Error { constructor() { super('timeout'); this.name = 'LambdaTimeout'; } }

async function withTimeout<T>(ms: number, p: Promise<T>, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_r, reject) => { timer = setTimeout(() => { onTimeout?.(); reject(new LambdaTimeout()); }, ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

function flatStringMap(v: unknown): Record<string, string> | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  for (const x of Object.values(v)) if (typeof x !== 'string') return null;
  return Buffer.byteLength(JSON.stringify(v), 'utf8') < 32 * 1024 ? (v as Record<string, string>) : null;
}

export async function simulateCall(o: SimulationOptions): Promise<SimulationResult> {
  const byId = new Map(o.flow.Actions.map((a) => [a.Identifier, a]));
  const call = new Call(o.contactId ?? randomUUID(), o.caller);
  Object.assign(call.attributes, o.attributes ?? {});
  const params = o.parameters ?? {};
  const inputs = [...o.inputs];
  const transcript: TranscriptEntry[] = [];
  const maxSteps = o.maxSteps ?? 500;
  let current: string | null = o.flow.StartAction;
  let step = 0;

  const running = new Set<Promise<unknown>>();
  const finish = (how: Ending, action: string | null): SimulationResult => ({
    contactId: call.contactId, transcript,
    end: { how, action, ...(how === 'transferred' && call.queue ? { queue: call.queue } : {}) },
    attributes: call.showMap(call.attributes), inputsLeft: inputs.length, stillRunning: [...running],
  });

  while (current !== null) {
    step += 1;
    if (step > maxSteps) return finish('max_steps', current);
    const a = byId.get(current);
    if (!a) {
      transcript.push({ step, action: current, type: '?', event: 'note', text: `no action with Identifier "${current}"` });
      return finish('stuck', current);
    }
    const base = { step, action: a.Identifier, type: a.Type };
    const go = (next: string | null, via: string): string | null => {
      if (next === null) transcript.push({ ...base, event: 'note', text: `no transition for ${via}: the call is stranded` });
      else if (via !== 'NextAction') transcript.push({ ...base, event: 'branch', via, to: next });
      return next;
    };
    const fail = (errorType: string) => go(errorTarget(a, errorType), `Errors[${errorType}]`);
    const next = a.Transitions.NextAction ?? null;
    const p = a.Parameters;

    switch (a.Type) {
      case 'MessageParticipant': {
        transcript.push({ ...base, event: 'prompt', text: promptOf(a, call, params) });
        current = go(next, 'NextAction');
        break;
      }
      case 'GetParticipantInput': {
        const prompt = promptOf(a, call, params);
        transcript.push({ ...base, event: 'prompt', text: prompt });
        const lexAlias = str(obj(p.LexV2Bot)?.AliasArn);
        if (lexAlias) { current = await lexTurn(a, base, call, inputs, o, transcript, go, fail); break; }
        const stores = str(p.StoreInput) === 'True';
        const next1 = inputs.shift();
        const raw = next1 === NO_INPUT ? undefined : next1;
        if (raw === undefined) {
          transcript.push({ ...base, event: 'note', text: 'the caller keyed nothing (timeout)' });
          if (stores) { call.stored = 'Timeout'; current = go(next, 'NextAction'); } else current = fail('InputTimeLimitExceeded');
          break;
        }
        const max = Number(obj(obj(p.InputValidation)?.CustomValidation)?.MaximumLength ?? 0);
        const value = max > 0 ? raw.slice(0, max) : raw;
        const enc = obj(p.InputEncryption);
        if (stores) {
          if (enc) {
            const keyId = fillTemplate(str(enc.EncryptionKeyId) ?? '', params);
            call.stored = await o.encrypt(keyId, value);
            call.secrets.add(call.stored);
          } else call.stored = value;
          transcript.push({ ...base, event: 'input', prompt, value: enc ? REDACTED : value, encrypted: Boolean(enc) });
          current = go(next, 'NextAction');
          break;
        }
        transcript.push({ ...base, event: 'input', prompt, value, encrypted: false });
        const target = conditionTarget(a, value);
        current = target ? go(target, `Conditions[${value}]`) : fail('NoMatchingCondition');
        break;
      }
      case 'ConnectParticipantWithLexBot': {
        transcript.push({ ...base, event: 'prompt', text: promptOf(a, call, params) });
        current = await lexTurn(a, base, call, inputs, o, transcript, go, fail);
        break;
      }
      case 'InvokeLambdaFunction': {
        const ref = str(p.LambdaFunctionARN) ?? '';
        const fn = resolveFunction(ref, o);
        const attrs = obj(p.LambdaInvocationAttributes) ?? {};
        const parameters = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, call.resolve(fillTemplate(String(v), params))]));
        const started = Date.now();
        if (!fn) {
          transcript.push({ ...base, event: 'lambda', function: ref, parameters: call.showMap(parameters), ok: false, error: 'no handler for this function in the simulator', ms: 0 });
          current = fail('NoMatchingError');
          break;
        }
        const override = typeof o.lambdaTimeoutMs === 'number' ? o.lambdaTimeoutMs : o.lambdaTimeoutMs?.[fn.id];
        const limitMs = override ?? Number(p.InvocationTimeLimitSeconds ?? 8) * 1000;
        try {
          const t0 = performance.now();
          const abort = new AbortController();
          const work = fn.handler(connectEvent(call, parameters), abort.signal);
          const tracked = work.then(() => undefined, () => undefined).finally(() => running.delete(tracked));
          running.add(tracked);
          const out = await withTimeout(limitMs, work, () => abort.abort());
          // A handler that blocks the event loop (synchronous SQLite) cannot be interrupted by a
          // timer, but Connect would have given up on it all the same: an answer after the limit is discarded.
          if (performance.now() - t0 > limitMs) throw new LambdaTimeout();
          const map = flatStringMap(out);
          if (!map) throw new Error('the response is not a flat map of strings under 32 KB');
          call.external = map;
          transcript.push({ ...base, event: 'lambda', function: fn.id, parameters: call.showMap(parameters), ok: true, result: maskPersonal(map), ms: Date.now() - started });
          current = go(next, 'NextAction');
        } catch (e) {
          const error = e instanceof LambdaTimeout ? `timed out after ${limitMs} ms` : `failed: ${(e as Error).name}`;
          call.external = {};
          transcript.push({ ...base, event: 'lambda', function: fn.id, parameters: call.showMap(parameters), ok: false, error, ms: Date.now() - started });
          current = fail('NoMatchingError');
        }
        break;
      }
      case 'UpdateContactAttributes':
      case 'UpdateFlowAttributes': {
        const src = obj(p.Attributes) ?? obj(p.FlowAttributes) ?? {};
        const set: Record<string, string> = {};
        for (const [k, v] of Object.entries(src)) {
          const raw = typeof v === 'string' ? v : str(obj(v)?.Value) ?? '';
          const value = call.resolve(fillTemplate(raw, params));
          if (call.secrets.has(call.stored) && raw.includes('$.StoredCustomerInput')) call.secrets.add(value);
          call.attributes[k] = value;
          set[k] = call.show(value);
        }
        transcript.push({ ...base, event: 'attributes', set });
        current = go(next, 'NextAction');
        break;
      }
      case 'Compare': {
        const value = call.resolve(str(p.ComparisonValue) ?? '');
        const target = conditionTarget(a, value);
        current = target ? go(target, `Conditions[${call.show(value)}]`) : fail('NoMatchingCondition');
        break;
      }
      case 'Loop': {
        const count = Number(p.LoopCount ?? 0);
        const done = call.loops.get(a.Identifier) ?? 0;
        const cont = done < count;
        call.loops.set(a.Identifier, cont ? done + 1 : 0);
        const target = conditionTarget(a, cont ? 'ContinueLooping' : 'DoneLooping');
        current = go(target, cont ? 'Conditions[ContinueLooping]' : 'Conditions[DoneLooping]');
        break;
      }
      case 'UpdateContactTargetQueue': {
        call.queue = fillTemplate(call.resolve(str(p.QueueId) ?? ''), params);
        transcript.push({ ...base, event: 'queue', queue: call.queue });
        current = go(next, 'NextAction');
        break;
      }
      case 'TransferContactToQueue': {
        if (call.queue) return finish('transferred', a.Identifier);
        current = fail('NoMatchingError');
        break;
      }
      case 'DisconnectParticipant':
        return finish('disconnected', a.Identifier);
      case 'EndFlowExecution':
      case 'EndFlowModuleExecution':
        return finish('ended', a.Identifier);
      default: {
        const info = actionInfo(a.Type);
        transcript.push({ ...base, event: 'note', text: `${a.Type} is not simulated; taking its NextAction` });
        if (info?.terminal) return finish('ended', a.Identifier);
        current = go(next, 'NextAction');
      }
    }
  }
  return finish('stuck', null);
}

async function lexTurn(
  a: FlowAction, base: { step: number; action: string; type: string }, call: Call, inputs: string[], o: SimulationOptions,
  transcript: TranscriptEntry[], go: (next: string | null, via: string) => string | null, fail: (t: string) => string | null,
): Promise<string | null> {
  const next1 = inputs.shift();
  const said = next1 === NO_INPUT ? undefined : next1;
  if (said === undefined) {
    transcript.push({ ...base, event: 'note', text: 'the caller said nothing (timeout)' });
    return fail('InputTimeLimitExceeded');
  }
  let r;
  try {
    r = await o.recognizer.recognize(call.contactId, said, {});
  } catch (e) {
    transcript.push({ ...base, event: 'note', text: `the bot failed: ${(e as Error).name}` });
    return fail('NoMatchingError');
  }
  call.lex = { IntentName: r.intent ?? '', ...Object.fromEntries(Object.entries(r.slots).map(([k, v]) => [`Slots.${k}`, v])) };
  transcript.push({ ...base, event: 'intent', said, intent: r.intent, confidence: r.confidence });
  const target = r.intent ? conditionTarget(a, r.intent) : null;
  return target ? go(target, `Conditions[${r.intent}]`) : fail('NoMatchingCondition');
}

function resolveFunction(ref: string, o: SimulationOptions): { id: string; handler: LambdaHandler } | null {
  if (o.template) {
    const r = checkLambdaRef(o.template, ref);
    if (r.declared && r.logicalId && o.lambdas[r.logicalId]) return { id: r.logicalId, handler: o.lambdas[r.logicalId]! };
  }
  const m = /^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}$/u.exec(ref.trim());
  if (m && o.lambdas[m[1]!]) return { id: m[1]!, handler: o.lambdas[m[1]!]! };
  return null;
}

/** The event Connect sends to a Lambda (ContactFlowEvent). */
export function connectEvent(call: { contactId: string; caller: string | null; attributes: Record<string, string> }, parameters: Record<string, string>): unknown {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        ContactId: call.contactId, InitialContactId: call.contactId, PreviousContactId: call.contactId,
        Channel: 'VOICE', InitiationMethod: 'INBOUND',
        CustomerEndpoint: call.caller ? { Address: call.caller, Type: 'TELEPHONE_NUMBER' } : null,
        SystemEndpoint: { Address: '+18005550199', Type: 'TELEPHONE_NUMBER' },
        Attributes: { ...call.attributes },
        InstanceARN: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000000',
        Queue: null, MediaStreams: {},
      },
      Parameters: parameters,
    },
  };
}
