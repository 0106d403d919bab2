#!/usr/bin/env node
// `npm test` for the e2e workspace: the whole Playwright suite on the
// embedded store and, where the pinned real Jaeger can be built (Go), on
// Jaeger too. Without Go it runs the embedded half and its last line says
// the Jaeger half was skipped and why; with TRACELENS_REQUIRE_JAEGER=1 (CI)
// an unavailable Jaeger fails the run instead. Arguments go to Playwright;
// with a --project of your own, that choice stands.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { JaegerUnavailableError, ensureJaegerBinary } from '@tracelens/jaeger';
import { readE2eEnv } from './env.mjs';

const args = process.argv.slice(2);
const required = readE2eEnv().requireJaeger;
let skipped;
if (!args.some((a) => a === '--project' || a.startsWith('--project='))) {
  try {
    // Returns at once when built; the first build takes minutes and reports progress.
    await ensureJaegerBinary({ log: (line) => console.log(`jaeger: ${line}`) });
    args.push('--project=static', '--project=embedded', '--project=jaeger');
  } catch (e) {
    if (!(e instanceof JaegerUnavailableError)) throw e;
    if (required) {
      console.error(`e2e: TRACELENS_REQUIRE_JAEGER=1 and the real Jaeger is unavailable: ${e.message}`);
      process.exit(1);
    }
    skipped = e.message;
    args.push('--project=static', '--project=embedded');
  }
}

const playwright = createRequire(import.meta.url).resolve('@playwright/test/cli');
const child = spawn(process.execPath, [playwright, 'test', ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.once('exit', (code, signal) => {
  if (skipped !== undefined) console.log(`\nJaeger half skipped: ${skipped}`);
  process.exit(code ?? (signal ? 1 : 0));
});
