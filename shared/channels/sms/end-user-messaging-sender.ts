// AWS End User Messaging SMS (the pinpoint-sms-voice-v2 API): SendTextMessage from an origination
// identity (a phone number, sender id or pool, by id or ARN) with a configuration set (event
// destinations for delivery receipts) and MessageType TRANSACTIONAL (one-time codes). A refusal
// because the number opted out (ConflictException, reason DESTINATION_PHONE_NUMBER_OPTED_OUT)
// becomes an OptedOutError, so the number is recorded as opted out and never texted again.
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { OptedOutError, type OutgoingText, type SmsSender } from './sender';

export interface EndUserMessagingConfig {
  region: string;
  originationIdentity: string;
  configurationSet?: string;
  /** e.g. a local endpoint in tests. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Seconds the service keeps trying to deliver (the code's validity is enough). */
  timeToLive?: number;
}

export class EndUserMessagingSender implements SmsSender {
  readonly provider = 'end-user-messaging' as const;
  private readonly client: PinpointSMSVoiceV2Client;

  constructor(private readonly config: EndUserMessagingConfig, client?: PinpointSMSVoiceV2Client) {
    this.client = client ?? new PinpointSMSVoiceV2Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      maxAttempts: 1, // retries are ours, counted and recorded
    });
  }

  async send(m: OutgoingText): Promise<{ messageId: string }> {
    try {
      const out = await this.client.send(new SendTextMessageCommand({
        DestinationPhoneNumber: m.to,
        OriginationIdentity: this.config.originationIdentity,
        MessageBody: m.body,
        MessageType: 'TRANSACTIONAL',
        ...(this.config.configurationSet ? { ConfigurationSetName: this.config.configurationSet } : {}),
        ...(this.config.timeToLive ? { TimeToLive: this.config.timeToLive } : {}),
        ...(m.context ? { Context: m.context } : {}),
      }));
      if (!out.MessageId) throw new Error('End User Messaging returned no MessageId');
      return { messageId: out.MessageId };
    } catch (e) {
      const err = e as { name?: string; Reason?: string };
      if (err?.name === 'ConflictException' && err.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') throw new OptedOutError();
      throw e;
    }
  }

  close(): void { this.client.destroy(); }
}
