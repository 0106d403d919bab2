import fs from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { CORPUS_DIR, corpusFiles } from './corpus.js';
import { syntheticCorpus } from './synthetic.js';

/**
 * `npm run conformance:write-synthetic`: rewrites corpus/syn-*.json from
 * synthetic.ts (the files are what the suites read; corpus.test.ts fails
 * while they differ from the generator). Recorded app-*.json files are left
 * alone. Run through vitest only because it is this package's TypeScript
 * runner.
 */
it('writes the synthetic corpus files', () => {
  for (const file of corpusFiles().filter((f) => f.startsWith('syn-'))) fs.rmSync(path.join(CORPUS_DIR, file));
  for (const { name, body } of syntheticCorpus()) {
    fs.writeFileSync(path.join(CORPUS_DIR, `${name}.json`), `${JSON.stringify(body)}\n`);
  }
  console.log(`wrote ${syntheticCorpus().length} synthetic requests to ${CORPUS_DIR}`);
});
