// The whole API: every area's operations merged. Add an area by importing its contract here.
import { casesContract } from './cases';
import { consoleContract } from './console';
import { responsesContract } from './responses';
import { phoneContract } from './phone';

export const contract = {
  ...casesContract,
  ...consoleContract,
  ...responsesContract,
  ...phoneContract,
};
export type AppContract = typeof contract;
export type OperationName = keyof AppContract;
