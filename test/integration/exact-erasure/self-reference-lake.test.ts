// Requirement 1 (self-reference) on a Parquet lake (local folder, DuckDB): see
// self-reference.test.ts and test/support/shops/scale-scenarios.ts.
import { selfReferenceSuites } from '../../support/shops/scale-scenarios';

selfReferenceSuites('parquet');
