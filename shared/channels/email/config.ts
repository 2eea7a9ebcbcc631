// Which email sender to use, from the environment: PRIVACY_DESK_SES_REGION (or _ENDPOINT) set ->
// Amazon SES v2; nothing set -> .eml files in <dataDir>/outbox.
import { join } from 'node:path';
import { z } from 'zod';
import { OutboxSender } from './outbox-sender';
import { SesSender } from './ses-sender';
import type { EmailSender } from './message';

/** SES v2 rejects messages over 40 MB (including attachments, after encoding). */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

const EnvSchema = z.object({
  PRIVACY_DESK_SES_REGION: z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/u, 'must be an AWS region such as us-east-1').optional(),
  PRIVACY_DESK_SES_FROM: z.string().trim().min(3).max(320).optional(),
  PRIVACY_DESK_SES_CONFIG_SET: z.string().trim().min(1).max(64).optional(),
  PRIVACY_DESK_SES_ENDPOINT: z.string().trim().url('must be a URL').optional(),
  PRIVACY_DESK_EMAIL_MAX_BYTES: z.coerce.number().int().min(1024).max(SES_MAX_MESSAGE_BYTES).optional(),
  PRIVACY_DESK_BUSINESS_NAME: z.string().trim().min(1).max(120).optional(),
  PRIVACY_DESK_STAFF_EMAIL: z.string().trim().max(320).optional(),
  PRIVACY_DESK_APPEAL_CONTACT: z.string().trim().max(320).optional(),
  PRIVACY_DESK_PUBLIC_URL: z.string().trim().url('must be a URL').optional(),
  PRIVACY_DESK_LOCALE: z.string().trim().max(10).optional(),
});

export interface EmailSettings {
  kind: 'ses' | 'outbox';
  from: string;
  region?: string;
  configurationSet?: string;
  endpoint?: string;
  maxMessageBytes: number;
  businessName: string;
  staffEmail: string | null;
  appealContact: string;
  /** Base URL of the web server, for report download and processor confirmation links. */
  publicUrl: string;
  locale: string;
}

export function emailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EmailSettings {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('PRIVACY_DESK_') && v !== ''))
  );
  if (!parsed.success) {
    throw new Error(`email settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const ses = !!(e.PRIVACY_DESK_SES_REGION || e.PRIVACY_DESK_SES_ENDPOINT);
  const from = e.PRIVACY_DESK_SES_FROM ?? 'privacy@privacydesk.local';
  return {
    kind: ses ? 'ses' : 'outbox',
    from,
    region: e.PRIVACY_DESK_SES_REGION ?? (ses ? 'us-east-1' : undefined),
    configurationSet: e.PRIVACY_DESK_SES_CONFIG_SET,
    endpoint: e.PRIVACY_DESK_SES_ENDPOINT,
    maxMessageBytes: e.PRIVACY_DESK_EMAIL_MAX_BYTES ?? SES_MAX_MESSAGE_BYTES,
    businessName: e.PRIVACY_DESK_BUSINESS_NAME ?? 'PrivacyDesk',
    staffEmail: e.PRIVACY_DESK_STAFF_EMAIL ?? null,
    appealContact: e.PRIVACY_DESK_APPEAL_CONTACT ?? from,
    publicUrl: (e.PRIVACY_DESK_PUBLIC_URL ?? 'http://localhost:4780').replace(/\/+$/u, ''),
    locale: e.PRIVACY_DESK_LOCALE ?? 'en',
  };
}

export function createEmailSender(s: EmailSettings, dataDir: string, clock?: () => Date): EmailSender {
  if (s.kind === 'ses') {
    return new SesSender({ region: s.region ?? 'us-east-1', from: s.from, configurationSet: s.configurationSet, endpoint: s.endpoint });
  }
  return new OutboxSender(join(dataDir, 'outbox'), clock);
}
