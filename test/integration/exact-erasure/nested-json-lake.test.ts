// Requirement 6 (nested fields) on a Parquet lake: the shape does not exist there (a Parquet column
// of the lake holds no nested fields the engine can mask), so the map is refused at registration,
// naming every nested field, never silently dropped (docs/DATAMAP.md section 1, "What an engine
// can honour"). See test/support/shops/scale-scenarios.ts.
import { nestedRefusedSuite } from '../../support/shops/scale-scenarios';

nestedRefusedSuite('parquet');
