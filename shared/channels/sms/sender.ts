// The text-message port: AWS End User Messaging SMS (SendTextMessage), or (embedded default) a
// file of messages in <dataDir>/sms, as the email outbox does for email.
export interface OutgoingText {
  /** E.164 number to text. */
  to: string;
  /** The whole message: the case reference and the code only, never other personal information. */
  body: string;
  /** Facts for the provider's event records (the case reference only). */
  context?: Record<string, string>;
}

/** The provider refused because the number opted out (replied STOP): never retried, recorded as an opt-out. */
export class OptedOutError extends Error {
  constructor(message = 'the destination number opted out of text messages') { super(message); this.name = 'OptedOutError'; }
}

export interface SmsSender {
  readonly provider: 'end-user-messaging' | 'sms-outbox';
  send(m: OutgoingText): Promise<{ messageId: string }>;
}
