import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JaegerUnavailableError, ensureJaegerBinary, startJaeger } from '@tracelens/jaeger';
import { startCollector } from '../../src/index.js';
import { decodeOtlpAnswer, encode, type CorpusEntry, type Encoding } from './corpus.js';
import type { OtlpRequest, Query } from './queries.js';

/**
 * The two backends the suite talks to over HTTP only, as any client would:
 * the embedded store (in this process, in-memory database) and the pinned
 * real Jaeger (a child process, memory storage).
 */
export interface Backend {
  readonly kind: 'store' | 'jaeger';
  readonly otlpUrl: string;
  readonly queryUrl: string;
  close(): Promise<void>;
}

/**
 * An HTTP answer reduced to what is compared: status, media type, body.
 * `layout` says how the body was written (`indented` is Go's
 * MarshalIndent with four spaces, asked for by `prettyPrint`); JSON bodies
 * are compared parsed, other bodies as text, protobuf bodies decoded.
 */
export interface Answer {
  status: number;
  contentType: string;
  layout: 'json' | 'indented-json' | 'text' | 'protobuf' | 'empty';
  body: unknown;
}

/** A fixed "now" for the store, long after the corpus: 2030-01-01T00:00:00Z, in microseconds. */
export const STORE_NOW_US = Date.UTC(2030, 0, 1) * 1000;

export async function startStore(): Promise<Backend> {
  // The real clock would do as every query names its window; a fixed one
  // makes a forgotten window fail the same way on every run.
  const collector = await startCollector({ otlpPort: 0, queryPort: 0, db: ':memory:', retentionMs: 0, maxSpans: 0 });
  return { kind: 'store', otlpUrl: collector.otlpUrl, queryUrl: collector.queryUrl, close: () => collector.close() };
}

/** The pinned Jaeger binary, or why there is none (Go missing or too old, build failed). */
export async function jaegerBinary(): Promise<{ binary: string } | { unavailable: string }> {
  try {
    return { binary: await ensureJaegerBinary({ log: (line) => console.log(`jaeger: ${line}`) }) };
  } catch (e) {
    if (e instanceof JaegerUnavailableError) return { unavailable: e.message };
    throw e;
  }
}

export async function startJaegerBackend(binary: string, logName: string): Promise<Backend> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-conformance-'));
  const logFile = path.join(logDir, `${logName}.log`);
  const jaeger = await startJaeger({ binary, logFile });
  return {
    kind: 'jaeger',
    otlpUrl: jaeger.otlpUrl,
    queryUrl: jaeger.queryUrl,
    close: async () => {
      await jaeger.close();
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  };
}

async function answerOf(res: Response): Promise<Answer> {
  const contentType = res.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length === 0) return { status: res.status, contentType, layout: 'empty', body: null };
  if (contentType.startsWith('application/x-protobuf')) {
    return { status: res.status, contentType, layout: 'protobuf', body: decodeOtlpAnswer(res.status, bytes) };
  }
  const text = new TextDecoder().decode(bytes);
  try {
    const body: unknown = JSON.parse(text);
    // Go's MarshalIndent (prettyPrint) starts every member on a line of its own, four spaces in.
    const layout = /^[[{]\n {4}\S/.test(text) ? 'indented-json' : 'json';
    return { status: res.status, contentType, layout, body };
  } catch {
    return { status: res.status, contentType, layout: 'text', body: text };
  }
}

/** Sends one corpus request to /v1/traces. */
export async function send(backend: Backend, entry: CorpusEntry, encoding: Encoding): Promise<Answer> {
  const { contentType, body } = encode(entry, encoding);
  const res = await fetch(`${backend.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return answerOf(res);
}

/** Sends the whole corpus, in order, and fails on the first request not answered 200. */
export async function ingest(backend: Backend, corpus: readonly CorpusEntry[], encoding: Encoding): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const entry of corpus) {
    const answer = await send(backend, entry, encoding);
    if (answer.status !== 200) {
      throw new Error(`${backend.kind} answered ${entry.name} (${encoding}) with ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    answers.set(entry.name, answer);
  }
  return answers;
}

/** Sends one hand-written OTLP request (malformed bodies, odd methods) to the receiver. */
export async function sendOtlp(backend: Backend, request: OtlpRequest): Promise<Answer> {
  const res = await fetch(`${backend.otlpUrl}${request.path ?? '/v1/traces'}`, {
    method: request.method ?? 'POST',
    headers: request.contentType ? { 'Content-Type': request.contentType } : {},
    body: request.method === 'GET' ? undefined : request.body,
  });
  return answerOf(res);
}

export async function ask(backend: Backend, query: Query, corpusText: (name: string) => string): Promise<Answer> {
  const init: RequestInit = { method: query.method ?? 'GET' };
  if (query.bodyFromCorpus) init.body = corpusText(query.bodyFromCorpus);
  const res = await fetch(`${backend.queryUrl}${query.path}`, init);
  return answerOf(res);
}
