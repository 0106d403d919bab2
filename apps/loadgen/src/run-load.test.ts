import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTraceId, runLoad } from './run-load.js';
import { formatSummary, servicesWindow, summarize } from './summary.js';

/**
 * A real HTTP server standing in for the web app: every 5th request fails
 * with 502, the rest answer with a traceresponse header; it counts what it got.
 */
describe('runLoad against a real server', () => {
  let server: http.Server;
  let url: string;
  let received = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      received++;
      const n = received;
      const traceId = n.toString(16).padStart(32, '0');
      setTimeout(() => {
        res.writeHead(n % 5 === 0 ? 502 : 200, {
          'content-type': 'application/json',
          traceresponse: `00-${traceId}-${'1'.repeat(16)}-01`,
        });
        res.end(JSON.stringify({ n }));
      }, 5);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/process/alice`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends what it planned and its summary matches what the server received', async () => {
    const progress: number[] = [];
    // As many open requests allowed as planned: a busy machine (other test
    // suites side by side) can hold answers back, and nothing may be skipped here.
    const run = await runLoad({ url, rate: 40, durationMs: 2000, concurrency: 80, timeoutMs: 5000 }, (p) => progress.push(p.done));
    const summary = summarize(run, 3);
    expect(received).toBe(80);
    expect(summary.sent).toBe(80);
    expect(summary.skipped).toBe(0);
    expect(summary.errors).toBe(16);
    expect(summary.errorsByStatus).toEqual({ '502': 16 });
    expect(summary.ok).toBe(64);
    expect(progress.at(-1)).toBe(80);
    // The slowest, slowest first, each with the trace id its answer named.
    expect(summary.slowest).toHaveLength(3);
    const latencies = summary.slowest.map((r) => r.latencyMs);
    expect(latencies).toEqual([...latencies].sort((x, y) => y - x));
    for (const r of summary.slowest) expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(summary.latencyMs.max).toBeGreaterThanOrEqual(summary.latencyMs.p50);
    const text = formatSummary('process', summary, (id) => `http://app/traces/${id}`);
    expect(text).toMatch(/^process: 80 requests \([\d.]+\/s\), 64 ok, 16 errors \(502 x16\)/);
    expect(text).toContain(`http://app/traces/${summary.slowest[0]?.traceId}`);
    expect(text).not.toContain('per operation');
    expect(formatSummary('process', summary, (id) => id, 'http://app/services?window=5m')).toMatch(
      /\nper operation \(rate, errors, p50\/p95\/p99\): http:\/\/app\/services\?window=5m$/,
    );
  });

  it('links a run to the /services window that holds it', () => {
    expect(servicesWindow(10_000)).toBe('5m');
    expect(servicesWindow(4 * 60_000 + 1)).toBe('15m');
    expect(servicesWindow(2 * 3600_000)).toBe('6h');
    expect(servicesWindow(7 * 3600_000)).toBe('24h');
  });

  it('counts requests skipped at the concurrency limit instead of queueing them', async () => {
    received = 0;
    const run = await runLoad({ url, rate: 200, durationMs: 250, concurrency: 1, timeoutMs: 5000 });
    const summary = summarize(run);
    expect(summary.sent + summary.skipped).toBe(50);
    expect(summary.skipped).toBeGreaterThan(0);
    expect(received).toBe(summary.sent);
  });

  it('reports a refused connection as an error without an answer', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runLoad({ url: `http://127.0.0.1:${port}/`, rate: 10, durationMs: 300, concurrency: 5, timeoutMs: 1000 });
    const summary = summarize(run);
    expect(summary.errorsByStatus).toEqual({ '0': 3 });
    expect(run.results[0]?.error).toMatch(/ECONNREFUSED/);
  });
});

describe('answerTraceId', () => {
  it('prefers the traceresponse header and falls back to the JSON body', () => {
    const id = 'a'.repeat(32);
    expect(answerTraceId(new Headers({ traceresponse: `00-${id}-${'b'.repeat(16)}-01` }), '{}')).toBe(id);
    expect(answerTraceId(new Headers(), JSON.stringify({ traceId: id }))).toBe(id);
    expect(answerTraceId(new Headers(), JSON.stringify({ traceId: id.toUpperCase() }))).toBe(id);
    expect(answerTraceId(new Headers(), JSON.stringify({ traceId: 'not a trace id' }))).toBeUndefined();
    expect(answerTraceId(new Headers({ traceresponse: 'garbage' }), 'not json')).toBeUndefined();
  });
});
