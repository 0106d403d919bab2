import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageDir } from './services.js';
import { inheritedEnv } from './env.js';

/*
 * `npm start` sets ports, URLs and OTEL_* for the services; the builds must
 * not depend on them, or the next `npm test` or `npm run bench` rebuilds
 * everything (and rewrites apps/web/.next under a running `next start`).
 * turbo's dry run gives each build task's hash without building.
 */

const TURBO = path.join(packageDir('turbo'), 'bin', 'turbo');
const BUILDS = ['@tracelens/collector', '@tracelens/data-processor', '@tracelens/web'];

/** A clean environment: PATH and HOME only, plus `extra`. */
async function buildHashes(extra: Record<string, string>): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [TURBO, 'run', 'build', ...BUILDS.map((b) => `--filter=${b}`), '--dry=json'],
    {
      cwd: packageDir('@tracelens/stack'),
      env: { PATH: inheritedEnv().PATH ?? '', HOME: inheritedEnv().HOME ?? '', TURBO_TELEMETRY_DISABLED: '1', ...extra },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const { tasks } = JSON.parse(stdout) as { tasks: { taskId: string; hash: string }[] };
  return Object.fromEntries(tasks.map((t) => [t.taskId, t.hash]));
}

describe('build cache keys', () => {
  it('do not change with what npm start sets at run time', async () => {
    const plain = await buildHashes({});
    expect(Object.keys(plain)).toEqual(expect.arrayContaining(BUILDS.map((b) => `${b}#build`)));
    const asLaunched = await buildHashes({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      TRACE_QUERY_URL: 'http://127.0.0.1:16686',
      DATA_PROCESSOR_URL: 'http://127.0.0.1:3001',
      WEB_PORT: '3000',
      WEB_HOST: '127.0.0.1',
      DATA_PROCESSOR_PORT: '3001',
      COLLECTOR_OTLP_PORT: '4318',
      COLLECTOR_QUERY_PORT: '16686',
      TRACELENS_BACKEND: 'jaeger',
      JAEGER_HEALTH_PORT: '13133',
    });
    expect(asLaunched).toEqual(plain);
  });

  it('do change with what decides the build (the check can see a difference)', async () => {
    const plain = await buildHashes({});
    const untraced = await buildHashes({ TRACELENS_BROWSER_TRACING: 'off' });
    expect(untraced['@tracelens/web#build']).not.toBe(plain['@tracelens/web#build']);
    const standalone = await buildHashes({ TRACELENS_NEXT_OUTPUT: 'standalone' });
    expect(standalone['@tracelens/web#build']).not.toBe(plain['@tracelens/web#build']);
  });
});
