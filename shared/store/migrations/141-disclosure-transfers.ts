// Responses: what each system's personal information is sold, shared (cross-context behavioural
// advertising) or disclosed for a business purpose, and to which categories of recipients (CCPA
// §1798.115; shared/domain/report/disclosure-breakdown.ts). JSON array; NULL: not itemised yet
// (the report then names the third parties without saying which of the three applies).
import type { Migration } from '../db';

export const migration141DisclosureTransfers: Migration = {
  version: 141,
  name: 'disclosure-transfers',
  async up(db) {
    await db.exec('ALTER TABLE system_disclosures ADD COLUMN transfers TEXT');
  },
};
export default migration141DisclosureTransfers;
