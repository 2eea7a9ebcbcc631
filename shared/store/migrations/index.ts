// Every migration of the product, one plain array. Versions: 1..9 core store, 10..19 data map,
// 20..29 responses, 30..39 phone, 40..49 data lakes, 50..59 console, 90..99 store hardening, 140.. appeals. Append yours; never renumber.
import type { Migration } from '../db';
import { migration001Core } from './001-core';
import { migration002AuditHead } from './002-audit-head';
import { migration010Datamap } from './010-datamap';
import { migration011DatamapRequests } from './011-datamap-requests';
import { migration020Messages } from './020-messages';
import { migration021VerificationCodes } from './021-verification-codes';
import { migration022Processors } from './022-processors';
import { migration023ReportDownloads } from './023-report-downloads';
import { migration024SystemDisclosures } from './024-system-disclosures';
import { migration030PhoneIvrAttempts } from './030-phone-ivr-attempts';
import { migration031PhoneContactCases } from './031-phone-contact-cases';
import { migration040SystemSnapshots } from './040-system-snapshots';
import { migration050ConsoleQueueIndexes } from './050-console-queue-indexes';
import { migration051QueueOpenFirst } from './051-queue-open-first';
import { migration060ErasureOutcomes } from './060-erasure-outcomes';
import { migration080CaseLeases } from './080-case-leases';
import { migration070PhoneCodes } from './070-phone-codes';
import { migration090AuditKeyed } from './090-audit-keyed';
import { migration120StaffAccounts } from './120-staff-accounts';
import { migration130MessageBodies } from './130-message-bodies';
import { migration131CaseIdFragments } from './131-case-id-fragments';
import { migration140Appeals } from './140-appeals';
import { migration141DisclosureTransfers } from './141-disclosure-transfers';
import { migration142ProcessorNoticeRequests } from './142-processor-notice-requests';
import { migration143SnapshotReplayOrder } from './143-snapshot-replay-order';
import { migration144QueueSortAndCountIndexes } from './144-queue-sort-and-count-indexes';
import { migration145LedgerHashPrefix } from './145-ledger-hash-prefix';

export const migrations: Migration[] = [
  migration001Core,
  migration002AuditHead,
  migration010Datamap,
  migration011DatamapRequests,
  migration020Messages,
  migration021VerificationCodes,
  migration022Processors,
  migration023ReportDownloads,
  migration024SystemDisclosures,
  migration030PhoneIvrAttempts,
  migration031PhoneContactCases,
  migration040SystemSnapshots,
  migration050ConsoleQueueIndexes,
  migration051QueueOpenFirst,
  migration060ErasureOutcomes,
  migration080CaseLeases,
  migration070PhoneCodes,
  migration090AuditKeyed,
  migration120StaffAccounts,
  migration130MessageBodies,
  migration131CaseIdFragments,
  migration140Appeals,
  migration141DisclosureTransfers,
  migration142ProcessorNoticeRequests,
  migration143SnapshotReplayOrder,
  migration144QueueSortAndCountIndexes,
  migration145LedgerHashPrefix,
];
