import { parseArgs } from 'node:util';
import { BACKENDS, type Benchmark, type BenchOptions } from './harness.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- ingest query` runs
 * those; `--smoke` runs tiny sizes (CI does, via `npm test`). Prints a table
 * and writes bench/results/<name>.json.
 */
export const REGISTRY: Record<string, { about: string; load: () => Promise<Benchmark> }> = {
  overhead: {
    about: 'what tracing costs the apps: traced, unsampled and untraced pairs under the same load',
    load: () => import('./benchmarks/overhead.js').then((m) => m.default),
  },
  browser: {
    about: 'what browser tracing adds to the first page load, and click to complete trace in Chromium',
    load: () => import('./benchmarks/browser.js').then((m) => m.default),
  },
  ingest: {
    about: 'spans per second the store acknowledges durably, protobuf and JSON',
    load: () => import('./benchmarks/ingest.js').then((m) => m.default),
  },
  query: {
    about: 'trace by id and searches on a large store',
    load: () => import('./benchmarks/query.js').then((m) => m.default),
  },
  memory: {
    about: "the store's memory holding many spans and under overload, and that nothing acknowledged is lost",
    load: () => import('./benchmarks/memory.js').then((m) => m.default),
  },
  'trace-page': {
    about: 'time to show a 5,000-span trace page in Chromium',
    load: () => import('./benchmarks/trace-page.js').then((m) => m.default),
  },
  fetch: {
    about: 'what tracing one server-side fetch costs: plain, @vercel/otel, the undici instrumentation, by hand',
    load: () => import('./benchmarks/fetch.js').then((m) => m.default),
  },
};

export const USAGE = `Usage: npm run bench [-- [options] [benchmark ...]]

Runs the named benchmarks (all of them when none is named), prints a table
and writes bench/results/<name>.json.

Benchmarks:
${Object.entries(REGISTRY)
  .map(([name, { about }]) => `  ${name.padEnd(11)} ${about}`)
  .join('\n')}

Options:
  --smoke             tiny sizes: proves each benchmark runs and its invariants hold, measures nothing
  --spans <n>         query: spans each store is filled with (default 1,000,000; 10,000 with --smoke),
                      e.g. --spans 10_000_000 for how the query figures grow
  --backends <list>   ingest, query: the stores to compare, comma-separated, from ${BACKENDS.join(', ')}
                      (default all; the Jaeger ones are skipped with a note where Jaeger cannot be built)
  -h, --help          this text`;

/** The benchmarks and flags asked for, or the reason the command line is wrong. */
export function parseCommandLine(args: string[]): { help: true } | { help: false; smoke: boolean; names: string[]; options: BenchOptions } {
  const { values, positionals } = parseArgs({
    args,
    options: { smoke: { type: 'boolean' }, spans: { type: 'string' }, backends: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return { help: true };
  const unknown = positionals.filter((n) => !(n in REGISTRY));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.map((n) => JSON.stringify(n)).join(', ')}; choose from ${Object.keys(REGISTRY).join(', ')}`);
  }
  const options: BenchOptions = {};
  if (values.spans !== undefined) {
    // Digits only (with _ between groups): Number() would also take "1e6" or "0x10".
    const spans = /^\d+(_\d+)*$/.test(values.spans) ? Number(values.spans.replaceAll('_', '')) : NaN;
    if (!Number.isSafeInteger(spans) || spans < 1000 || spans % 1000 !== 0) {
      throw new Error(`--spans must be a whole number of thousands (1000 or more), got ${JSON.stringify(values.spans)}`);
    }
    options.spans = spans;
  }
  if (values.backends !== undefined) {
    const list = values.backends.split(',').map((b) => b.trim());
    const wrong = list.filter((b) => !(BACKENDS as readonly string[]).includes(b));
    if (wrong.length > 0 || list.length === 0) throw new Error(`unknown backend ${wrong.map((b) => JSON.stringify(b)).join(', ')}; choose from ${BACKENDS.join(', ')}`);
    options.backends = list as BenchOptions['backends'];
  }
  return { help: false, smoke: values.smoke ?? false, names: positionals.length > 0 ? positionals : Object.keys(REGISTRY), options };
}
