// The life of a case, as an xstate v5 machine. Pure: every effect (send, query, erase) is an
// injected actor; every event carries its time (`at`); the context holds no raw PII.
//
//   open: received ─ack─▶ acknowledged ─▶ verifying ─(level reached)─▶ verified ─DISCOVER─▶
//         discovering ─▶ in_review ─APPROVE─▶ approved ─▶ executing ─▶ checking ─▶ responding
//   ─▶ closed.            (access skips executing/checking; opt-out and limit skip ack/verification)
//   HOLD ─▶ on_hold ─RESUME─▶ back where it was;  DENY ─▶ denied;  EXTEND once, before the due date.
//   CATEGORIES_ONLY (verifying, specific pieces, only reasonable reached): the categories report instead.
import { and, assign, fromPromise, not, setup, stateIn } from 'xstate';
import type {
  CaseStatus, CaseType, ConsumerLocale, DenialReason, ExtensionCategory, HoldReason, Jurisdiction, Strategy, VerificationLevel,
  VerificationMethod,
} from './case';
import { canExtend } from './deadlines';
import { levelFor, maxLevel, meets } from './verification';

/** Bump when the context shape changes; the engine refuses (or migrates) older snapshots. */
export const CASE_SNAPSHOT_VERSION = 1;

export interface Pause { from: string; to: string | null; reason: HoldReason }
export interface StepSummaries {
  /** `sensitive`: rows found holding sensitive personal information (CCPA category L; absent in older summaries). */
  discovery: { rows: number; review: number; exempt: number; errors: number; sensitive?: number } | null;
  execution: { deleted: number; masked: number; updated: number; errors: number } | null;
  check: { ok: boolean; remaining: number } | null;
}

export interface CaseContext extends StepSummaries {
  caseId: string;
  type: CaseType;
  strategy: Strategy;
  jurisdiction: Jurisdiction;
  receivedAt: string;
  requiredLevel: VerificationLevel;
  autoApprove: boolean;
  verification: {
    level: VerificationLevel; method: VerificationMethod | null; dataPoints: number;
    signedDeclaration: boolean; by: string | null; at: string | null; note: string | null;
  };
  /** `category` (optional; absent in cases extended before it existed) is what a status call may say. */
  extension: { at: string; reason: string; category?: ExtensionCategory } | null;
  pauses: Pause[];
  hold: { reason: HoldReason; note: string | null; since: string; resumeTo: CaseStatus } | null;
  denial: { reason: DenialReason; note: string | null; at: string } | null;
  pendingReview: number;
  /** The last failed step; `waits` when the step did not fail but waits for staff (StepWaits). */
  lastError: { step: string; message: string; waits?: StepWait } | null;
  /** How many times each effect step was entered: makes step keys ("execute#2") stable across restarts. */
  runs: Record<string, number>;
  /**
   * A request for specific pieces that could not be verified to the high level, answered with the
   * categories report instead (11 CCR §7024(c)); absent otherwise (and in older snapshots).
   */
  categoriesOnly?: { at: string; by: string; note: string };
  /** The language the consumer asked in (absent: the business's default, and in older snapshots). */
  locale?: ConsumerLocale;
}

export type CaseInput = Pick<CaseContext, 'caseId' | 'type' | 'strategy' | 'jurisdiction' | 'receivedAt' | 'requiredLevel' | 'autoApprove'> & {
  /** A verification recorded with the case's creation (e.g. staff attestation of an imported request); absent: none yet. */
  verification?: CaseContext['verification'];
  locale?: ConsumerLocale;
};

