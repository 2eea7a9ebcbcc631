// Requirement 2 (a reference cycle through two people's records) on DynamoDB (dynalite through the
// real SDK client): see cycle.test.ts and test/support/shops/scale-scenarios.ts. Twice: gifts keyed
// by id (a look-up by giver is a Scan), and gifts partitioned by giver_id and sorted by id (a Query;
// a look-up by id, the sort key, is a Scan).
import { cycleSuites } from '../../support/shops/scale-scenarios';

cycleSuites('dynamodb');
cycleSuites('dynamodb', ['giver_id', 'id']);
