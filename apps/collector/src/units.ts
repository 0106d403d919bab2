const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A size like `16MiB`, `512kb` or `1048576` in bytes. */
export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw new Error(`cannot parse size ${JSON.stringify(raw)}: expected e.g. 16MiB, 512KiB or a number of bytes`);
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration like `24h`, `7d`, `1h30m` or `0` in milliseconds. */
export function parseDurationMs(raw: string): number {
  const text = raw.trim();
  if (text === '0') return 0;
  let rest = text;
  let total = 0;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
    if (!m) throw new Error(`cannot parse duration ${JSON.stringify(raw)}: expected e.g. 24h, 7d, 90m or 0`);
    total += Number(m[1]) * (DURATION_UNITS_MS[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  if (text === '') throw new Error('empty duration');
  return Math.round(total);
}
