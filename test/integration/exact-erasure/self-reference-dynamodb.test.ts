// Requirement 1 (self-reference) on DynamoDB (dynalite through the real SDK client): see
// self-reference.test.ts and test/support/shops/scale-scenarios.ts. Three table layouts: orders
// keyed by id (a look-up by customer is a Scan); orders partitioned by customer_id and sorted by id
// (a Query); and email / phone behind a global secondary index (known engine problem: an index
// look-up is case- and format-exact, and the check then passes on data left behind).
import { indexedLookupSuites, selfReferenceSuites } from '../../support/shops/scale-scenarios';

selfReferenceSuites('dynamodb');
selfReferenceSuites('dynamodb', { ordersKey: ['customer_id', 'id'] });
indexedLookupSuites();
