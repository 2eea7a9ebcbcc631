// Notes the product writes itself: fixed texts with no personal data and no staff words in them.
// Sealing at rest (shared/store/sealed-notes.ts) is for what staff type; a fixed text sealed would
// protect nothing, and sealing it cost one encryption per imported request (issue 18 item 5), so
// these are stored as written. A note is kept plain only when it equals one of these exactly.
export const IMPORT_ATTESTATION_NOTE = 'staff attestation (CSV import)';

export const PRODUCT_NOTES: ReadonlySet<string> = new Set([IMPORT_ATTESTATION_NOTE]);
