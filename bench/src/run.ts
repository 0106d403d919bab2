import { machine, met, table, writeResult, type Benchmark, type BenchmarkResult } from './harness.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- ingest query` runs
 * those; `--smoke` runs tiny sizes (CI does, via `npm test`). Prints a table
 * and writes bench/results/<name>.json.
 */
const REGISTRY: Record<string, () => Promise<Benchmark>> = {
  overhead: () => import('./benchmarks/overhead.js').then((m) => m.default),
  browser: () => import('./benchmarks/browser.js').then((m) => m.default),
  ingest: () => import('./benchmarks/ingest.js').then((m) => m.default),
  query: () => import('./benchmarks/query.js').then((m) => m.default),
  memory: () => import('./benchmarks/memory.js').then((m) => m.default),
  'trace-page': () => import('./benchmarks/trace-page.js').then((m) => m.default),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in REGISTRY));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(REGISTRY).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : Object.keys(REGISTRY);
  const results: BenchmarkResult[] = [];
  for (const name of selected) {
    const load = REGISTRY[name] as () => Promise<Benchmark>;
    const benchmark = await load();
    console.log(`\n== ${name}${smoke ? ' (smoke)' : ''}`);
    const started = Date.now();
    const partial = await benchmark.run({ smoke, log: (line) => console.log(`   ${line}`) });
    const result: BenchmarkResult = { name, ...partial, machine: machine(), smoke, finishedAt: new Date().toISOString() };
    const file = writeResult(result);
    console.log(`   done in ${((Date.now() - started) / 1000).toFixed(1)} s, wrote ${file}`);
    results.push(result);
  }
  const m = machine();
  console.log(`\n${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}${smoke ? ' — smoke sizes, not measurements' : ''}\n`);
  console.log(table(results));
  const broken = results.filter((r) => r.figures.some((f) => f.invariant && met(f) === false));
  for (const r of broken) {
    for (const f of r.figures.filter((x) => x.invariant && met(x) === false)) {
      console.error(`${r.name}: ${f.label} is ${f.value} ${f.unit}, must be ${f.target?.op} ${f.target?.value}`);
    }
  }
  // One line a test runner's summary would give: a benchmark passes when its correctness invariants hold.
  console.log(`\n${results.length - broken.length} passed, ${broken.length} failed`);
  if (broken.length > 0) process.exitCode = 1;
}

await main();
