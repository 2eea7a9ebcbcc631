// Requirement 6 (nested fields) on DynamoDB (dynalite through the real SDK client): the data map
// declares `fields:` under map attributes (customers.profile, orders.delivery); after the erasure
// the personal nested values are gone and every other key of the map is kept, its DynamoDB type
// included (a string set, a number beyond 2^53, binary). See nested-json.test.ts and
// test/support/shops/scale-scenarios.ts.
import { nestedDynamoTypesSuites, nestedSuites } from '../../support/shops/scale-scenarios';

nestedSuites('dynamodb');
nestedDynamoTypesSuites();
