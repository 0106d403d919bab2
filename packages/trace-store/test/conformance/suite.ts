import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ask, ingest, sendOtlp, startJaegerBackend, startStore, type Answer, type Backend } from './backends.js';
import { report } from './compare.js';
import { CONFORMANCE_DIR, loadCorpus, type CorpusEntry, type Encoding } from './corpus.js';
import { normalise } from './normalise.js';
import { OTLP_REQUESTS, QUERIES, type Query } from './queries.js';

/**
 * One run of the conformance suite against one backend: the corpus in, every
 * query out, then the hand-written OTLP requests. Shared by the live
 * comparison, the golden test and the golden recorder.
 */
export interface Answers {
  /** The receiver's answer to each corpus request, by corpus name. */
  corpus: Map<string, Answer>;
  /** The query API's answer to each query, by query name. */
  queries: Map<string, Answer>;
  /** The receiver's answer to each hand-written request, by name. */
  otlp: Map<string, Answer>;
}

export const GOLDEN_DIR = path.join(CONFORMANCE_DIR, 'golden');

function corpusText(corpus: readonly CorpusEntry[]) {
  return (name: string): string => {
    const entry = corpus.find((c) => c.name === name);
    if (!entry) throw new Error(`query body names corpus file ${name}, which does not exist`);
    return entry.text;
  };
}

async function askAll(backend: Backend, queries: readonly Query[], corpus: readonly CorpusEntry[], into: Map<string, Answer>): Promise<void> {
  for (const query of queries) into.set(query.name, await ask(backend, query, corpusText(corpus)));
}

async function sendHandWritten(backend: Backend): Promise<Map<string, Answer>> {
  const out = new Map<string, Answer>();
  for (const request of OTLP_REQUESTS) out.set(request.name, await sendOtlp(backend, request));
  return out;
}

/** The store's answers: one in-memory store for the whole run (it changes nothing it stores on reads). */
export async function storeAnswers(encoding: Encoding, corpus = loadCorpus()): Promise<Answers> {
  const store = await startStore();
  try {
    const answers: Answers = { corpus: await ingest(store, corpus, encoding), queries: new Map(), otlp: new Map() };
    await askAll(store, QUERIES, corpus, answers.queries);
    answers.otlp = await sendHandWritten(store);
    return answers;
  } finally {
    await store.close();
  }
}

/**
 * The real Jaeger's answers. Queries that make Jaeger 2.12 rewrite the trace
 * in its memory storage (see Query.mutatesJaeger) each get a Jaeger of their
 * own with the corpus sent again, so no answer depends on which query ran
 * before it. Old instances shut down in the background (Jaeger takes seconds).
 */
export async function jaegerAnswers(binary: string, encoding: Encoding, corpus = loadCorpus()): Promise<Answers> {
  const closing: Promise<void>[] = [];
  let instance = 0;
  const fresh = async (): Promise<{ backend: Backend; corpusAnswers: Map<string, Answer> }> => {
    const backend = await startJaegerBackend(binary, `jaeger-${encoding}-${instance++}`);
    try {
      return { backend, corpusAnswers: await ingest(backend, corpus, encoding) };
    } catch (e) {
      closing.push(backend.close());
      throw e;
    }
  };
  try {
    const { backend, corpusAnswers } = await fresh();
    const answers: Answers = { corpus: corpusAnswers, queries: new Map(), otlp: new Map() };
    try {
      await askAll(backend, QUERIES.filter((q) => !q.mutatesJaeger), corpus, answers.queries);
      answers.otlp = await sendHandWritten(backend);
    } finally {
      closing.push(backend.close());
    }
    for (const query of QUERIES.filter((q) => q.mutatesJaeger)) {
      const one = await fresh();
      try {
        await askAll(one.backend, [query], corpus, answers.queries);
      } finally {
        closing.push(one.backend.close());
      }
    }
    return answers;
  } finally {
    await Promise.all(closing);
  }
}

export interface Comparable {
  request: string;
  status: number;
  contentType: string;
  layout: Answer['layout'];
  body: unknown;
}

