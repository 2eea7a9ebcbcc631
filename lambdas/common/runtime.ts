// The phone runtime (the app, the CRM directory, the Connect input decryptor, created once per
// container) is composed in shared/app/phone/runtime.ts: a Lambda shell reaches the product only
// through shared/app and shared/domain. Re-exported here for the handlers, the simulator and tests;
// one module, so `installRuntime` replaces what the handlers use.
export {
  runtime, installRuntime, envRuntime, within,
  FACTORS, normaliseFactor, factorEquals, ConnectInputError,
  type PhoneApp, type PhoneRuntime, type IvrGate, type CrmCustomer, type Factor,
} from '../../shared/app/phone/runtime';
