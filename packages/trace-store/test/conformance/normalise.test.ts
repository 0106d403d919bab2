import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer } from './backends.js';
import { CONFORMANCE_DIR } from './corpus.js';
import { NORMALISATIONS, normalise } from './normalise.js';

const answer = (body: unknown, status = 200): Answer => ({ status, contentType: 'application/json', layout: 'json', body });

describe('the normalisations', () => {
  it('are each a line of the README table "Differences from Jaeger"', () => {
    const readme = fs.readFileSync(path.join(CONFORMANCE_DIR, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Differences from Jaeger'));
    for (const n of NORMALISATIONS) expect(table, n.name).toContain(`| \`${n.name}\` |`);
  });

  it('sort the spans of an adjusted v1 trace and renumber its processes, leaving raw reads alone', () => {
    const trace = {
      traceID: 't',
      spans: [
        { spanID: 'b', processID: 'p1' },
        { spanID: 'a', processID: 'p2' },
      ],
      processes: { p1: { serviceName: 'one', tags: [] }, p2: { serviceName: 'two', tags: [] } },
      warnings: null,
    };
    const adjusted = normalise(answer({ data: [trace] }), { api: 'query', method: 'GET', path: '/api/traces/t' });
    expect(adjusted.applied).toEqual(['v1-span-order']);
    expect(adjusted.answer.body).toEqual({
      data: [
        {
          traceID: 't',
          spans: [
            { spanID: 'a', processID: 'p1' },
            { spanID: 'b', processID: 'p2' },
          ],
          processes: { p1: { serviceName: 'two', tags: [] }, p2: { serviceName: 'one', tags: [] } },
          warnings: null,
        },
      ],
    });
    expect(normalise(answer({ data: [trace] }), { api: 'query', method: 'GET', path: '/api/traces/t?raw=true' }).applied).toEqual([]);
  });

  it('leave errors and the order of traces asked for by id alone', () => {
    expect(normalise(answer({ data: null }, 400), { api: 'query', method: 'GET', path: '/api/services' }).applied).toEqual([]);
    expect(normalise(answer({ data: [] }), { api: 'query', method: 'GET', path: '/api/traces?traceID=a&traceID=b' }).applied).toEqual(['v1-span-order']);
  });
});
