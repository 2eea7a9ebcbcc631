// The case model's value lists without their zod schemas (shared/domain/case.ts builds the schemas
// from these and re-exports them). The console's queue, which paints first, imports from here so
// its bundle does not carry zod and libphonenumber (about 570 kB minified).
export const CASE_TYPES = ['access', 'delete', 'delete_pii', 'opt_out', 'correct', 'limit'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const JURISDICTIONS = ['CA', 'EU', 'UK', 'VA', 'CO', 'CT', 'UT', 'OR', 'TX', 'MT', 'IA', 'DE', 'NJ', 'NH', 'NE', 'TN', 'MN', 'MD', 'IN', 'KY', 'RI', 'FL'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const CHANNELS = ['phone', 'email', 'web', 'staff', 'gpc', 'mail'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CASE_STATUSES = [
  'received', 'acknowledged', 'verifying', 'verified', 'discovering', 'in_review', 'approved',
  'executing', 'checking', 'responding', 'closed', 'denied', 'on_hold',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
