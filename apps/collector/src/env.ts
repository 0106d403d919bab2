import { z } from 'zod';
import type { CollectorOptions } from '@tracelens/trace-store';

/**
 * The collector's configuration, parsed once: each option comes from its
 * flag, else from its `COLLECTOR_*` environment variable, else the store's
 * default (DEFAULTS in @tracelens/trace-store). One zod schema turns the
 * text into the store's options, so a value is checked and converted in one
 * place, and an error names where the bad value came from (the flag, or the
 * variable).
 *
 * The only module of this app that reads `process.env`.
 */

/** Every option the command line sets: its flag and its environment variable. */
export const SETTINGS = {
  host: { flag: '--host', env: 'COLLECTOR_HOST' },
  otlpPort: { flag: '--otlp-port', env: 'COLLECTOR_OTLP_PORT' },
  queryPort: { flag: '--query-port', env: 'COLLECTOR_QUERY_PORT' },
  db: { flag: '--db', env: 'COLLECTOR_DB' },
  retentionMs: { flag: '--retention', env: 'COLLECTOR_RETENTION' },
  maxSpans: { flag: '--max-spans', env: 'COLLECTOR_MAX_SPANS' },
  maxBodyBytes: { flag: '--max-body', env: 'COLLECTOR_MAX_BODY' },
  maxQueueSpans: { flag: '--max-queue', env: 'COLLECTOR_MAX_QUEUE' },
  corsOrigins: { flag: '--cors-origins', env: 'COLLECTOR_CORS_ORIGINS' },
  tailSampling: { flag: '--tail-sampling', env: 'COLLECTOR_TAIL_SAMPLING' },
  tailWaitMs: { flag: '--tail-wait', env: 'COLLECTOR_TAIL_WAIT' },
  tailLatencyMs: { flag: '--tail-latency', env: 'COLLECTOR_TAIL_LATENCY' },
  tailRatio: { flag: '--tail-ratio', env: 'COLLECTOR_TAIL_RATIO' },
} as const;

export type Setting = keyof typeof SETTINGS;

/** The flags given, by option; `--tail-sampling` is a switch, the rest carry text. */
export type Flags = { [K in Exclude<Setting, 'tailSampling'>]?: string } & { tailSampling?: boolean };

/** A bad value, with the message naming its flag or variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A zod string that `convert` turns into a value, or `undefined` for "not this": the issue says what was expected. */
function text<T>(expected: string, convert: (raw: string) => T | undefined) {
  return z.string().transform((raw, ctx): T => {
    const value = convert(raw);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `${expected}, got ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return value;
  });
}

const port = text('must be a port number from 0 to 65535', (raw) => (/^\d+$/.test(raw) && Number(raw) <= 65535 ? Number(raw) : undefined));

/** A whole number; `_` may group digits (`1_000_000`). */
const count = text('must be a whole number', (raw) => (/^\d+$/.test(raw.replaceAll('_', '')) ? Number(raw.replaceAll('_', '')) : undefined));

/** A size like `16MiB`, `512kb` or `1048576`, in bytes. */
const size = text('must be a size such as 16MiB, 512KiB or a number of bytes', (raw) => {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  return m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : undefined;
});

/** A duration like `24h`, `7d`, `1h30m`, `250ms` or `0`, in milliseconds. */
const duration = text('must be a duration such as 24h, 7d, 90m or 0', (raw) => {
  let rest = raw.trim();
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (DURATION_UNITS_MS[m[2] as string] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
});

const onOff = text('must be on or off', (raw) => {
  const value = raw.trim().toLowerCase();
  return value === 'on' || value === 'true' || value === '1' ? true : value === 'off' || value === 'false' || value === '0' ? false : undefined;
});

const ratio = text('must be a number from 0 to 1', (raw) => (/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) && Number(raw) <= 1 ? Number(raw) : undefined));

const nonEmpty = z.string().min(1, 'must not be empty');

/** Comma-separated; empty means no browser origin at all. */
const origins = z.string().transform((raw) => raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));

const schema = z.object({
  host: nonEmpty.optional(),
  otlpPort: port.optional(),
  queryPort: port.optional(),
  db: nonEmpty.optional(),
  retentionMs: duration.optional(),
  maxSpans: count.optional(),
  maxBodyBytes: size.optional(),
  maxQueueSpans: count.optional(),
  corsOrigins: origins.optional(),
  tailSampling: onOff.optional(),
  tailWaitMs: duration.optional(),
  tailLatencyMs: duration.optional(),
  tailRatio: ratio.optional(),
}) satisfies z.ZodType<Partial<Record<Setting, unknown>>>;

/**
 * The store's options from the flags given and the environment. A flag wins
 * over its variable; an empty variable counts as unset, except
 * COLLECTOR_CORS_ORIGINS, where empty means "no browser origins". Throws
 * ConfigError naming the flag or variable of the first bad value.
 */
export function readOptions(flags: Flags, env: NodeJS.ProcessEnv = process.env): CollectorOptions {
  const input: Record<string, string> = {};
  const source: Record<string, string> = {};
  for (const [setting, { flag, env: variable }] of Object.entries(SETTINGS)) {
    const fromFlag = flags[setting as Setting];
    const fromEnv = env[variable];
    if (fromFlag !== undefined && fromFlag !== false) {
      // The switch --tail-sampling reads as its variable's "on".
      input[setting] = fromFlag === true ? 'on' : fromFlag;
      source[setting] = flag;
    } else if (fromEnv !== undefined && (fromEnv !== '' || setting === 'corsOrigins')) {
      input[setting] = fromEnv;
      source[setting] = variable;
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue?.path[0] ?? '');
    throw new ConfigError(`${source[setting] ?? setting} ${issue?.message ?? 'is not valid'}`);
  }
  // Only what was given: startCollector fills in its defaults for the rest.
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
}
