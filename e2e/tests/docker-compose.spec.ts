import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { CONFIG_FILE, JAEGER_VERSION } from '@tracelens/jaeger';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

// There is no Docker engine on our machines, so docker-compose.yml is checked
// statically: against the Compose Specification schema (the copy dclint
// ships), against dclint's rules, and for the wiring the app depends on.
const require = createRequire(import.meta.url);
const COMPOSE_FILE = path.resolve(import.meta.dirname, '../../docker-compose.yml');
const DCLINT_DIR = path.dirname(require.resolve('dclint/package.json'));

interface ComposeService {
  image?: string;
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
}
type Compose = { services: Record<string, ComposeService> };

function schemaErrors(document: unknown): string[] {
  const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(path.join(DCLINT_DIR, 'schemas/compose.schema.json'), 'utf8'));
  // The file names draft-07 by an https URL Ajv does not know; Ajv's default dialect is draft-07.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

test.describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(COMPOSE_FILE, 'utf8')) as Compose;

  test('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  test('the schema check catches a broken file', () => {
    const broken = structuredClone(compose) as unknown as { services: { web: Record<string, unknown> } };
    broken.services.web.ports = 3000;
    broken.services.web.restart_policy = 'always';
    expect(schemaErrors(broken)).toEqual(
      expect.arrayContaining(['/services/web/ports must be array', '/services/web must NOT have additional properties']),
    );
  });

  test('passes dclint', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(DCLINT_DIR, 'bin/dclint.cjs'), COMPOSE_FILE]).catch(
      (e: { stdout: string; stderr: string }) => ({ stdout: `dclint failed\n${e.stdout}`, stderr: e.stderr }),
    );
    expect(`${stdout}${stderr}`.trim()).toBe('');
  });

  test('points both apps at Jaeger v2 and exposes its default ports', () => {
    const { jaeger, web, 'data-processor': dataProcessor } = compose.services;
    expect(jaeger?.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(jaeger?.ports).toEqual(expect.arrayContaining(['127.0.0.1:4318:4318', '127.0.0.1:16686:16686']));
    expect(web?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    expect(dataProcessor?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    expect(web?.environment?.DATA_PROCESSOR_URL).toBe(`http://data-processor:${dataProcessor?.environment?.DATA_PROCESSOR_PORT}`);
    expect(web?.environment?.TRACE_QUERY_URL).toBe('http://jaeger:16686');
  });

  test('runs the Jaeger the tests run, with the one Jaeger configuration mounted', () => {
    const { jaeger } = compose.services;
    expect(jaeger?.image).toBe(`jaegertracing/jaeger:${JAEGER_VERSION}`);
    const mount = jaeger?.volumes?.map((v) => v.split(':')).find(([source]) => source !== undefined && path.resolve(path.dirname(COMPOSE_FILE), source) === CONFIG_FILE);
    expect(mount, `a volume mounting ${CONFIG_FILE}: ${JSON.stringify(jaeger?.volumes)}`).toBeDefined();
    const [, target, mode] = mount as string[];
    expect(jaeger?.command).toEqual(['--config', `file:${target}`]);
    expect(mode).toBe('ro');
    // The config binds 127.0.0.1 unless told otherwise: inside the container that would hide it from the published ports.
    expect(jaeger?.environment?.JAEGER_LISTEN_HOST).toBe('0.0.0.0');
  });

  test('checks Jaeger\'s health with the image\'s busybox wget on the config\'s health endpoint, and the apps wait for it', () => {
    const { jaeger, web, 'data-processor': dataProcessor } = compose.services;
    const config = fs.readFileSync(CONFIG_FILE, 'utf8');
    const healthPort = /healthcheckv2:[\s\S]*?endpoint: "\$\{env:JAEGER_LISTEN_HOST:-[^}]+\}:\$\{env:JAEGER_HEALTH_PORT:-(\d+)\}"/.exec(config)?.[1];
    expect(healthPort, 'the health port in tools/jaeger/config.yaml').toBe('13133');
    expect(jaeger?.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '--spider', `http://127.0.0.1:${healthPort}/status`]);
    expect(dataProcessor?.depends_on?.jaeger?.condition).toBe('service_healthy');
    expect(web?.depends_on?.jaeger?.condition).toBe('service_healthy');
    expect(web?.depends_on?.['data-processor']?.condition).toBe('service_healthy');
  });
});
