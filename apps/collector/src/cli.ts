#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { convertDatabase, DEFAULTS, jsonLog, startCollector, type CollectorOptions } from '@tracelens/trace-store';
import { readOptions, type Flags } from './env.js';

const HELP = `tracelens-collector: an OTLP/HTTP receiver on SQLite that answers Jaeger's query API.

Usage: tracelens-collector [options]
       tracelens-collector upgrade-db <file>   convert a database of an earlier Tracelens store to the
                                            current format (the original is kept as <file>.v<N>.bak)

Options (each also read from the environment variable shown; flags win):
  --host <addr>          address both listeners bind to        COLLECTOR_HOST        (default ${DEFAULTS.host})
  --otlp-port <port>     OTLP/HTTP receiver port, 0 = any free  COLLECTOR_OTLP_PORT   (default ${DEFAULTS.otlpPort})
  --query-port <port>    Jaeger query API port, 0 = any free    COLLECTOR_QUERY_PORT  (default ${DEFAULTS.queryPort})
  --db <file>            SQLite file, or :memory:               COLLECTOR_DB          (default ${DEFAULTS.db})
  --retention <dur>      delete spans and logs ingested longer ago, 0 = keep (e.g. 24h, 7d)
                                                                COLLECTOR_RETENTION   (default 24h)
  --max-spans <n>        keep at most n spans (and n log records), 0 = no limit
                                                                COLLECTOR_MAX_SPANS   (default ${DEFAULTS.maxSpans})
  --max-body <size>      largest request body after gunzip      COLLECTOR_MAX_BODY    (default 16MiB)
  --max-queue <n>        spans and log records waiting to be written before 503
                                                                COLLECTOR_MAX_QUEUE   (default ${DEFAULTS.maxQueueSpans})
  --cors-origins <list>  comma-separated browser origins allowed to export; * = any,
                         http://host:* = any port            COLLECTOR_CORS_ORIGINS (default localhost origins)
  --tail-sampling        keep errored and slow traces and a ratio of the rest, delete the others
                                                                COLLECTOR_TAIL_SAMPLING=on|off (default off)
  --tail-wait <dur>      wait this long after a trace's last span before deciding
                                                                COLLECTOR_TAIL_WAIT   (default 5s)
  --tail-latency <dur>   keep every trace lasting at least this COLLECTOR_TAIL_LATENCY (default 1s)
  --tail-ratio <0..1>    fraction of the other traces kept, by trace id
                                                                COLLECTOR_TAIL_RATIO  (default ${DEFAULTS.tailRatio})
  -h, --help             show this help

Endpoints:
  OTLP:  POST /v1/traces, POST /v1/logs (application/x-protobuf or application/json, gzip ok), GET /health
  Query: Jaeger v1 /api/services, /api/services/{service}/operations, /api/operations,
         /api/traces, /api/traces/{id}, /api/dependencies, POST /api/transform;
         /api/traces/{id}/logs (log records of a trace), /api/tail-sampling (counters);
         api_v3 /api/v3/services, /api/v3/operations, /api/v3/traces, /api/v3/traces/{id},
         /api/v3/trace-summaries; GET /health
`;

/** The options asked for, or 'help'. Throws for a bad flag or value. */
function options(argv: string[]): CollectorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      'otlp-port': { type: 'string' },
      'query-port': { type: 'string' },
      db: { type: 'string' },
      retention: { type: 'string' },
      'max-spans': { type: 'string' },
      'max-body': { type: 'string' },
      'max-queue': { type: 'string' },
      'cors-origins': { type: 'string' },
      'tail-sampling': { type: 'boolean' },
      'tail-wait': { type: 'string' },
      'tail-latency': { type: 'string' },
      'tail-ratio': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const flags: Flags = {
    host: values.host,
    otlpPort: values['otlp-port'],
    queryPort: values['query-port'],
    db: values.db,
    retentionMs: values.retention,
    maxSpans: values['max-spans'],
    maxBodyBytes: values['max-body'],
    maxQueueSpans: values['max-queue'],
    corsOrigins: values['cors-origins'],
    tailSampling: values['tail-sampling'],
    tailWaitMs: values['tail-wait'],
    tailLatencyMs: values['tail-latency'],
    tailRatio: values['tail-ratio'],
  };
  return { ...readOptions(flags), log: jsonLog };
}

/** `tracelens-collector upgrade-db <file>`. */
function upgradeDb(args: string[]): void {
  if (args.length !== 1 || args[0]?.startsWith('-')) {
    process.stderr.write('tracelens-collector: upgrade-db takes one argument, the database file\nRun with --help for the options.\n');
    process.exit(2);
  }
  try {
    convertDatabase(args[0] as string, (line) => process.stdout.write(`tracelens-collector: ${line}\n`));
  } catch (e) {
    process.stderr.write(`tracelens-collector: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'upgrade-db') {
    upgradeDb(process.argv.slice(3));
    return;
  }
  let parsed: CollectorOptions | 'help';
  try {
    parsed = options(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`tracelens-collector: ${(e as Error).message}\nRun with --help for the options.\n`);
    process.exit(2);
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return;
  }
  let collector;
  try {
    collector = await startCollector(parsed);
  } catch (e) {
    process.stderr.write(`tracelens-collector: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `tracelens-collector: storing spans in ${parsed.db ?? DEFAULTS.db}${parsed.tailSampling ? ' (tail sampling on)' : ''}\n` +
      `  OTLP/HTTP receiver: ${collector.otlpUrl}/v1/traces\n` +
      `  Jaeger query API:   ${collector.queryUrl}/api/services\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`tracelens-collector: ${signal}, finishing pending writes and closing\n`);
    collector.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`tracelens-collector: close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
