// Requirement 1 (self-reference) on a Parquet lake (local folder, DuckDB): see
// self-reference.test.ts and test/support/shops/scale-scenarios.ts. Three layouts: orders with a
// primary key (id); the same Hive-partitioned (orders by customer_id, subscriptions by plan: the
// join key lives in the folder name); and orders without a primary key (rows addressed by file, row
// number and file version; the check reads them back where the rewrite put them:
// shared/adapters/lake/row-address.ts).
import { selfReferenceSuites } from '../../support/shops/scale-scenarios';

selfReferenceSuites('parquet');
selfReferenceSuites('parquet', { options: { lakePartitionBy: { orders: 'customer_id', subscriptions: 'plan' } }, note: 'orders Hive-partitioned by customer_id, subscriptions by plan' });
selfReferenceSuites('parquet', { ordersKey: [] });
