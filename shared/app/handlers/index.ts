// Every area's handlers, merged. Add an area: write handlers/<area>.ts exporting
// `(ctx: AppContext) => Handlers<typeof <area>Contract>` and add it here (a name given twice throws).
import type { AppContext } from '../context';
import type { Handlers } from '../api';
import type { AppContract } from '../contract';
import type { CaseEngine } from '../engine';
import { mergeDistinct } from '../contract/define';
import { casesHandlers } from './cases';
import { consoleHandlers } from './console';
import { responsesHandlers } from './responses';
import { phoneHandlers } from './phone';
import { datamapHandlers } from './datamap';
import { lakesHandlers } from './lakes';
import { accountsHandlers } from './accounts';
import { publicHandlers } from './public';
import { appealsHandlers } from './appeals';
import { complianceHandlers } from './compliance';
import { declarationsHandlers } from './declarations';
import { requestsHandlers } from './requests';
import { datamapToolsHandlers } from './datamap-tools';
import { storeHandlers } from './store';

export function allHandlers(ctx: AppContext, engine: CaseEngine): Handlers<AppContract> {
  const merged = mergeDistinct('handlers',
    casesHandlers(ctx, engine),
    consoleHandlers(ctx),
    responsesHandlers(ctx, engine),
    phoneHandlers(ctx, engine),
    datamapHandlers(ctx, engine),
    lakesHandlers(ctx),
    accountsHandlers(ctx, engine),
    publicHandlers(ctx, engine),
    appealsHandlers(ctx, engine),
    complianceHandlers(ctx),
    declarationsHandlers(ctx),
    requestsHandlers(ctx, engine),
    datamapToolsHandlers(),
    storeHandlers(ctx),
  );
  return merged;
}
