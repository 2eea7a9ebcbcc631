// The words the case screen uses per request type (an access case never says "delete"), and the
// human words for denial and hold reasons. One place, so every part of the case says the same.
import type { CaseType, DenialReason, HoldReason } from '../../../../shared/domain/case';

export const DENIAL_REASON_LABEL: Record<DenialReason, string> = {
  unverifiable: 'Identity could not be verified',
  exempt: 'A legal exemption applies',
  duplicate: 'Duplicate of another request',
  withdrawn: 'Withdrawn by the consumer',
};

export const HOLD_REASON_LABEL: Record<HoldReason, string> = {
  awaiting_consumer: 'Waiting for the consumer',
  legal_hold: 'Legal hold',
};
export const HOLD_REASON_HINT: Record<HoldReason, string> = {
  awaiting_consumer: 'We asked the consumer for something (a document, a detail) and wait for it. The consumer is told we are waiting for them.',
  legal_hold: 'A litigation hold or an investigation stops the work. The consumer is told a legal obligation pauses the request.',
};

/** Request types whose work changes data in place (flags, corrected values) rather than deleting it. */
export const WRITES: ReadonlySet<CaseType> = new Set(['correct', 'opt_out', 'limit']);
export const ERASES: ReadonlySet<CaseType> = new Set(['delete', 'delete_pii']);

export interface TypeWords {
  plan: string;
  approve: string;
  verifyDone: string;
  verifyPending: string;
  /** Review: what approving a shared row does, and setting it aside. */
  reviewApprove: string;
  reviewApproved: string;
  reviewSetAside: string;
  reviewSetAsideDone: string;
}

export const TYPE_WORDS: Record<CaseType, TypeWords> = {
  delete: {
    plan: 'Deletion plan', approve: 'Approve deletion…',
    verifyDone: 'Verified: nothing left of this person', verifyPending: 'After the deletion every system is queried again: nothing of this person may be left.',
    reviewApprove: 'Erase', reviewApproved: 'Approved for erasure', reviewSetAside: 'Set aside', reviewSetAsideDone: 'Set aside (kept)',
  },
  delete_pii: {
    plan: 'Removal plan', approve: 'Approve removal…',
    verifyDone: 'Verified: the chosen details are gone', verifyPending: 'After the removal every system is queried again: the chosen details may not be left.',
    reviewApprove: 'Remove', reviewApproved: 'Approved for removal', reviewSetAside: 'Set aside', reviewSetAsideDone: 'Set aside (kept)',
  },
  access: {
    plan: 'The access report', approve: 'Approve and send report…',
    verifyDone: 'Report checked against the systems', verifyPending: 'The report lists what discovery found; rows that are someone else\u2019s too are decided in the review.',
    reviewApprove: 'Include', reviewApproved: 'Included in the report', reviewSetAside: 'Withhold', reviewSetAsideDone: 'Withheld from the report',
  },
  correct: {
    plan: 'Corrections planned', approve: 'Approve corrections…',
    verifyDone: 'Verified: every system holds the corrected values', verifyPending: 'After the writes every system is read again: each must hold the new value.',
    reviewApprove: 'Correct it too', reviewApproved: 'Will be corrected', reviewSetAside: 'Leave as is', reviewSetAsideDone: 'Left as is',
  },
  opt_out: {
    plan: 'Opt-out flags', approve: 'Approve opt-out…',
    verifyDone: 'Verified: the opt-out flags are set', verifyPending: 'After the writes every system is read again: each flag must be set.',
    reviewApprove: 'Set the flag here too', reviewApproved: 'Flag will be set', reviewSetAside: 'Leave', reviewSetAsideDone: 'Left unchanged',
  },
  limit: {
    plan: 'Limit-use flags', approve: 'Approve limit…',
    verifyDone: 'Verified: the limit flags are set', verifyPending: 'After the writes every system is read again: each flag must be set.',
    reviewApprove: 'Set the flag here too', reviewApproved: 'Flag will be set', reviewSetAside: 'Leave', reviewSetAsideDone: 'Left unchanged',
  },
};
