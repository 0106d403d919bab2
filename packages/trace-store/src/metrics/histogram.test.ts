import { describe, expect, it } from 'vitest';
import { addEncodedHistogram, addHistogram, bucketOf, encodeHistogram, quantileOf, type Histogram } from './histogram.js';

function histogramOf(durationsUs: readonly number[]): Histogram {
  const h: Histogram = new Map();
  for (const d of durationsUs) h.set(bucketOf(d), (h.get(bucketOf(d)) ?? 0) + 1);
  return h;
}

function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

describe('duration histogram', () => {
  it('reads quantiles within 2.5% of the exact ones from microseconds to hours', () => {
    // A deterministic spread over nine orders of magnitude (log-uniform), 20,000 durations.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [low, high] of [[1, 1e3], [1e3, 1e6], [1e6, 1e10]] as const) {
      const durations = Array.from({ length: 20_000 }, () => low * (high / low) ** random()).sort((a, b) => a - b);
      const h = histogramOf(durations);
      for (const q of [0.5, 0.75, 0.95, 0.99]) {
        const exact = exactQuantile(durations, q);
        expect(Math.abs(quantileOf(h, q) - exact) / exact).toBeLessThan(0.025);
      }
    }
  });

  it('round-trips through its encoding and subtracts back to empty', () => {
    const h = histogramOf([0.5, 1, 2, 2, 1500, 9e12]);
    const decoded: Histogram = new Map();
    addEncodedHistogram(decoded, encodeHistogram(h));
    expect(decoded).toEqual(h);
    addHistogram(decoded, h, -1);
    expect(decoded.size).toBe(0);
    expect(quantileOf(decoded, 0.5)).toBeNaN();
  });
});
