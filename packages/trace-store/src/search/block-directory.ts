/**
 * A block's directory (blocks.directory): for each of its chunks, in id
 * order, the chunk id, the trace id, the bounds of its spans' starts and
 * durations (microseconds, widened by 1 µs outward) and its bloom filter.
 * A search reads it for a block whose filter may match, and then only the
 * chunks whose own bounds and filter may match.
 *
 * Layout, little-endian: count (u32), 4 bytes of padding, chunk ids
 * (f64 × count), bounds (f64 × 4 × count: min start, max start, min
 * duration, max duration), trace ids (16 bytes × count), filter ends
 * (u32 × count, offsets into the filters), the filters one after the other.
 */

export interface DirectoryEntry {
  id: number;
  traceId: Uint8Array;
  /** Min start, max start, min duration, max duration, microseconds. */
  bounds: ArrayLike<number>;
  filter: Uint8Array;
}

export class Directory {
  readonly count: number;
  readonly ids: Float64Array;
  readonly bounds: Float64Array;
  private readonly traceIds: Uint8Array;
  private readonly filterEnds: Uint32Array;
  private readonly filters: Uint8Array;
  private readonly filtersAt: number;

  /** Reads a directory blob (copied once, so the typed views are aligned). */
  constructor(blob: Uint8Array) {
    const bytes = blob.slice();
    const buffer = bytes.buffer;
    const n = new DataView(buffer).getUint32(0, true);
    let at = 8;
    this.count = n;
    this.ids = new Float64Array(buffer, at, n);
    at += 8 * n;
    this.bounds = new Float64Array(buffer, at, 4 * n);
    at += 32 * n;
    this.traceIds = new Uint8Array(buffer, at, 16 * n);
    at += 16 * n;
    this.filterEnds = new Uint32Array(buffer, at, n);
    at += 4 * n;
    this.filters = new Uint8Array(buffer, at);
    this.filtersAt = at;
  }

  traceId(i: number): Uint8Array {
    return this.traceIds.subarray(16 * i, 16 * i + 16);
  }

  filter(i: number): Uint8Array {
    const start = i === 0 ? 0 : (this.filterEnds[i - 1] as number);
    return this.filters.subarray(start, this.filterEnds[i]);
  }

  /** Bytes the directory takes, for tests. */
  get byteLength(): number {
    return this.filtersAt + this.filters.length;
  }
}

/** Encodes a directory from its entries, in order. */
export function encodeDirectory(entries: readonly DirectoryEntry[]): Uint8Array {
  const n = entries.length;
  const filterBytes = entries.reduce((sum, e) => sum + e.filter.length, 0);
  const size = 8 + 8 * n + 32 * n + 16 * n + 4 * n + filterBytes;
  const buffer = new ArrayBuffer(size);
  new DataView(buffer).setUint32(0, n, true);
  let at = 8;
  const ids = new Float64Array(buffer, at, n);
  at += 8 * n;
  const bounds = new Float64Array(buffer, at, 4 * n);
  at += 32 * n;
  const traceIds = new Uint8Array(buffer, at, 16 * n);
  at += 16 * n;
  const filterEnds = new Uint32Array(buffer, at, n);
  at += 4 * n;
  const filters = new Uint8Array(buffer, at);
  let f = 0;
  entries.forEach((e, i) => {
    ids[i] = e.id;
    for (let k = 0; k < 4; k++) bounds[4 * i + k] = e.bounds[k] as number;
    traceIds.set(e.traceId, 16 * i);
    filters.set(e.filter, f);
    f += e.filter.length;
    filterEnds[i] = f;
  });
  return new Uint8Array(buffer);
}
