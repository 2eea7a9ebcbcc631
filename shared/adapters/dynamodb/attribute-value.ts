// DynamoDB attribute values <-> plain values (strings, numbers, booleans, null, lists, maps,
// sets as arrays, binary as base64). Numbers that do not fit a JS number stay text.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

function num(n: string): number | string {
  const v = Number(n);
  return Number.isFinite(v) && (Number.isSafeInteger(v) || !/^-?\d+$/u.test(n)) ? v : n;
}

export function fromAttr(a: AttributeValue): unknown {
  if (a.S !== undefined) return a.S;
  if (a.N !== undefined) return num(a.N);
  if (a.BOOL !== undefined) return a.BOOL;
  if (a.NULL !== undefined) return null;
  if (a.B !== undefined) return Buffer.from(a.B).toString('base64');
  if (a.L !== undefined) return a.L.map(fromAttr);
  if (a.M !== undefined) return fromItem(a.M);
  if (a.SS !== undefined) return [...a.SS];
  if (a.NS !== undefined) return a.NS.map(num);
  if (a.BS !== undefined) return a.BS.map((b) => Buffer.from(b).toString('base64'));
  return null;
}

export function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttr(v)]));
}

export function toAttr(v: unknown): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number' || typeof v === 'bigint') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (v instanceof Uint8Array) return { B: v };
  if (Array.isArray(v)) return { L: v.map(toAttr) };
  if (typeof v === 'object') return { M: Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toAttr(x)])) };
  return { S: String(v) };
}

/** A key attribute of declared type S, N or B from a plain value. */
export function keyAttr(v: unknown, type: 'S' | 'N' | 'B'): AttributeValue {
  if (type === 'N') return { N: String(v) };
  if (type === 'B') return { B: typeof v === 'string' ? Buffer.from(v, 'base64') : (v as Uint8Array) };
  return { S: String(v) };
}
