import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

// There is no Docker engine on our machines, so docker-compose.yml is checked
// statically: against the Compose Specification schema (the copy dclint
// ships), against dclint's rules, and for the wiring the app depends on.
const require = createRequire(import.meta.url);
const COMPOSE_FILE = path.resolve(import.meta.dirname, '../../docker-compose.yml');
const DCLINT_DIR = path.dirname(require.resolve('dclint/package.json'));

type Compose = { services: Record<string, { image?: string; environment?: Record<string, string>; ports?: string[] }> };

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
});
