// Requirement 2 (a reference cycle through two people's records) on a Parquet lake (local folder, DuckDB): see
// cycle.test.ts and test/support/shops/scale-scenarios.ts.
import { cycleSuites } from '../../support/shops/scale-scenarios';

cycleSuites('parquet');
