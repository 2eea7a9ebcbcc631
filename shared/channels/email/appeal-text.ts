// The refusal and appeal texts are pure and live in shared/domain/appeal-text.ts (the public
// server's status page shows them too); re-exported here for the email side.
export * from '../../domain/appeal-text';
