import { JAEGER_VERSION, JaegerUnavailableError, ensureJaegerBinary, pinnedModuleVersion } from './binary.js';

const USAGE = `Usage: tracelens-jaeger build

Builds the pinned real Jaeger (${JAEGER_VERSION}, Go module github.com/jaegertracing/jaeger
${pinnedModuleVersion()}) from source into tools/jaeger/.cache/jaeger (or TRACELENS_JAEGER_CACHE_DIR). Needs Go >= 1.24 and
the Go module proxy; the first build takes several minutes, later ones return at once.
Run it with the rest of the stack: TRACELENS_BACKEND=jaeger npm start`;

const args = process.argv.slice(2);
const [command, ...rest] = args;
if (args.some((a) => a === '--help' || a === '-h') || command === 'help') {
  console.log(USAGE);
} else if (command !== 'build' || rest.length > 0) {
  console.error(`tracelens-jaeger: unknown arguments ${JSON.stringify(args.join(' '))}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  try {
    const binary = await ensureJaegerBinary({ log: (line) => console.log(`jaeger: ${line}`) });
    console.log(`jaeger: ready at ${binary}`);
  } catch (e) {
    if (!(e instanceof JaegerUnavailableError)) throw e;
    console.error(`tracelens-jaeger: ${e.message}`);
    process.exitCode = 1;
  }
}
