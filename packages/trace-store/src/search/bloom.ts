/**
 * Bloom filters over 32-bit term hashes (terms.ts): the search index of a
 * block of chunks, and of each chunk in it (see store/schema.ts). A filter
 * never says no to a term it holds; it says yes to one it does not hold at
 * about the rate given by its bits per term, so a search still checks every
 * span it reads (no false matches), it just reads fewer of them.
 */

/** Filter sizes, in bits per distinct term: false positives about 0.8% for a chunk's, 0.3% for a block's. */
export const CHUNK_BITS_PER_TERM = 10;
export const BLOCK_BITS_PER_TERM = 12;

/** Bits for `terms` distinct terms at `bitsPerTerm`, rounded up to whole bytes, at least 64. */
export function bloomBytes(terms: number, bitsPerTerm: number): number {
  return Math.max(8, Math.ceil((terms * bitsPerTerm) / 8));
}

/** The probes: k = ln 2 × bits per term is the optimum; fewer keeps adding and testing cheap. */
export function probesFor(bitsPerTerm: number): number {
  return Math.max(1, Math.min(8, Math.round(bitsPerTerm * 0.69)));
}

/** The second hash for double hashing (Kirsch-Mitzenmacher): odd, so every probe lands on a new bit. */
function step(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) | 1;
}

export function bloomAdd(bits: Uint8Array, probes: number, hash: number): void {
  const m = bits.length * 8;
  const delta = step(hash);
  let h = hash;
  for (let i = 0; i < probes; i++) {
    const bit = (h >>> 0) % m;
    bits[bit >>> 3] = (bits[bit >>> 3] as number) | (1 << (bit & 7));
    h = (h + delta) | 0;
  }
}

export function bloomHas(bits: Uint8Array, probes: number, hash: number): boolean {
  const m = bits.length * 8;
  if (m === 0) return false;
  const delta = step(hash);
  let h = hash;
  for (let i = 0; i < probes; i++) {
    const bit = (h >>> 0) % m;
    if (((bits[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
    h = (h + delta) | 0;
  }
  return true;
}

/** A filter of `hashes` (distinct), `bitsPerTerm` bits each. */
export function bloomOf(hashes: Iterable<number>, count: number, bitsPerTerm: number): Uint8Array {
  const bits = new Uint8Array(bloomBytes(count, bitsPerTerm));
  const probes = probesFor(bitsPerTerm);
  for (const h of hashes) bloomAdd(bits, probes, h);
  return bits;
}
