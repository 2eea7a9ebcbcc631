// Requirement 1 (self-reference) on a Parquet lake (local folder, DuckDB): see
// self-reference.test.ts and test/support/shops/scale-scenarios.ts. Three layouts: orders with a
// primary key (id); the same Hive-partitioned (orders by customer_id, subscriptions by plan: the
// join key lives in the folder name); and orders without a primary key (rows addressed by file, row
// number and file version: known engine problem, the check cannot read those rows back and holds a
// correct erasure in review).
import { selfReferenceSuites } from '../../support/shops/scale-scenarios';

selfReferenceSuites('parquet');
selfReferenceSuites('parquet', { options: { lakePartitionBy: { orders: 'customer_id', subscriptions: 'plan' } }, note: 'orders Hive-partitioned by customer_id, subscriptions by plan' });
const keyless = {
  answered: { fails: 'the check could not read the system: lake table "orders" has no column "_lake_file" (the check finds a planned row by its key, the row-address pseudo-columns)' },
  honest: { fails: 'the erasure is complete and its counts right, yet the check reports not ok and the case stays in review (a false alarm)' },
};
selfReferenceSuites('parquet', { ordersKey: [], known: { delete: keyless } });
