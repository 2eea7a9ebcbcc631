// sms-inbound: replies to our texts (AWS End User Messaging SMS two-way -> SNS topic -> this
// Lambda). A thin shell over the app's `sms.inbound` op: STOP and the other opt-out words opt the
// number out of texts (codes are then never texted to it), START / UNSTOP opt it back in; any
// other text is ignored. Each SNS record is validated (zod); a record that is not a two-way SMS
// payload, or comes from another topic than PRIVACY_DESK_SMS_TOPIC_ARN (when set), is logged by
// field name and skipped (a retry would not mend it). A failure of the store throws, so Lambda's
// asynchronous retries deliver the record again (opting out twice is harmless). Logs hold no
// number and no text: the SNS message id, the keyword class, counts.
import '../common/zod-jitless'; // first: before any schema is built
import { errorCode, makeLogger } from '../common/log';
import { runtime } from '../common/runtime';
import { parseSnsRecord, SnsEventSchema } from './sns-event';

const log = makeLogger('sms-inbound');
const META = { actor: 'lambda:sms-inbound' };

export interface SmsInboundResult { handled: number; optedOut: number; optedIn: number; ignored: number; skipped: number; reason?: 'bad_event' }

export async function handler(event: unknown): Promise<SmsInboundResult> {
  const out: SmsInboundResult = { handled: 0, optedOut: 0, optedIn: 0, ignored: 0, skipped: 0 };
  const ev = SnsEventSchema.safeParse(event);
  if (!ev.success) {
    log('warn', 'bad_event', { problem: ev.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.code}`).join('; ') });
    return { ...out, reason: 'bad_event' };
  }
  const topic = process.env.PRIVACY_DESK_SMS_TOPIC_ARN?.trim();
  for (const record of ev.data.Records) {
    const p = parseSnsRecord(record);
    if (!p.ok) {
      out.skipped += 1;
      log('warn', 'bad_record', { code: p.snsMessageId ?? 'unknown', problem: p.problem });
      continue;
    }
    if (topic && p.topicArn !== topic) {
      out.skipped += 1;
      log('warn', 'other_topic', { code: p.snsMessageId });
      continue;
    }
    try {
      const app = await runtime().app();
      const r = await app.call('sms.inbound', { originationNumber: p.text.originationNumber, messageBody: p.text.messageBody }, META);
      out.handled += 1;
      if (r.keyword === 'opt-out') out.optedOut += 1;
      else if (r.keyword === 'opt-in') out.optedIn += 1;
      else out.ignored += 1;
      log('info', 'inbound', { code: p.snsMessageId, result: r.keyword ?? 'ignored' });
    } catch (e) {
      log('error', 'inbound_failed', { code: p.snsMessageId, reason: errorCode(e) });
      throw new Error(`sms-inbound: record ${p.snsMessageId} could not be recorded (${errorCode(e)}); SNS/Lambda will retry`);
    }
  }
  return out;
}
