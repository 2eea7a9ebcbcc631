// Per-system disclosures for the access report (table `system_disclosures`).
import { z } from 'zod';
import type { Db } from '../../store/db';
import type { SystemDisclosure } from '../../domain/report/access-report';
import { DisclosureTransfersSchema, type DisclosureTransfer } from '../../domain/report/disclosure-breakdown';

const Items = z.array(z.string().trim().min(1).max(200)).max(50);
export const SystemDisclosureSchema = z.object({
  system: z.string().trim().min(1, 'system is required').max(120),
  sources: Items.default([]),
  purposes: Items.default([]),
  thirdParties: Items.default([]),
  transfers: DisclosureTransfersSchema,
}).strict();

/** transfers: JSON, NULL when not itemised (migration 141). */
interface Row { system: string; sources: string; purposes: string; third_parties: string; transfers: string | null }

export class DisclosuresRepo {
  constructor(private readonly db: Db) {}

  async set(d: SystemDisclosure, by: string, at: Date): Promise<void> {
    const transfers = d.transfers ? JSON.stringify(d.transfers) : null;
    const args = [JSON.stringify(d.sources), JSON.stringify(d.purposes), JSON.stringify(d.thirdParties), transfers, at.toISOString(), by];
    await this.db.tx(async (db) => {
      const r = await db.run('UPDATE system_disclosures SET sources = ?, purposes = ?, third_parties = ?, transfers = ?, updated_at = ?, updated_by = ? WHERE system = ?', [...args, d.system]);
      if (!r.changes) await db.run('INSERT INTO system_disclosures (sources, purposes, third_parties, transfers, updated_at, updated_by, system) VALUES (?, ?, ?, ?, ?, ?, ?)', [...args, d.system]);
    });
  }

  async list(): Promise<SystemDisclosure[]> {
    const rows = await this.db.all<Row>('SELECT * FROM system_disclosures ORDER BY system');
    return rows.map((r) => ({ system: r.system, sources: JSON.parse(r.sources) as string[], purposes: JSON.parse(r.purposes) as string[], thirdParties: JSON.parse(r.third_parties) as string[],
      transfers: r.transfers === null || r.transfers === undefined ? null : JSON.parse(r.transfers) as DisclosureTransfer[] }));
  }
}
