// The embedded default: no call is placed; each call it would place is appended to
// <dataDir>/calls/calls.jsonl (destination masked) and given a local contact id. The same client
// token returns the same contact id, like Connect.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { maskIdentity } from '../../domain/identity';
import type { OutboundCall, VoiceCaller } from './caller';

export interface RecordedCall { contactId: string; clientToken: string; destination: string; attributes: Record<string, string>; at: string }

export class RecordedCaller implements VoiceCaller {
  readonly provider = 'recorded' as const;
  readonly file: string;
  constructor(private readonly dir: string, private readonly clock: () => Date = () => new Date()) {
    this.file = join(dir, 'calls.jsonl');
  }

  calls(): RecordedCall[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecordedCall);
  }

  async call(c: OutboundCall): Promise<{ contactId: string }> {
    const seen = this.calls().find((r) => r.clientToken === c.clientToken);
    if (seen) return { contactId: seen.contactId };
    const rec: RecordedCall = {
      contactId: `recorded-${randomUUID()}`, clientToken: c.clientToken, destination: maskIdentity('phone', c.destination),
      attributes: c.attributes, at: this.clock().toISOString(),
    };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    return { contactId: rec.contactId };
  }
}
