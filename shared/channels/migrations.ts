// The Responses area's migrations (versions 20-29), in order.
import type { Migration } from '../store/db';
import { migration020Messages } from '../store/migrations/020-messages';
import { migration021VerificationCodes } from '../store/migrations/021-verification-codes';
import { migration022Processors } from '../store/migrations/022-processors';
import { migration023ReportDownloads } from '../store/migrations/023-report-downloads';

export const responsesMigrations: Migration[] = [
  migration020Messages, migration021VerificationCodes, migration022Processors, migration023ReportDownloads,
];
