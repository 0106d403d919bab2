import { describe, expect, it } from 'vitest';
import { serviceColor, serviceColors, SERVICE_PALETTE } from './colors';
import { formatDuration, formatOffset, formatUtc } from './format';
import { niceTicks } from './ticks';

describe('formatDuration', () => {
  it.each([
    [0, '0 µs'],
    [850, '850 µs'],
    [1_000, '1 ms'],
    [1_234, '1.23 ms'],
    [12_345, '12.3 ms'],
    [245_000, '245 ms'],
    [1_240_000, '1.24 s'],
    [12_500_000, '12.5 s'],
    [125_000_000, '2 min 5 s'],
    [7_500_000_000, '2 h 5 min'],
    [-1_500, '-1.5 ms'],
  ])('%d µs is %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  it('writes offsets with a sign', () => {
    expect([formatOffset(0), formatOffset(2_500)]).toEqual(['0 ms', '+2.5 ms']);
  });
});

describe('formatUtc', () => {
  it('is the UTC wall time to the millisecond', () => {
    expect(formatUtc(1_764_072_184_123_456)).toBe('2025-11-25 12:03:04.123 UTC');
  });
});

describe('niceTicks', () => {
  it.each([
    [100, 5, [0, 20, 40, 60, 80, 100]],
    [245_000, 5, [0, 50_000, 100_000, 150_000, 200_000]],
    [0.3, 3, [0, 0.1, 0.2, 0.30000000000000004]],
    [7, 10, [0, 1, 2, 3, 4, 5, 6, 7]],
    [0, 5, [0]],
    [Number.NaN, 5, [0]],
  ])('span %d in at most %d steps', (span, max, ticks) => {
    expect(niceTicks(span, max)).toEqual(ticks);
  });
});

describe('serviceColors', () => {
  it("gives a service the same colour whatever else a view shows", () => {
    // The trace page showed web-ui in one colour and the search results, without data-processor, in another.
    for (const service of ['web-ui', 'frontend-api', 'data-processor', 'probe-ui', 'inventory']) {
      const alone = serviceColors([service]).get(service);
      expect(serviceColors(['web-ui', 'frontend-api', 'data-processor', 'probe-ui', 'inventory']).get(service)).toBe(alone);
      expect(serviceColors(['zzz', service, 'aaa']).get(service)).toBe(alone);
      expect(serviceColor(service)).toBe(alone);
    }
  });

  it("gives this app's three tiers three colours no other service gets", () => {
    const tiers = ['web-ui', 'frontend-api', 'data-processor'].map(serviceColor);
    expect(new Set(tiers).size).toBe(3);
    const others = Array.from({ length: 200 }, (_, i) => serviceColor(`service-${i}`));
    expect(others.filter((color) => tiers.includes(color))).toEqual([]);
    // And they spread over the rest of the palette.
    expect(new Set(others).size).toBe(SERVICE_PALETTE.length - 3);
  });
});
