import { parseCommandLine, REGISTRY, USAGE } from './command-line.js';
import { machine, met, table, writeResult, type Benchmark, type BenchmarkResult } from './harness.js';
import { handleInterrupts } from './interrupt.js';

/** `npm run bench`: see USAGE in command-line.ts. */

async function main(): Promise<void> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }
  handleInterrupts();
  const { smoke, names: selected, options } = command;
  const results: BenchmarkResult[] = [];
  for (const name of selected) {
    const benchmark = await (REGISTRY[name] as { load: () => Promise<Benchmark> }).load();
    console.log(`\n== ${name}${smoke ? ' (smoke)' : ''}`);
    const started = Date.now();
    const partial = await benchmark.run({ smoke, options, log: (line) => console.log(`   ${line}`) });
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
