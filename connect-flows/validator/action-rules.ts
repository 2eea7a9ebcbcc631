// Per-action-type rules of the Amazon Connect Flow language (API Reference, "Flow language"
// actions): which parameters may appear together, the shape of condition operands, value ranges,
// and which transitions (error types, conditions) each action may have. Each finding names the
// action's Identifier.
import { obj, str, type Flow, type FlowAction } from '../lib/flow-schema';

type Add = (severity: 'error' | 'warning', code: string, action: string | null, message: string) => void;

/** Error types each action may branch on (types not listed here are not checked). */
export const ALLOWED_ERRORS: Record<string, readonly string[]> = {
  MessageParticipant: ['NoMatchingError'],
  GetParticipantInput: ['NoMatchingError', 'NoMatchingCondition', 'InputTimeLimitExceeded', 'InvalidPhoneNumber'],
  ConnectParticipantWithLexBot: ['NoMatchingError', 'NoMatchingCondition', 'InputTimeLimitExceeded'],
  InvokeLambdaFunction: ['NoMatchingError'],
  UpdateContactAttributes: ['NoMatchingError'],
  UpdateFlowAttributes: ['NoMatchingError'],
  UpdateContactTargetQueue: ['NoMatchingError'],
  TransferContactToQueue: ['QueueAtCapacity', 'NoMatchingError'],
  Compare: ['NoMatchingCondition'],
  Loop: [],
  DisconnectParticipant: [],
  EndFlowExecution: [],
};
/** Actions that may have Conditions. */
const HAS_CONDITIONS = new Set(['GetParticipantInput', 'ConnectParticipantWithLexBot', 'Compare', 'Loop', 'CheckHoursOfOperation', 'CheckMetricData', 'DistributeByPercentage', 'Wait']);
const PROMPTING = new Set(['MessageParticipant', 'GetParticipantInput', 'ConnectParticipantWithLexBot']);
const COMPARE_OPERATORS = new Set(['Equals', 'NumberGreaterThan', 'NumberGreaterOrEqualTo', 'NumberLessThan', 'NumberLessOrEqualTo', 'TextContains', 'TextStartsWith', 'TextEndsWith']);
export const LOOP_COUNT_MAX = 100;
/** GetParticipantInput waits 1..180 seconds for the caller. */
export const INPUT_SECONDS = { min: 1, max: 180 } as const;
const LAMBDA_RESPONSE_TYPES = new Set(['STRING_MAP', 'JSON']);
const TARGET_CONTACTS = new Set(['Current', 'Related']);
const EXPORT_STATUSES = new Set(['published', 'saved']);

const intIn = (v: unknown, min: number, max: number) => typeof v === 'string' && /^\d+$/u.test(v) && Number(v) >= min && Number(v) <= max;

