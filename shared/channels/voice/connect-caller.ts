// Amazon Connect outbound calls: StartOutboundVoiceContact with the instance, the outbound contact
// flow of the phone channel, a source number or queue, the case reference as attributes and a
// ClientToken, so a retried request never places a second call.
import { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
import type { OutboundCall, VoiceCaller } from './caller';

export interface ConnectCallerConfig {
  region: string;
  instanceId: string;
  contactFlowId: string;
  sourcePhoneNumber?: string;
  queueId?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class ConnectCaller implements VoiceCaller {
  readonly provider = 'connect' as const;
  private readonly client: ConnectClient;

  constructor(private readonly config: ConnectCallerConfig, client?: ConnectClient) {
    if (!config.sourcePhoneNumber && !config.queueId) throw new Error('Connect outbound calls need a source phone number or a queue id');
    this.client = client ?? new ConnectClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      maxAttempts: 1, // retries are ours (same ClientToken each time), counted and recorded
    });
  }

  async call(c: OutboundCall): Promise<{ contactId: string }> {
    const out = await this.client.send(new StartOutboundVoiceContactCommand({
      InstanceId: this.config.instanceId,
      ContactFlowId: this.config.contactFlowId,
      DestinationPhoneNumber: c.destination,
      ...(this.config.sourcePhoneNumber ? { SourcePhoneNumber: this.config.sourcePhoneNumber } : { QueueId: this.config.queueId }),
      Attributes: c.attributes,
      ClientToken: c.clientToken,
    }));
    if (!out.ContactId) throw new Error('Connect returned no ContactId');
    return { contactId: out.ContactId };
  }

  close(): void { this.client.destroy(); }
}
