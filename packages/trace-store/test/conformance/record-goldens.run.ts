import { expect, it } from 'vitest';
import { jaegerBinary } from './backends.js';
import { ENCODINGS, loadCorpus, type Encoding } from './corpus.js';
import { QUERIES } from './queries.js';
import { GOLDEN_DIR, comparableQueryAnswer, diff, jaegerAnswers, writeGoldens, type Answers } from './suite.js';

/**
 * `npm run jaeger:record`: sends the corpus to the real Jaeger in both
 * encodings, asks every query, and writes Jaeger's answers (normalised, see
 * normalise.ts) into golden/. Refuses to write when the two encodings got
 * different answers, since the goldens serve both.
 */
it('records the real Jaeger answers into golden/', async () => {
  const found = await jaegerBinary();
  if ('unavailable' in found) throw new Error(`cannot record goldens without the real Jaeger: ${found.unavailable}`);
  const corpus = loadCorpus();
  const byEncoding = {} as Record<Encoding, Answers>;
  for (const encoding of ENCODINGS) {
    const started = Date.now();
    byEncoding[encoding] = await jaegerAnswers(found.binary, encoding, corpus);
    console.log(`jaeger answered ${QUERIES.length} queries on the ${encoding} corpus in ${Date.now() - started} ms`);
  }
  const mismatches = QUERIES.flatMap((query) => {
    const [json, protobuf] = ENCODINGS.map((e) => byEncoding[e].queries.get(query.name));
    if (!json || !protobuf) return [`${query.name}: no answer`];
    const d = diff(comparableQueryAnswer(query, json), comparableQueryAnswer(query, protobuf), ['json corpus', 'protobuf corpus']);
    return d ? [`${query.name}: ${d}`] : [];
  });
  expect(mismatches, 'Jaeger answered differently after the JSON and the protobuf corpus').toEqual([]);
  writeGoldens(byEncoding);
  console.log(`wrote ${QUERIES.length} query goldens and the receiver's answers to ${GOLDEN_DIR}`);
});
