import { parseArgs } from 'node:util';
import { defaultTarget } from './env.js';
import { progressReporter } from './progress.js';
import { runLoad } from './run-load.js';
import { isScenario, SCENARIOS } from './scenarios.js';
import { formatSummary, servicesWindow, summarize } from './summary.js';

const HELP = `tracelens-load: fire requests at a scenario of the Tracelens web app and find the slow traces.

Usage: npm run load -- --scenario contention --rate 20 --duration 30s

Options:
  --scenario <name>     ${Object.keys(SCENARIOS).join(', ')} (default process)
  --rate <n>            requests started per second (default 10)
  --duration <time>     how long to keep starting requests: 30s, 2m, 500ms (default 10s)
  --concurrency <n>     most requests in flight; due requests beyond it are skipped and counted (default 50)
  --name <name>         the name each request processes (default alice)
  --target <url>        the web app (default http://localhost:$WEB_PORT, WEB_PORT defaulting to 3000)
  --timeout <time>      per-request deadline (default 30s)
  --slowest <n>         how many of the slowest traces to list (default 5)
  --json                print the summary as JSON instead of text
  -h, --help            show this help
`;

function duration(raw: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!m) throw new Error(`${flag} must be a duration like 30s, 2m or 500ms, got ${JSON.stringify(raw)}`);
  const unit = m[2] ?? 's';
  return Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'process' },
      rate: { type: 'string', default: '10' },
      duration: { type: 'string', default: '10s' },
      concurrency: { type: 'string', default: '50' },
      name: { type: 'string', default: 'alice' },
      target: { type: 'string' },
      timeout: { type: 'string', default: '30s' },
      slowest: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const scenario = values.scenario;
  if (!isScenario(scenario)) throw new Error(`unknown scenario ${JSON.stringify(scenario)}; choose one of ${Object.keys(SCENARIOS).join(', ')}`);
  if (!/^[A-Za-z0-9_.-]{1,60}$/.test(values.name)) throw new Error('--name must be 1-60 letters, digits, "_", "-" or "."');
  const target = (values.target ?? defaultTarget()).replace(/\/+$/, '');
  const options = {
    url: `${target}${SCENARIOS[scenario](values.name)}`,
    rate: positive(values.rate, '--rate'),
    durationMs: duration(values.duration, '--duration'),
    concurrency: Math.floor(positive(values.concurrency, '--concurrency')),
    timeoutMs: duration(values.timeout, '--timeout'),
  };
  const slowest = Math.floor(positive(values.slowest, '--slowest'));

  process.stderr.write(`${scenario}: ${options.rate}/s for ${options.durationMs / 1000} s against ${options.url}\n`);
  const progress = progressReporter(process.stderr);
  const run = await runLoad(options, (p) => progress.update(p));
  progress.end();
  const summary = summarize(run, slowest);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ scenario, url: options.url, ...summary }, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatSummary(scenario, summary, (id) => `${target}/traces/${id}`, `${target}/services?window=${servicesWindow(options.durationMs)}`)}\n`);
  }
  return summary.sent === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`tracelens-load: ${(e as Error).message}\nRun with --help for the options.\n`);
    process.exit(2);
  },
);

