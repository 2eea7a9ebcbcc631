// The effects the case machine runs, assembled from the areas that provide them:
// the data map (discover, execute, checkResult) and the responses (acknowledge, respond).
// With no data systems registered, discovery finds nothing and execution changes nothing.
import type { AppContext, CaseEffects } from '../context';
import { createResponseEffects } from './responses';

export function defaultEffects(ctx: AppContext): CaseEffects {
  return {
    discover: async () => ({ rows: 0, review: 0, exempt: 0, errors: 0 }),
    execute: async () => ({ deleted: 0, masked: 0, updated: 0, errors: 0 }),
    checkResult: async () => ({ ok: true, remaining: 0 }),
    ...createResponseEffects(ctx),
  };
}
