// What the validator and simulator know about each Connect action type: does it end the flow, can
// it fail (then it needs an error branch), does it branch on conditions (then it needs a
// NoMatchingCondition branch), does it wait for the caller (then it should handle a timeout).
export interface ActionTypeInfo {
  /** The contact leaves this flow here: no NextAction expected. */
  terminal?: boolean;
  /** Leaves the flow on success; NextAction/Errors are the failure path. */
  exitsOnSuccess?: boolean;
  /** Can fail at run time: needs an Errors branch (NoMatchingError at least). */
  canFail?: boolean;
  /** Branches by Conditions: needs a NoMatchingCondition branch when it has conditions. */
  conditions?: boolean;
  /** Waits for caller input: should route InputTimeLimitExceeded somewhere. */
  waitsForInput?: boolean;
}

export const ACTION_TYPES: Record<string, ActionTypeInfo> = {
  MessageParticipant: { canFail: true },
  MessageParticipantIteratively: { canFail: true },
  GetParticipantInput: { canFail: true, conditions: true, waitsForInput: true },
  ConnectParticipantWithLexBot: { canFail: true, conditions: true, waitsForInput: true },
  InvokeLambdaFunction: { canFail: true },
  InvokeFlowModule: { canFail: true },
  UpdateContactAttributes: { canFail: true },
  UpdateFlowAttributes: { canFail: true },
  UpdateContactTargetQueue: { canFail: true },
  UpdateContactRecordingBehavior: { canFail: true },
  UpdateContactTextToSpeechVoice: { canFail: true },
  UpdateContactEventHooks: { canFail: true },
  UpdateContactRoutingBehavior: { canFail: true },
  UpdateContactData: { canFail: true },
  UpdatePreviousContactParticipantState: { canFail: true },
  UpdateFlowLoggingBehavior: {},
  UpdateContactCallbackNumber: { canFail: true },
  CheckHoursOfOperation: { canFail: true, conditions: true },
  CheckMetricData: { canFail: true, conditions: true },
  Compare: { conditions: true },
  DistributeByPercentage: { conditions: true },
  // Loop's two conditions (ContinueLooping, DoneLooping) are exhaustive: no NoMatchingCondition.
  Loop: {},
  Wait: { canFail: true, conditions: true },
  TransferContactToQueue: { exitsOnSuccess: true, canFail: true },
  TransferToFlow: { exitsOnSuccess: true, canFail: true },
  TransferParticipantToThirdParty: { exitsOnSuccess: true, canFail: true },
  CreateCallbackContact: { canFail: true },
  DisconnectParticipant: { terminal: true },
  EndFlowExecution: { terminal: true },
  EndFlowModuleExecution: { terminal: true },
};

export function actionInfo(type: string): ActionTypeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(ACTION_TYPES, type) ? ACTION_TYPES[type] : undefined;
}

/** Connect's limit on the number of actions in one flow. */
export const MAX_ACTIONS = 250;
/** Connect waits at most this long for a Lambda (InvocationTimeLimitSeconds). */
export const MAX_LAMBDA_SECONDS = 8;
