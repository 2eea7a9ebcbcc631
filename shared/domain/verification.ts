// Identity verification tiers (CCPA regs §7060-7062). Pure rules, used by the case machine's guards.
import type { CaseType, VerificationLevel } from './case';

const RANK: Record<VerificationLevel, number> = { none: 0, reasonable: 1, high: 2 };

/**
 * What a request needs before it may be worked:
 * - opt-out and limit: nothing (§7026(d), §7027(f): a business may not require verification);
 * - access to categories, deletion, correction: a reasonable degree (2 data points matched);
 * - access to specific pieces, or sensitive data: a reasonably high degree (3 data points + a
 *   signed declaration under penalty of perjury).
 */
export function requiredLevel(type: CaseType, specificPieces: boolean): VerificationLevel {
  if (type === 'opt_out' || type === 'limit') return 'none';
  if (type === 'access' && specificPieces) return 'high';
  return 'reasonable';
}

/** The level reached by a verification: matched data points and a signed declaration. */
export function levelFor(dataPoints: number, signedDeclaration: boolean): VerificationLevel {
  if (dataPoints >= 3 && signedDeclaration) return 'high';
  if (dataPoints >= 2) return 'reasonable';
  return 'none';
}

export function meets(level: VerificationLevel, required: VerificationLevel): boolean {
  return RANK[level] >= RANK[required];
}

export function maxLevel(a: VerificationLevel, b: VerificationLevel): VerificationLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export function needsVerification(type: CaseType): boolean {
  return type !== 'opt_out' && type !== 'limit';
}