export type CaseEvent =
  | { type: 'VERIFY'; at: string; by: string; method: Exclude<VerificationMethod, 'none'>; dataPoints: number; signedDeclaration: boolean; note: string }
  | { type: 'DISCOVER'; at: string }
  | { type: 'REVIEW_UPDATED'; at: string; pending: number }
  | { type: 'APPROVE'; at: string; by: string }
  | { type: 'RETRY'; at: string }
  | { type: 'HOLD'; at: string; reason: HoldReason; note: string | null }
  | { type: 'RESUME'; at: string }
  | { type: 'EXTEND'; at: string; reason: string; category?: ExtensionCategory }
  | { type: 'DENY'; at: string; reason: DenialReason; note: string | null }
  /** Answer a specific-pieces access verified only to the reasonable level with the categories report. */
  | { type: 'CATEGORIES_ONLY'; at: string; by: string; note: string };

/** What the effects return (the engine adds nothing to these; time comes from the next event). */
export interface EffectInput { caseId: string; run: number }

const notImplemented = (name: string) => fromPromise<never, EffectInput>(async () => {
  throw new Error(`effect "${name}" was not provided to the case machine`);
});

function pausesClosed(pauses: Pause[], at: string): Pause[] {
  return pauses.map((p) => (p.to === null ? { ...p, to: at } : p));
}

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
  },
  actors: {
    acknowledge: notImplemented('acknowledge') as ReturnType<typeof fromPromise<void, EffectInput>>,
    discover: notImplemented('discover') as ReturnType<typeof fromPromise<NonNullable<StepSummaries['discovery']>, EffectInput>>,
    execute: notImplemented('execute') as ReturnType<typeof fromPromise<NonNullable<StepSummaries['execution']>, EffectInput>>,
    checkResult: notImplemented('checkResult') as ReturnType<typeof fromPromise<NonNullable<StepSummaries['check']>, EffectInput>>,
    respond: notImplemented('respond') as ReturnType<typeof fromPromise<void, EffectInput>>,
  },
  guards: {
    verificationNeeded: ({ context }) => context.requiredLevel !== 'none',
    levelReached: ({ context }) => meets(context.verification.level, context.requiredLevel),
    autoApprove: ({ context }) => context.autoApprove,
    isAccess: ({ context }) => context.type === 'access',
    /** Approval needs every shared/exempt row decided and no failed system, unless auto-approve (which leaves undecided rows untouched). */
    reviewComplete: ({ context }) => context.autoApprove || (context.pendingReview === 0 && (context.discovery?.errors ?? 0) === 0),
    discoveryClean: ({ context }) => (context.discovery?.errors ?? 0) === 0,
    checkOk: ({ context }) => context.check?.ok === true,
    mayExtend: ({ context, event }) => {
      if (event.type !== 'EXTEND') return false;
      return canExtend({
        jurisdiction: context.jurisdiction, type: context.type, receivedAt: context.receivedAt,
        extended: context.extension !== null, pauses: context.pauses,
      }, new Date(event.at)).ok;
    },
  },
  actions: {
    recordVerification: assign(({ context, event }) => {
      if (event.type !== 'VERIFY') return {};
      const reached = levelFor(event.dataPoints, event.signedDeclaration);
      return {
        verification: {
          level: maxLevel(context.verification.level, reached),
          method: event.method, dataPoints: Math.max(context.verification.dataPoints, event.dataPoints),
          signedDeclaration: context.verification.signedDeclaration || event.signedDeclaration,
          by: event.by, at: event.at, note: event.note,
        },
      };
    }),
    recordExtension: assign(({ event }) => (event.type === 'EXTEND' ? { extension: { at: event.at, reason: event.reason, ...(event.category ? { category: event.category } : {}) } } : {})),
    recordDenial: assign(({ event }) => (event.type === 'DENY' ? { denial: { reason: event.reason, note: event.note, at: event.at } } : {})),
    recordReview: assign(({ event }) => (event.type === 'REVIEW_UPDATED' ? { pendingReview: event.pending } : {})),
    clearError: assign({ lastError: null }),
    /** Entering an effect state starts a new run of that step (persisted before the effect runs). */
    countRun: assign(({ context }, params: { step: string }) => ({
      runs: { ...context.runs, [params.step]: (context.runs[params.step] ?? 0) + 1 },
    })),
  },
}).createMachine({
  id: 'case',
  context: ({ input }) => ({
    ...input,
    verification: input.verification ?? { level: 'none', method: null, dataPoints: 0, signedDeclaration: false, by: null, at: null, note: null },
    extension: null, pauses: [], hold: null, denial: null, pendingReview: 0, lastError: null,
    discovery: null, execution: null, check: null, runs: {},
  }),
  initial: 'open',
  states: {
    open: {
      initial: 'intake',
      on: {
        EXTEND: { guard: 'mayExtend', actions: 'recordExtension' },
        VERIFY: { actions: 'recordVerification' },
        HOLD: {
          guard: not(stateIn({ open: 'executing' })),
          target: 'on_hold',
          actions: assign(({ context, event, self }) => {
            const status = Object.values((self.getSnapshot().value as { open?: string }))[0] as CaseStatus;
            return {
              hold: { reason: event.reason, note: event.note, since: event.at, resumeTo: status },
              pauses: [...context.pauses, { from: event.at, to: null, reason: event.reason }],
            };
          }),
        },
        DENY: {
          guard: and([not(stateIn({ open: 'executing' })), not(stateIn({ open: 'checking' })), not(stateIn({ open: 'responding' }))]),
          target: 'denied',
          actions: 'recordDenial',
        },
      },
      states: {
        hist: { type: 'history' },
        intake: {
          always: [
            { guard: not('verificationNeeded'), target: 'executing' },
            { target: 'received' },
          ],
        },
        received: {
          entry: { type: 'countRun', params: { step: 'acknowledge' } },
          invoke: {
            src: 'acknowledge',
            input: ({ context }) => ({ caseId: context.caseId, run: context.runs.acknowledge ?? 1 }),
            onDone: { target: 'acknowledged', actions: 'clearError' },
            onError: { actions: assign(({ event }) => ({ lastError: { step: 'acknowledge', message: String((event.error as Error)?.message ?? event.error)} })) },
          },
          on: { RETRY: { target: 'received', reenter: true } },
        },
        acknowledged: { always: 'verifying' },
        verifying: {
          always: { guard: 'levelReached', target: 'verified' },
          on: {
            CATEGORIES_ONLY: {
              guard: ({ context }) => context.type === 'access' && context.requiredLevel === 'high' && meets(context.verification.level, 'reasonable'),
              actions: assign(({ event }) => (event.type === 'CATEGORIES_ONLY'
                ? { requiredLevel: 'reasonable' as const, categoriesOnly: { at: event.at, by: event.by, note: event.note } } : {})),
            },
          },
        },
        verified: {
          always: { guard: 'autoApprove', target: 'discovering' },
          on: { DISCOVER: 'discovering' },
        },
        discovering: {
          entry: { type: 'countRun', params: { step: 'discover' } },
          invoke: {
            src: 'discover',
            input: ({ context }) => ({ caseId: context.caseId, run: context.runs.discover ?? 1 }),
            onDone: [
              {
                guard: ({ context, event }) => context.autoApprove && event.output.errors === 0
                  && meets(context.verification.level, levelAfterDiscovery(context, event.output)),
                target: 'approved',
                actions: assign(({ context, event }) => ({ discovery: event.output, pendingReview: event.output.review, lastError: null, requiredLevel: levelAfterDiscovery(context, event.output) })),
              },
              {
                target: 'in_review',
                actions: assign(({ context, event }) => ({ discovery: event.output, pendingReview: event.output.review, lastError: null, requiredLevel: levelAfterDiscovery(context, event.output) })),
              },
            ],
            onError: {
              target: 'in_review',
              actions: assign(({ event }) => ({ lastError: { step: 'discover', message: errorMessage(event.error)} })),
            },
          },
        },
        in_review: {
          on: {
            DISCOVER: 'discovering',
            REVIEW_UPDATED: { actions: 'recordReview' },
            APPROVE: { guard: and(['reviewComplete', 'discoveryClean', 'levelReached']), target: 'approved' },
          },
        },
        approved: {
          always: [
            { guard: 'isAccess', target: 'responding' },
            { target: 'executing' },
          ],
        },
        executing: {
          entry: { type: 'countRun', params: { step: 'execute' } },
          invoke: {
            src: 'execute',
            input: ({ context }) => ({ caseId: context.caseId, run: context.runs.execute ?? 1 }),
            onDone: { target: 'checking', actions: assign(({ event }) => ({ execution: event.output, lastError: null })) },
            onError: {
              target: 'in_review',
              actions: assign(({ event }) => ({ lastError: { step: 'execute', message: errorMessage(event.error)} })),
            },
          },
        },
        checking: {
          entry: { type: 'countRun', params: { step: 'checkResult' } },
          invoke: {
            src: 'checkResult',
            input: ({ context }) => ({ caseId: context.caseId, run: context.runs.checkResult ?? 1 }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: 'responding', actions: assign(({ event }) => ({ check: event.output, lastError: null })) },
              {
                target: 'in_review',
                actions: assign(({ event }) => ({
                  check: event.output,
                  lastError: { step: 'check', message: `${event.output.remaining} row(s) still found after execution` },
                })),
              },
            ],
            onError: {
              target: 'in_review',
              actions: assign(({ event }) => ({ lastError: { step: 'check', message: errorMessage(event.error)} })),
            },
          },
        },
        responding: {
          entry: { type: 'countRun', params: { step: 'respond' } },
          invoke: {
            src: 'respond',
            input: ({ context }) => ({ caseId: context.caseId, run: context.runs.respond ?? 1 }),
            onDone: { target: '#case.closed', actions: 'clearError' },
            onError: { actions: assign(({ event }) => ({ lastError: { step: 'respond', message: errorMessage(event.error), ...waitOf(event.error) } })) },
          },
          on: { RETRY: { target: 'responding', reenter: true } },
        },
      },
    },
    on_hold: {
      on: {
        EXTEND: { guard: 'mayExtend', actions: 'recordExtension' },
        RESUME: {
          target: 'open.hist',
          actions: assign(({ context, event }) => ({ hold: null, pauses: pausesClosed(context.pauses, event.at) })),
        },
        DENY: {
          target: 'denied',
          actions: ['recordDenial', assign(({ context, event }) => ({ hold: null, pauses: pausesClosed(context.pauses, event.at) }))],
        },
      },
    },
    closed: { type: 'final' },
    denied: { type: 'final' },
  },
});

