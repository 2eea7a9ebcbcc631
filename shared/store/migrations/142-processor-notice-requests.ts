// Responses: a processor notice says what it asks (issue 14 item 5): besides deletions, opt-outs,
// limits and corrections are passed to the service providers, contractors and third parties
// registered for the systems, with the same tracked confirmation (shared/channels/processors.ts).
// NULL: a deletion (every notice before this migration was one).
import type { Migration } from '../db';

export const migration142ProcessorNoticeRequests: Migration = {
  version: 142,
  name: 'processor-notice-requests',
  async up(db) {
    await db.exec('ALTER TABLE processor_notices ADD COLUMN request TEXT');
  },
};
export default migration142ProcessorNoticeRequests;
