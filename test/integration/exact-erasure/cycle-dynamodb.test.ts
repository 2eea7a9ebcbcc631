// Requirement 2 (a reference cycle through two people's records) on DynamoDB (dynalite through the real SDK client): see
// cycle.test.ts and test/support/shops/scale-scenarios.ts.
import { cycleSuites } from '../../support/shops/scale-scenarios';

cycleSuites('dynamodb');
