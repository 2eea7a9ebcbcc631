// Requirement 9 (a person with two emails, connected_pii) on a Parquet lake (local folder, DuckDB): see
// two-emails.test.ts and test/support/shops/scale-scenarios.ts.
import { twoEmailsSuites } from '../../support/shops/scale-scenarios';

twoEmailsSuites('parquet');
