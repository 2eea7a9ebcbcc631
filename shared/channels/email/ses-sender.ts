// Amazon SES v2 sender: SendEmail with Simple content, or Raw MIME when the message has
// attachments. Region, sender, configuration set and endpoint (for the emulator) come from config.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { composeMime, type EmailSender, type OutgoingEmail } from './message';

export interface SesConfig {
  region: string;
  from: string;
  configurationSet?: string;
  /** e.g. http://127.0.0.1:8005 for aws-ses-v2-local. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class SesSender implements EmailSender {
  readonly provider = 'ses' as const;
  private readonly client: SESv2Client;

  constructor(private readonly config: SesConfig, client?: SESv2Client) {
    this.client = client ?? new SESv2Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      maxAttempts: 1, // retries are ours (withRetry), so a failure is counted and recorded once per attempt
    });
  }

  async send(m: OutgoingEmail): Promise<{ messageId: string }> {
    const common = {
      FromEmailAddress: m.from,
      Destination: { ToAddresses: [m.to] },
      ...(this.config.configurationSet ? { ConfigurationSetName: this.config.configurationSet } : {}),
    };
    const content = m.attachments?.length
      ? { Raw: { Data: new Uint8Array(await composeMime(m)) } }
      : {
        Simple: {
          Subject: { Data: m.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: m.text, Charset: 'UTF-8' }, Html: { Data: m.html, Charset: 'UTF-8' } },
          ...(m.headers ? { Headers: Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
        },
      };
    const out = await this.client.send(new SendEmailCommand({ ...common, Content: content }));
    if (!out.MessageId) throw new Error('SES returned no MessageId');
    return { messageId: out.MessageId };
  }

  close(): void { this.client.destroy(); }
}
