import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../src/index.js';
import { memoryCollector, otlpRequest, otlpSpan, postJson } from './helpers.js';

describe('CORS for browser exporters', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await memoryCollector({ corsOrigins: ['http://localhost:*', 'https://app.example.com'] });
  });
  afterAll(() => collector.close());

  const preflight = (origin: string) =>
    fetch(`${collector.otlpUrl}/v1/traces`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });

  it('answers the preflight of an allowed origin', async () => {
    const res = await preflight('http://localhost:3000');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    expect((await preflight('https://app.example.com')).status).toBe(204);
  });

  it('refuses the preflight of any other origin', async () => {
    for (const origin of ['https://evil.example.com', 'http://localhost.evil.com:3000', 'http://localhost:3000x']) {
      const res = await preflight(origin);
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('sets Access-Control-Allow-Origin on the export answer', async () => {
    const res = await postJson(collector, otlpRequest('web', [otlpSpan()]), { Origin: 'http://localhost:5173' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('answers /health on both listeners', async () => {
    expect((await fetch(`${collector.otlpUrl}/health`)).status).toBe(200);
    expect((await fetch(`${collector.queryUrl}/health`)).status).toBe(200);
  });
});