export function checkActionRules(a: FlowAction, add: Add): void {
  const p = a.Parameters;
  const t = a.Transitions;
  const id = a.Identifier;
  const conditions = t.Conditions ?? [];
  const lex = a.Type === 'ConnectParticipantWithLexBot' || Boolean(obj(p.LexV2Bot) ?? obj(p.LexBot));
  const storing = a.Type === 'GetParticipantInput' && str(p.StoreInput) === 'True';

  // Prompt parameters: one of Text, SSML, PromptId; SSML belongs in SSML.
  if (PROMPTING.has(a.Type)) {
    const given = ['Text', 'SSML', 'PromptId'].filter((k) => p[k] !== undefined);
    if (given.length > 1) add('error', 'prompt-exclusive', id, `${given.join(' and ')} may not be given together (one of Text, SSML, PromptId)`);
    if (typeof p.Text === 'string' && /<speak[\s>]/u.test(p.Text)) add('warning', 'ssml-in-text', id, '<speak> inside Text: the Flow language has an SSML parameter for SSML (Text is plain text)');
  }

  // Transitions the action may have.
  const allowed = ALLOWED_ERRORS[a.Type];
  if (allowed) {
    const errs = storing ? allowed.filter((e) => e !== 'NoMatchingCondition' && e !== 'InputTimeLimitExceeded') : allowed;
    for (const e of t.Errors ?? []) {
      if (!errs.includes(e.ErrorType)) {
        add('error', 'transition-not-allowed', id, storing
          ? `Errors[${e.ErrorType}] is not a branch of a GetParticipantInput with StoreInput "True" (a timeout stores "Timeout" and takes the success branch; check $.StoredCustomerInput with a Compare)`
          : `Errors[${e.ErrorType}] is not a branch ${a.Type} has (it may have ${errs.length ? errs.join(', ') : 'no error branches'})`);
      }
    }
  }
  if (conditions.length && (!HAS_CONDITIONS.has(a.Type) || storing)) {
    add('error', 'transition-not-allowed', id, storing ? 'a GetParticipantInput with StoreInput "True" has no Conditions (compare $.StoredCustomerInput in a Compare after it)' : `${a.Type} has no Conditions`);
  }

  // Operands.
  for (const c of conditions) {
    const { Operator: op, Operands: ops } = c.Condition;
    if (a.Type === 'Loop') continue;
    if (ops.length !== 1) { add('error', 'operand-shape', id, `Condition ${op} takes exactly one operand (got ${ops.length})`); continue; }
    const v = ops[0]!;
    if (lex) {
      if (op !== 'Equals') add('error', 'lex-operator', id, `a Lex intent is matched with Equals only (got ${op})`);
    } else if (a.Type === 'GetParticipantInput' && !storing) {
      if (op !== 'Equals') add('error', 'dtmf-operator', id, `a DTMF menu is matched with Equals only (got ${op})`);
      if (!/^[0-9#*]$/u.test(v)) add('error', 'dtmf-operand', id, `DTMF operand "${v.slice(0, 20)}" is not one key (0-9, # or *); for several digits store the input and compare it`);
    } else if (a.Type === 'Compare') {
      if (!COMPARE_OPERATORS.has(op)) add('error', 'compare-operator', id, `unknown Compare operator ${op}`);
      // An operand may also be a JSONPath ($.Attributes.x) resolved at run time.
      else if (op.startsWith('Number') && !v.startsWith('$.') && !Number.isFinite(Number(v))) add('error', 'operand-shape', id, `${op} needs a number (got "${v.slice(0, 20)}")`);
    }
  }

  switch (a.Type) {
    case 'Loop': {
      if (!intIn(p.LoopCount, 0, LOOP_COUNT_MAX)) add('error', 'loop-count', id, `LoopCount must be a whole number 0..${LOOP_COUNT_MAX} (got ${String(p.LoopCount).slice(0, 20)})`);
      const names = conditions.map((c) => `${c.Condition.Operator}:${c.Condition.Operands.join(',')}`).sort();
      if (names.join('|') !== 'Equals:ContinueLooping|Equals:DoneLooping') {
        add('error', 'loop-conditions', id, `a Loop has exactly two conditions, Equals ContinueLooping and Equals DoneLooping (got ${names.join(', ') || 'none'})`);
      }
      if (!t.NextAction) add('warning', 'loop-next-action', id, 'Loop has no NextAction (Connect exports give it the DoneLooping target)');
      break;
    }
    case 'GetParticipantInput': {
      if (p.InputTimeLimitSeconds !== undefined && !intIn(p.InputTimeLimitSeconds, INPUT_SECONDS.min, INPUT_SECONDS.max)) {
        add('error', 'input-timeout-range', id, `InputTimeLimitSeconds must be ${INPUT_SECONDS.min}..${INPUT_SECONDS.max} (got ${String(p.InputTimeLimitSeconds).slice(0, 20)})`);
      }
      break;
    }
    case 'InvokeLambdaFunction': {
      const rt = obj(p.ResponseValidation)?.ResponseType;
      if (rt !== undefined && !LAMBDA_RESPONSE_TYPES.has(String(rt))) add('error', 'lambda-response-type', id, `ResponseValidation.ResponseType must be STRING_MAP or JSON (got ${String(rt).slice(0, 20)})`);
      break;
    }
    case 'UpdateContactAttributes': {
      if (p.TargetContact !== undefined && !TARGET_CONTACTS.has(String(p.TargetContact))) add('error', 'target-contact', id, `TargetContact must be Current or Related (got ${String(p.TargetContact).slice(0, 20)})`);
      break;
    }
    case 'UpdateContactTargetQueue': {
      if (p.QueueId !== undefined && p.AgentId !== undefined) add('error', 'queue-and-agent', id, 'QueueId and AgentId may not be given together');
      if (p.QueueId === undefined && p.AgentId === undefined) add('error', 'queue-missing', id, 'UpdateContactTargetQueue needs a QueueId or an AgentId');
      break;
    }
    default:
  }
}

/** Flow-level rules: what Connect's exports write in Metadata. */
export function checkFlowMetadata(flow: Flow, add: Add): void {
  const status = flow.Metadata?.status;
  if (status !== undefined && !EXPORT_STATUSES.has(String(status))) add('warning', 'metadata-status', null, `Metadata.status is "${String(status).slice(0, 20)}"; Connect exports write "published" or "saved"`);
}
