import { describeSpans, type InMemoryTracing } from '@tracelens/trace-testing/in-memory';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWebEnv } from '@/env';
import { closedPortUrl, sendJson, startStubServer, type StubServer } from '@/test/http-stub';
import { startTestTracing } from '@/test/tracing';
import { otlpRelayRoute } from './otlp-relay';

type Relay = ReturnType<typeof otlpRelayRoute>;

const MAX_BYTES = 1024;
/**
 * The relay's deadline: long enough that a first connection on a busy
 * machine never meets it, so only the test that makes the collector hang
 * sees a 504 (it builds its relay with HANG_TIMEOUT_MS).
 */
const TIMEOUT_MS = 10_000;
const HANG_TIMEOUT_MS = 300;
/** A full success, as OTLP/JSON allows it: partialSuccess present but empty. */
const COLLECTOR_ANSWER = { partialSuccess: {} };
const PARTIAL_ANSWER = { partialSuccess: { rejectedSpans: 1, errorMessage: 'span 0: invalid span id' } };

let collector: StubServer;
let tracing: InMemoryTracing;
/** When set, the stub collector leaves requests unanswered. */
let collectorHangs = false;

beforeAll(async () => {
  collector = await startStubServer((request, response) => {
    if (collectorHangs) {
      return;
    }
    if (request.path === '/v1/traces' && request.method === 'POST') {
      sendJson(response, 200, request.body.toString('utf8').includes('"rejectMe"') ? PARTIAL_ANSWER : COLLECTOR_ANSWER);
    } else {
      sendJson(response, 404, { error: 'not found' });
    }
  });
  // The app's own fetch settings: the relay's post to the collector must be ignored.
  tracing = startTestTracing({ dataProcessorUrl: 'http://127.0.0.1:9', otlpTracesUrl: `${collector.url}/v1/traces` });
});

afterAll(async () => {
  await tracing.stop();
  await collector.close();
});

beforeEach(async () => {
  await tracing.reset();
  collector.reset();
  collectorHangs = false;
});

/** The relay as the app builds it from an environment with these variables. */
function relayWith(vars: Record<string, string>): Relay {
  return otlpRelayRoute(
    parseWebEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTLP_RELAY_MAX_BYTES: String(MAX_BYTES), OTLP_RELAY_TIMEOUT_MS: String(TIMEOUT_MS), ...vars }),
  );
}

function post(body: BodyInit | null, headers: Record<string, string>): Request {
  return new Request('http://web.test/api/otlp/v1/traces', { method: 'POST', body, headers });
}

/** A body that arrives in chunks with no Content-Length, as a chunked upload would. */
function streamedPost(chunks: readonly Uint8Array[], headers: Record<string, string>): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(chunk);
      }
      controller.close();
    },
  });
  // `duplex` is required by Node's fetch for stream bodies and missing from the DOM typings.
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', body, headers, duplex: 'half' };
  return new Request('http://web.test/api/otlp/v1/traces', init);
}

describe('POST /api/otlp/v1/traces', () => {
  let relay: Relay;

  beforeAll(() => {
    relay = relayWith({});
  });

  it('forwards a JSON export byte for byte and, when all of it was stored, answers 204 with no body, without tracing itself', async () => {
    const payload = JSON.stringify({ resourceSpans: [] });
    const response = await relay(post(payload, { 'content-type': 'application/json; charset=utf-8' }));

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(collector.received).toHaveLength(1);
    const forwarded = collector.received[0];
    expect(forwarded?.path).toBe('/v1/traces');
    expect(forwarded?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(forwarded?.body.toString('utf8')).toBe(payload);
    expect(forwarded?.headers['traceparent']).toBeUndefined();
    expect(tracing.exporter.getFinishedSpans(), describeSpans(tracing.exporter.getFinishedSpans())).toEqual([]);
  });

  it('passes a partial success through as the collector answered it', async () => {
    const response = await relay(post(JSON.stringify({ resourceSpans: [], rejectMe: true }), { 'content-type': 'application/json' }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(PARTIAL_ANSWER);
  });

  it('forwards a protobuf export, the collector URL taken from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', async () => {
    const direct = relayWith({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces` });
    const payload = new Uint8Array([0x0a, 0x00, 0xff]);
    const response = await direct(post(payload, { 'content-type': 'application/x-protobuf' }));

    expect(response.status).toBe(200);
    expect(collector.received[0]?.headers['content-type']).toBe('application/x-protobuf');
    expect([...(collector.received[0]?.body ?? [])]).toEqual([...payload]);
  });

  it('passes the collector status through when it refuses the export', async () => {
    const elsewhere = relayWith({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/nowhere` });
    const response = await elsewhere(post('{}', { 'content-type': 'application/json' }));

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found' });
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['no content type', {}],
  ])('answers 415 for %s without calling the collector', async (_case, headers: Record<string, string>) => {
    // A byte body, since a string body would get text/plain from the Request itself.
    const response = await relay(post(new TextEncoder().encode('{}'), headers));

    expect(response.status).toBe(415);
    expect(response.headers.get('accept-post')).toBe('application/json, application/x-protobuf');
    expect(collector.received).toEqual([]);
  });

  it('answers 413 from Content-Length alone, before reading the body', async () => {
    const response = await relay(post('{}', { 'content-type': 'application/json', 'content-length': String(MAX_BYTES + 1) }));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: `OTLP body larger than ${MAX_BYTES} bytes` });
    expect(collector.received).toEqual([]);
  });

  it('answers 413 by counting bytes when there is no Content-Length', async () => {
    const half = new Uint8Array(MAX_BYTES / 2 + 1);
    const response = await relay(streamedPost([half, half], { 'content-type': 'application/json' }));

    expect(response.status).toBe(413);
    expect(collector.received).toEqual([]);
  });

  it('accepts a body of exactly the limit', async () => {
    const response = await relay(post(new Uint8Array(MAX_BYTES), { 'content-type': 'application/x-protobuf' }));

    expect(response.status).toBe(200);
    expect(collector.received[0]?.body.byteLength).toBe(MAX_BYTES);
  });

  // A 502, not the 504 the relay's deadline would give: it did not wait for it.
  it('answers 502 at once when nothing listens at the collector endpoint', async () => {
    const closed = relayWith({ OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl() });
    const response = await closed(post('{}', { 'content-type': 'application/json' }));

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'collector unreachable' });
  });

  it('answers 504 when the collector does not answer in time', async () => {
    collectorHangs = true;
    const impatient = relayWith({ OTLP_RELAY_TIMEOUT_MS: String(HANG_TIMEOUT_MS) });
    const response = await impatient(post('{}', { 'content-type': 'application/json' }));

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: `collector did not answer within ${HANG_TIMEOUT_MS} ms` });
  });
});
