/**
 * Evenly spaced "nice" tick values (1, 2 or 5 times a power of ten) from 0 up
 * to `span`, at most `maxTicks` of them past 0. Used for the time axis
 * (microseconds) and the duration axis of the scatter plot.
 */
export function niceTicks(span: number, maxTicks = 5): number[] {
  if (!(span > 0) || !Number.isFinite(span)) return [0];
  const rough = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  // Integer multiples avoid 0.30000000000000004-style drift.
  for (let i = 0; i * step <= span * (1 + 1e-9); i += 1) ticks.push(i * step);
  return ticks;
}
