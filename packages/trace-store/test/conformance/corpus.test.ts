import { describe, expect, it } from 'vitest';
import { decodeJsonTraces } from '../../src/otlp/decode-json.js';
import { decodeProtobufTraces } from '../../src/otlp/decode-protobuf.js';
import { corpusFiles, jsonToProtobuf, loadCorpus } from './corpus.js';
import { syntheticCorpus } from './synthetic.js';

describe('the conformance corpus', () => {
  const corpus = loadCorpus();

  it('holds the synthetic requests exactly as synthetic.ts makes them (else: npm run conformance:write-synthetic)', () => {
    const files = Object.fromEntries(corpus.filter((e) => e.name.startsWith('syn-')).map((e) => [e.name, e.text]));
    const generated = Object.fromEntries(syntheticCorpus().map(({ name, body }) => [name, `${JSON.stringify(body)}\n`]));
    expect(Object.keys(files).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated)) expect(files[name], name).toBe(text);
  });

  it('holds recorded app traffic (else: npm run conformance:record-corpus)', () => {
    expect(corpusFiles().filter((f) => f.startsWith('app-')).length).toBeGreaterThan(0);
  });

  it.each(corpus.map((e) => [e.name, e] as const))('%s carries the same spans in JSON and in the protobuf encoded from it', (_name, entry) => {
    expect(decodeProtobufTraces(jsonToProtobuf(entry.text))).toEqual(decodeJsonTraces(entry.text));
  });
});
