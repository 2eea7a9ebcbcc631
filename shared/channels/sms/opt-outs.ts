// Numbers that opted out of texts (replied STOP, or the provider refused them as opted out), kept
// only as the keyed hash of the E.164 number. A number in here is never texted; replying START
// (or UNSTOP) opts it back in. Calls are a separate consent and are not affected.
import type { Db } from '../../store/db';

/** The usual opt-out words (the first word of the reply, any case), as carriers and End User Messaging treat them. */
export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT-OUT', 'REMOVE', 'REVOKE', 'ARRET', 'TD'] as const;
export const OPT_IN_WORDS = ['START', 'UNSTOP', 'YES'] as const;

export type Keyword = 'opt-out' | 'opt-in' | null;

export function keywordOf(body: string): Keyword {
  const first = body.trim().split(/\s+/u)[0]?.toUpperCase().replace(/[.!]+$/u, '') ?? '';
  if ((OPT_OUT_WORDS as readonly string[]).includes(first)) return 'opt-out';
  if ((OPT_IN_WORDS as readonly string[]).includes(first)) return 'opt-in';
  return null;
}

interface Row { phone_hash: string; opted_out_at: string | null; source: string; updated_at: string }

export class SmsOptOuts {
  constructor(private readonly db: Db) {}

  async isOptedOut(phoneHash: string): Promise<boolean> {
    const r = await this.db.get<Row>('SELECT * FROM sms_opt_outs WHERE phone_hash = ?', [phoneHash]);
    return !!r?.opted_out_at;
  }

  async optOut(phoneHash: string, source: string, at: Date): Promise<void> {
    const now = at.toISOString();
    await this.db.run(`INSERT INTO sms_opt_outs (phone_hash, opted_out_at, source, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (phone_hash) DO UPDATE SET opted_out_at = excluded.opted_out_at, source = excluded.source, updated_at = excluded.updated_at`, [phoneHash, now, source, now]);
  }

  async optIn(phoneHash: string, source: string, at: Date): Promise<void> {
    const now = at.toISOString();
    await this.db.run(`INSERT INTO sms_opt_outs (phone_hash, opted_out_at, source, updated_at) VALUES (?, NULL, ?, ?)
      ON CONFLICT (phone_hash) DO UPDATE SET opted_out_at = NULL, source = excluded.source, updated_at = excluded.updated_at`, [phoneHash, source, now]);
  }
}
