// Which caller to use: PRIVACY_DESK_CONNECT_INSTANCE_ID + _CONTACT_FLOW_ID (+ _SOURCE_PHONE or
// _QUEUE_ID, _REGION, _ENDPOINT) -> Amazon Connect; nothing set -> recorded calls in <dataDir>/calls.
import { join } from 'node:path';
import { z } from 'zod';
import { ConnectCaller } from './connect-caller';
import { RecordedCaller } from './recorded-caller';
import type { VoiceCaller } from './caller';

const EnvSchema = z.object({
  PRIVACY_DESK_CONNECT_INSTANCE_ID: z.string().trim().min(1).max(100).optional(),
  PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID: z.string().trim().min(1).max(500).optional(),
  PRIVACY_DESK_CONNECT_SOURCE_PHONE: z.string().trim().regex(/^\+[1-9]\d{6,14}$/u, 'must be an E.164 number').optional(),
  PRIVACY_DESK_CONNECT_QUEUE_ID: z.string().trim().min(1).max(100).optional(),
  PRIVACY_DESK_CONNECT_REGION: z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/u, 'must be an AWS region').optional(),
  PRIVACY_DESK_CONNECT_ENDPOINT: z.string().trim().url('must be a URL').optional(),
});

export function createVoiceCaller(dataDir: string, env: NodeJS.ProcessEnv = process.env, clock?: () => Date): VoiceCaller {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('PRIVACY_DESK_CONNECT_') && v !== '')));
  if (!parsed.success) throw new Error(`Connect settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  if (!e.PRIVACY_DESK_CONNECT_INSTANCE_ID) return new RecordedCaller(join(dataDir, 'calls'), clock);
  if (!e.PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID) throw new Error('Connect settings: PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID is required with PRIVACY_DESK_CONNECT_INSTANCE_ID');
  return new ConnectCaller({
    region: e.PRIVACY_DESK_CONNECT_REGION ?? 'us-east-1', instanceId: e.PRIVACY_DESK_CONNECT_INSTANCE_ID,
    contactFlowId: e.PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID, sourcePhoneNumber: e.PRIVACY_DESK_CONNECT_SOURCE_PHONE,
    queueId: e.PRIVACY_DESK_CONNECT_QUEUE_ID, endpoint: e.PRIVACY_DESK_CONNECT_ENDPOINT,
  });
}
