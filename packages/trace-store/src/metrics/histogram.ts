/**
 * Span durations as a log-linear histogram: bucket i > 0 holds durations
 * from 2^((i-1)/16) to 2^(i/16) microseconds, each 4.4% wider than the one
 * below, so a quantile read from it (interpolating inside its bucket, as
 * Prometheus' histogram_quantile does) is within about 2% of the exact one
 * at any scale. Bucket 0 holds everything under 1 µs; the last one
 * everything from about 2^40 µs (12.7 days) up.
 *
 * Kept sparse: a map from bucket index to count, stored as little-endian
 * uint32 pairs (index, count), so a rollup row holds only the buckets its
 * spans fell in.
 */

const SUB_BUCKETS = 16;
export const LAST_BUCKET = 40 * SUB_BUCKETS + 1;

export type Histogram = Map<number, number>;

/** The bucket a duration in microseconds falls in. */
export function bucketOf(durationUs: number): number {
  if (!(durationUs >= 1)) return 0;
  return Math.min(LAST_BUCKET, 1 + Math.floor(Math.log2(durationUs) * SUB_BUCKETS));
}

/** Bucket i's lower and upper bound, microseconds. */
function boundsOf(i: number): [number, number] {
  if (i === 0) return [0, 1];
  return [2 ** ((i - 1) / SUB_BUCKETS), 2 ** (i / SUB_BUCKETS)];
}

/** Adds `sign` × each of `other`'s counts to `into`; buckets that reach 0 are removed. */
export function addHistogram(into: Histogram, other: Histogram, sign = 1): void {
  for (const [i, n] of other) {
    const total = (into.get(i) ?? 0) + sign * n;
    if (total > 0) into.set(i, total);
    else into.delete(i);
  }
}

export function encodeHistogram(h: Histogram): Buffer {
  const out = Buffer.alloc(8 * h.size);
  let at = 0;
  for (const i of [...h.keys()].sort((a, b) => a - b)) {
    out.writeUInt32LE(i, at);
    out.writeUInt32LE(h.get(i) as number, at + 4);
    at += 8;
  }
  return out;
}

/** Adds the counts of an encoded histogram to `into` (decoding and merging in one pass). */
export function addEncodedHistogram(into: Histogram, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.byteLength; at += 8) {
    const i = view.getUint32(at, true);
    into.set(i, (into.get(i) ?? 0) + view.getUint32(at + 4, true));
  }
}

/**
 * The q-quantile (0 < q <= 1) in microseconds, interpolated linearly inside
 * the bucket it falls in; NaN for an empty histogram.
 */
export function quantileOf(h: Histogram, q: number): number {
  let total = 0;
  for (const n of h.values()) total += n;
  if (total === 0) return NaN;
  const rank = q * total;
  let below = 0;
  for (const i of [...h.keys()].sort((a, b) => a - b)) {
    const n = h.get(i) as number;
    if (below + n >= rank) {
      const [low, high] = boundsOf(i);
      return low + (high - low) * ((rank - below) / n);
    }
    below += n;
  }
  return boundsOf(LAST_BUCKET)[1];
}
