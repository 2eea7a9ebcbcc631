// The whole API: every area's operations merged (a name declared twice throws at start-up). Add an
// area by importing its contract here.
import { mergeDistinct } from './define';
import { casesContract } from './cases';
import { consoleContract } from './console';
import { responsesContract } from './responses';
import { phoneContract } from './phone';
import { datamapContract } from './datamap';
import { lakesContract } from './lakes';
import { accountsContract } from './accounts';
import { publicContract } from './public';
import { appealsContract } from './appeals';
import { complianceContract } from './compliance';
import { declarationsContract } from './declarations';
import { requestsContract } from './requests';
import { datamapToolsContract } from './datamap-tools';
import { auditContract } from './audit';
import { storeContract } from './store';

export const contract = mergeDistinct('contract',
  casesContract, consoleContract, responsesContract, phoneContract, datamapContract, lakesContract,
  accountsContract, publicContract, appealsContract, complianceContract, declarationsContract, requestsContract,
  datamapToolsContract, auditContract, storeContract,
);
export type AppContract = typeof contract;
export type OperationName = keyof AppContract;
