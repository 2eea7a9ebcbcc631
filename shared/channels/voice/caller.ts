// The outbound-call port: Amazon Connect StartOutboundVoiceContact, or (embedded default) a
// recorded call written to <dataDir>/calls so staff can see what would have been placed.
export interface OutboundCall {
  /** E.164 number to call. */
  destination: string;
  /** Contact attributes the outbound flow reads ($.Attributes.caseRef, ...). No PII beyond the reference. */
  attributes: Record<string, string>;
  /** Same token for a retried request: Connect places the call only once. */
  clientToken: string;
}

export interface VoiceCaller {
  readonly provider: 'connect' | 'recorded';
  call(c: OutboundCall): Promise<{ contactId: string }>;
}
