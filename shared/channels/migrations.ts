// The Responses area's migrations (versions 20-29, 70: codes by text and call, 130: message bodies, 141: disclosure transfers, 142: processor notice requests), in order.
import type { Migration } from '../store/db';
import { migration020Messages } from '../store/migrations/020-messages';
import { migration021VerificationCodes } from '../store/migrations/021-verification-codes';
import { migration022Processors } from '../store/migrations/022-processors';
import { migration023ReportDownloads } from '../store/migrations/023-report-downloads';
import { migration024SystemDisclosures } from '../store/migrations/024-system-disclosures';
import { migration070PhoneCodes } from '../store/migrations/070-phone-codes';
import { migration130MessageBodies } from '../store/migrations/130-message-bodies';
import { migration141DisclosureTransfers } from '../store/migrations/141-disclosure-transfers';
import { migration142ProcessorNoticeRequests } from '../store/migrations/142-processor-notice-requests';

export const responsesMigrations: Migration[] = [
  migration020Messages, migration021VerificationCodes, migration022Processors, migration023ReportDownloads, migration024SystemDisclosures, migration070PhoneCodes,
  migration130MessageBodies, migration141DisclosureTransfers, migration142ProcessorNoticeRequests,
];