/** An answer to a query in the form goldens keep and comparisons read: normalised, with its request. */
export function comparableQueryAnswer(query: Query, answer: Answer): Comparable {
  const method = query.method ?? 'GET';
  const { answer: normalised } = normalise(answer, { api: 'query', method, path: query.path });
  return { request: `${method} ${query.path}`, ...normalised };
}

export function comparableOtlpAnswer(request: string, answer: Answer): Comparable {
  const [method = 'POST', path = '/v1/traces'] = request.split(' ');
  const { answer: normalised } = normalise(answer, { api: 'otlp', method, path });
  return { request, ...normalised };
}

/** Names of the normalisations that apply to a query's answer, for failure messages. */
export function normalisationsFor(query: Query, answer: Answer): string[] {
  return normalise(answer, { api: 'query', method: query.method ?? 'GET', path: query.path }).applied;
}

export function diff(left: Comparable, right: Comparable, names: [string, string]): string | undefined {
  return report(left, right, names);
}

// ---- golden files ----

/** Recorded answers of the receiver: one per corpus request and encoding, one per hand-written request. */
export interface OtlpGolden {
  corpus: Record<Encoding, Record<string, Comparable>>;
  requests: Record<string, Comparable>;
}

const OTLP_GOLDEN = path.join(GOLDEN_DIR, '_otlp-receiver');
/**
 * Goldens larger than this are kept gzipped (`<name>.json.gz`, read them
 * with zcat): the 5,000-span trace is megabytes of JSON, a few hundred
 * kilobytes compressed. The others are indented so a re-record reads as a diff.
 */
const GZIP_ABOVE_BYTES = 256 * 1024;

function writeJson(base: string, value: unknown): void {
  const indented = `${JSON.stringify(value, null, 2)}\n`;
  if (indented.length > GZIP_ABOVE_BYTES) fs.writeFileSync(`${base}.json.gz`, zlib.gzipSync(`${JSON.stringify(value)}\n`, { level: 9 }));
  else fs.writeFileSync(`${base}.json`, indented);
}

const goldenBase = (queryName: string): string => path.join(GOLDEN_DIR, queryName);

export function readGolden(queryName: string): Comparable | undefined {
  const base = goldenBase(queryName);
  if (fs.existsSync(`${base}.json`)) return JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as Comparable;
  if (fs.existsSync(`${base}.json.gz`)) return JSON.parse(zlib.gunzipSync(fs.readFileSync(`${base}.json.gz`)).toString('utf8')) as Comparable;
  return undefined;
}

export function readOtlpGolden(): OtlpGolden | undefined {
  const file = `${OTLP_GOLDEN}.json`;
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as OtlpGolden) : undefined;
}

export const otlpRequestLabel = (name: string): string => {
  const r = OTLP_REQUESTS.find((x) => x.name === name);
  return `${r?.method ?? 'POST'} ${r?.path ?? '/v1/traces'} (${name})`;
};

/** Replaces golden/ with these answers. */
export function writeGoldens(byEncoding: Record<Encoding, Answers>): void {
  fs.rmSync(GOLDEN_DIR, { recursive: true, force: true });
  fs.mkdirSync(GOLDEN_DIR, { recursive: true });
  const json = byEncoding.json;
  for (const query of QUERIES) {
    const answer = json.queries.get(query.name);
    if (!answer) throw new Error(`no answer recorded for ${query.name}`);
    writeJson(goldenBase(query.name), comparableQueryAnswer(query, answer));
  }
  const corpusOf = (a: Answers) => Object.fromEntries([...a.corpus].map(([name, ans]) => [name, comparableOtlpAnswer(`POST /v1/traces (${name})`, ans)]));
  const golden: OtlpGolden = {
    corpus: { json: corpusOf(byEncoding.json), protobuf: corpusOf(byEncoding.protobuf) },
    requests: Object.fromEntries([...json.otlp].map(([name, ans]) => [name, comparableOtlpAnswer(otlpRequestLabel(name), ans)])),
  };
  writeJson(OTLP_GOLDEN, golden);
}
