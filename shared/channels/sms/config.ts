// Which text-message sender to use, from the environment: PRIVACY_DESK_SMS_ORIGINATION_IDENTITY
// set -> AWS End User Messaging SMS (with _REGION, _CONFIG_SET, _ENDPOINT); nothing set -> the
// file <dataDir>/sms/messages.jsonl.
import { join } from 'node:path';
import { z } from 'zod';
import { EndUserMessagingSender } from './end-user-messaging-sender';
import { SmsOutboxSender } from './outbox-sms-sender';
import type { SmsSender } from './sender';

const EnvSchema = z.object({
  PRIVACY_DESK_SMS_ORIGINATION_IDENTITY: z.string().trim().min(1).max(256).optional(),
  PRIVACY_DESK_SMS_CONFIG_SET: z.string().trim().min(1).max(256).optional(),
  PRIVACY_DESK_SMS_REGION: z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/u, 'must be an AWS region such as us-east-1').optional(),
  PRIVACY_DESK_SMS_ENDPOINT: z.string().trim().url('must be a URL').optional(),
});

export function createSmsSender(dataDir: string, env: NodeJS.ProcessEnv = process.env, clock?: () => Date): SmsSender {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('PRIVACY_DESK_SMS_') && v !== '')));
  if (!parsed.success) throw new Error(`SMS settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  if (!e.PRIVACY_DESK_SMS_ORIGINATION_IDENTITY) {
    if (e.PRIVACY_DESK_SMS_REGION || e.PRIVACY_DESK_SMS_ENDPOINT || e.PRIVACY_DESK_SMS_CONFIG_SET) {
      throw new Error('SMS settings: PRIVACY_DESK_SMS_ORIGINATION_IDENTITY (the phone number, sender id or pool to send from) is required to use End User Messaging');
    }
    return new SmsOutboxSender(join(dataDir, 'sms'), clock);
  }
  return new EndUserMessagingSender({
    region: e.PRIVACY_DESK_SMS_REGION ?? 'us-east-1', originationIdentity: e.PRIVACY_DESK_SMS_ORIGINATION_IDENTITY,
    configurationSet: e.PRIVACY_DESK_SMS_CONFIG_SET, endpoint: e.PRIVACY_DESK_SMS_ENDPOINT,
  });
}
