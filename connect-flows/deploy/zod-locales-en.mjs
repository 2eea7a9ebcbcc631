// Stands in for zod's locales index in the phone Lambda bundles (bundle-lambdas.ts): English only,
// the error map zod configures by default; no Lambda selects another language.
export { default as en } from 'zod/v4/locales/en.js';
