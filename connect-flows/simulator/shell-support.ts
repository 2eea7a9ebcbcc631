// What the CLI's `ivr call` needs to set up a simulated call beyond the sandbox itself: the CRM
// directory's config schema, a recogniser on a real Lex V2 bot, and where the Lambdas' log lines go.
// The shells reach the product only through shared/app (eslint.config.js, rule "shells"); the
// simulator is the phone's development harness, which composes the Lambdas and their adapters.
export { CrmDirectoryConfigSchema } from '../../shared/adapters/crm-directory';
export { LexRecognizer } from '../../shared/channels/lex-client';
export { setLogSink } from '../../lambdas/common/log';
