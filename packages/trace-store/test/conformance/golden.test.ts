import { isDeepStrictEqual } from 'node:util';
import { answerSchemaFor } from '@tracelens/jaeger-query/answers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENCODINGS, loadCorpus } from './corpus.js';
import { OTLP_REQUESTS, QUERIES } from './queries.js';
import {
  comparableOtlpAnswer,
  comparableQueryAnswer,
  diff,
  otlpRequestLabel,
  readGolden,
  readOtlpGolden,
  storeAnswers,
  type Answers,
} from './suite.js';
import type { Answer } from './backends.js';

/**
 * What @tracelens/jaeger-query's schema for the request finds wrong with a
 * JSON answer, and any field it does not know (it would drop it); nothing for
 * an answer that is not JSON (a plain-text 404 of an unknown path).
 */
function shapeProblems(request: string, answer: Pick<Answer, 'status' | 'layout' | 'body'>): string[] {
  if (answer.layout !== 'json' && answer.layout !== 'indented-json') return [];
  const schema = answerSchemaFor(request, answer.status);
  if (!schema) return [`no jaeger-query schema for ${request}`];
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return isDeepStrictEqual(parsed.data, answer.body) ? [] : ['fields the schema does not know (parsing drops them)'];
}

/**
 * The store against the real Jaeger's recorded answers (golden/, written by
 * `npm run jaeger:record`): the corpus in, every query out, compared with
 * the same normalisations as the live suite. Needs no Go and no Jaeger.
 */
describe.each(ENCODINGS)('the store answers as the recorded Jaeger 2.12 does, %s corpus', (encoding) => {
  let answers: Answers;
  const corpus = loadCorpus();
  beforeAll(async () => {
    answers = await storeAnswers(encoding, corpus);
  }, 120_000);

  it.each(QUERIES.map((q) => [q.name, q] as const))('%s', (name, query) => {
    const golden = readGolden(name);
    expect(golden, `no golden for ${name}: run npm run jaeger:record`).toBeDefined();
    const answer = answers.queries.get(name);
    if (!golden || !answer) throw new Error(`no answer to ${name}`);
    const d = diff(golden, comparableQueryAnswer(query, answer), ['jaeger (recorded)', 'store']);
    expect(d, `${golden.request}\n${d}`).toBeUndefined();
  });

  // The same schemas the web app, the tests and the bench read answers with,
  // on both sides: a shape drift of the store or of Jaeger fails here.
  it.each(QUERIES.map((q) => [q.name, q] as const))('%s: both answers in the shape jaeger-query reads', (name, query) => {
    const golden = readGolden(name);
    const answer = answers.queries.get(name);
    if (!golden || !answer) throw new Error(`no answer to ${name}`);
    const request = `${query.method ?? 'GET'} ${query.path}`;
    expect({ jaeger: shapeProblems(request, golden), store: shapeProblems(request, answer) }).toEqual({ jaeger: [], store: [] });
  });

  it('answers every corpus export as Jaeger did', () => {
    const golden = readOtlpGolden();
    expect(golden, 'no golden/_otlp-receiver.json: run npm run jaeger:record').toBeDefined();
    const problems = corpus.flatMap((entry) => {
      const recorded = golden?.corpus[encoding][entry.name];
      const answer = answers.corpus.get(entry.name);
      if (!recorded || !answer) return [`${entry.name}: ${recorded ? 'no answer' : 'not recorded: run npm run jaeger:record'}`];
      const d = diff(recorded, comparableOtlpAnswer(recorded.request, answer), ['jaeger (recorded)', 'store']);
      return d ? [`${entry.name}: ${d}`] : [];
    });
    expect(problems.join('\n\n'), 'receiver answers').toBe('');
  });

  it.each(OTLP_REQUESTS.map((r) => [r.name] as const))('answers the OTLP request %s as Jaeger did', (name) => {
    const recorded = readOtlpGolden()?.requests[name];
    const answer = answers.otlp.get(name);
    if (!recorded || !answer) throw new Error(`${name}: ${recorded ? 'no answer' : 'not recorded: run npm run jaeger:record'}`);
    const d = diff(recorded, comparableOtlpAnswer(otlpRequestLabel(name), answer), ['jaeger (recorded)', 'store']);
    expect(d, `${recorded.request}\n${d}`).toBeUndefined();
  });
});
