// The real SES v2 sender behind a switch that can make the provider "down" (HTTP 503), for tests of
// retries, failed notices and the sweep.
import type { SesSender } from '../../shared/channels/email/ses-sender';
import type { EmailSender, OutgoingEmail } from '../../shared/channels/email/message';

export class Switchable implements EmailSender {
  readonly provider = 'ses' as const;
  down = false;
  constructor(private readonly real: SesSender) {}
  async send(m: OutgoingEmail) {
    if (this.down) throw Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } });
    return this.real.send(m);
  }
}
