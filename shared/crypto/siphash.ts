// SipHash-2-4 (Aumasson & Bernstein, 2012): a keyed pseudo-random function with a 128-bit key,
// made for short inputs. Here it computes the deletion ledger's 32-bit keyed prefix
// (EnvelopeCrypto.keyedPrefixer): a cheap keyed filter in front of the full HMAC, under a key
// derived from the lookup key, so it is as keyed as the HMAC (nobody without the key can compute it
// for a value to test) and costs a fraction of two SHA-256 calls. 64-bit words as pairs of 32-bit halves.

/** SipHash-2-4 of bytes[0, len) under the 16-byte key (k0 = key[0..8), k1 = key[8..16), little-endian); the low 32 bits of the 64-bit result, unsigned. */
export function sipHash24Low32(key: Uint8Array, bytes: Uint8Array, len: number): number {
  const k0l = rd32(key, 0); const k0h = rd32(key, 4); const k1l = rd32(key, 8); const k1h = rd32(key, 12);
  return sip(k0l, k0h, k1l, k1h, bytes, len, false) as number;
}

/** The full 64-bit SipHash-2-4 as [high, low] unsigned 32-bit halves (the reference test vectors). */
export function sipHash24(key: Uint8Array, bytes: Uint8Array, len = bytes.length): [number, number] {
  return sip(rd32(key, 0), rd32(key, 4), rd32(key, 8), rd32(key, 12), bytes, len, true) as [number, number];
}

function rd32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function sip(k0l: number, k0h: number, k1l: number, k1h: number, m: Uint8Array, len: number, full: boolean): number | [number, number] {
  // v0 = k0 ^ "somepseu", v1 = k1 ^ "dorandom", v2 = k0 ^ "lygenera", v3 = k1 ^ "tedbytes"
  let v0h = (k0h ^ 0x736f6d65) >>> 0; let v0l = (k0l ^ 0x70736575) >>> 0;
  let v1h = (k1h ^ 0x646f7261) >>> 0; let v1l = (k1l ^ 0x6e646f6d) >>> 0;
  let v2h = (k0h ^ 0x6c796765) >>> 0; let v2l = (k0l ^ 0x6e657261) >>> 0;
  let v3h = (k1h ^ 0x74656462) >>> 0; let v3l = (k1l ^ 0x79746573) >>> 0;
  let t = 0; let u = 0;
  // the SipRound, written out in both loops below (no closure: its variables stay in registers)
  const whole = len - (len % 8);
  for (let i = 0; i <= whole; i += 8) {
    let ml: number; let mh: number;
    if (i < whole) {
      ml = (m[i]! | (m[i + 1]! << 8) | (m[i + 2]! << 16) | (m[i + 3]! << 24)) >>> 0;
      mh = (m[i + 4]! | (m[i + 5]! << 8) | (m[i + 6]! << 16) | (m[i + 7]! << 24)) >>> 0;
    } else {
      // the last block: the remaining bytes, and the length's low byte in the top byte
      ml = 0; mh = (len & 0xff) << 24;
      for (let j = 0; j < len - whole; j += 1) {
        u = m[i + j]!;
        if (j < 4) ml |= u << (8 * j); else mh |= u << (8 * (j - 4));
      }
      ml >>>= 0; mh >>>= 0;
    }
    v3h = (v3h ^ mh) >>> 0; v3l = (v3l ^ ml) >>> 0;
    for (let r = 0; r < 2; r += 1) {
      // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
      t = (v0l + v1l) >>> 0; v0h = (v0h + v1h + (t < v0l ? 1 : 0)) >>> 0; v0l = t;
      t = ((v1h << 13) | (v1l >>> 19)) >>> 0; v1l = ((v1l << 13) | (v1h >>> 19)) >>> 0; v1h = t;
      v1h = (v1h ^ v0h) >>> 0; v1l = (v1l ^ v0l) >>> 0;
      t = v0h; v0h = v0l; v0l = t;
      // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
      t = (v2l + v3l) >>> 0; v2h = (v2h + v3h + (t < v2l ? 1 : 0)) >>> 0; v2l = t;
      t = ((v3h << 16) | (v3l >>> 16)) >>> 0; v3l = ((v3l << 16) | (v3h >>> 16)) >>> 0; v3h = t;
      v3h = (v3h ^ v2h) >>> 0; v3l = (v3l ^ v2l) >>> 0;
      // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
      t = (v0l + v3l) >>> 0; v0h = (v0h + v3h + (t < v0l ? 1 : 0)) >>> 0; v0l = t;
      t = ((v3h << 21) | (v3l >>> 11)) >>> 0; v3l = ((v3l << 21) | (v3h >>> 11)) >>> 0; v3h = t;
      v3h = (v3h ^ v0h) >>> 0; v3l = (v3l ^ v0l) >>> 0;
      // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
      t = (v2l + v1l) >>> 0; v2h = (v2h + v1h + (t < v2l ? 1 : 0)) >>> 0; v2l = t;
      t = ((v1h << 17) | (v1l >>> 15)) >>> 0; v1l = ((v1l << 17) | (v1h >>> 15)) >>> 0; v1h = t;
      v1h = (v1h ^ v2h) >>> 0; v1l = (v1l ^ v2l) >>> 0;
      t = v2h; v2h = v2l; v2l = t;
    }
    v0h = (v0h ^ mh) >>> 0; v0l = (v0l ^ ml) >>> 0;
  }
  v2l = (v2l ^ 0xff) >>> 0;
  for (let r = 0; r < 4; r += 1) {
    // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
    t = (v0l + v1l) >>> 0; v0h = (v0h + v1h + (t < v0l ? 1 : 0)) >>> 0; v0l = t;
    t = ((v1h << 13) | (v1l >>> 19)) >>> 0; v1l = ((v1l << 13) | (v1h >>> 19)) >>> 0; v1h = t;
    v1h = (v1h ^ v0h) >>> 0; v1l = (v1l ^ v0l) >>> 0;
    t = v0h; v0h = v0l; v0l = t;
    // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
    t = (v2l + v3l) >>> 0; v2h = (v2h + v3h + (t < v2l ? 1 : 0)) >>> 0; v2l = t;
    t = ((v3h << 16) | (v3l >>> 16)) >>> 0; v3l = ((v3l << 16) | (v3h >>> 16)) >>> 0; v3h = t;
    v3h = (v3h ^ v2h) >>> 0; v3l = (v3l ^ v2l) >>> 0;
    // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
    t = (v0l + v3l) >>> 0; v0h = (v0h + v3h + (t < v0l ? 1 : 0)) >>> 0; v0l = t;
    t = ((v3h << 21) | (v3l >>> 11)) >>> 0; v3l = ((v3l << 21) | (v3h >>> 11)) >>> 0; v3h = t;
    v3h = (v3h ^ v0h) >>> 0; v3l = (v3l ^ v0l) >>> 0;
    // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    t = (v2l + v1l) >>> 0; v2h = (v2h + v1h + (t < v2l ? 1 : 0)) >>> 0; v2l = t;
    t = ((v1h << 17) | (v1l >>> 15)) >>> 0; v1l = ((v1l << 17) | (v1h >>> 15)) >>> 0; v1h = t;
    v1h = (v1h ^ v2h) >>> 0; v1l = (v1l ^ v2l) >>> 0;
    t = v2h; v2h = v2l; v2l = t;
  }
  const lo = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  return full ? [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, lo] : lo;
}