/** What a step waits for instead of failing (the console shows it; retrying changes nothing). */
export type StepWait = 'staff_delivery';
/** Thrown by a step that cannot finish until staff act (e.g. an access report with no email address). */
export class StepWaits extends Error {
  constructor(readonly waits: StepWait, message: string) { super(message); this.name = 'StepWaits'; }
}
function waitOf(e: unknown): { waits?: StepWait } {
  return e instanceof StepWaits || (e instanceof Error && e.name === 'StepWaits' && typeof (e as StepWaits).waits === 'string') ? { waits: (e as StepWaits).waits } : {};
}

/**
 * A deletion whose discovery found sensitive personal information (CCPA category L) needs the
 * reasonably high degree of certainty (11 CCR §7062(d): the sensitivity of the data and the risk of
 * harm of its deletion); the level only ever goes up.
 */
export function levelAfterDiscovery(context: Pick<CaseContext, 'type' | 'requiredLevel'>, summary: { sensitive?: number }): VerificationLevel {
  if ((context.type === 'delete' || context.type === 'delete_pii') && (summary.sensitive ?? 0) > 0) return maxLevel(context.requiredLevel, 'high');
  return context.requiredLevel;
}

function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
}

export type CaseMachine = typeof caseMachine;

/** The status a snapshot value stands for. */
export function statusOf(value: unknown): CaseStatus {
  if (typeof value === 'string') return value as CaseStatus;
  const v = value as { open?: string };
  return (v.open ?? 'received') as CaseStatus;
}
