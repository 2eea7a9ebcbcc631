// What a Lambda may hand back to Connect: a flat map of string values, under 32 KB of UTF-8
// (Connect rejects nested objects and larger answers). Everything the handlers return goes
// through here.
export type StringMap = Record<string, string>;
export const MAX_RESPONSE_BYTES = 32 * 1024;

export function toStringMap(values: Record<string, string | number | boolean | null | undefined>): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') throw new TypeError(`response key ${k}: Connect accepts only flat string values`);
    out[k] = String(v);
  }
  const size = Buffer.byteLength(JSON.stringify(out), 'utf8');
  if (size >= MAX_RESPONSE_BYTES) throw new RangeError(`response is ${size} bytes; Connect accepts less than ${MAX_RESPONSE_BYTES}`);
  return out;
}

/** A case reference read out character by character ("PD-20261123-AB3K9Z" -> "P D, 2 0 2 6 ..."). */
export function spoken(reference: string): string {
  return reference.split('-').map((part) => part.split('').join(' ')).join(', ');
}
