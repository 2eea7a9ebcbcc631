// The effects the case machine runs, assembled from the areas that provide them:
// the data map (discover, execute, checkResult) and the responses (acknowledge, respond).
// With no data systems registered, discovery finds nothing and execution changes nothing.
import type { AppContext, CaseEffects } from '../context';
import { createResponseEffects } from './responses';
import { createDataMapEffects } from '../datamap/effects';

export function defaultEffects(ctx: AppContext): CaseEffects {
  return {
    ...createDataMapEffects(ctx),
    ...createResponseEffects(ctx),
  };
}
