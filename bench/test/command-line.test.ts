import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, REGISTRY } from '../src/command-line.js';
import { run } from './run-bench.js';

describe('the bench command line', () => {
  it('names every benchmark, and runs the named ones or all', () => {
    expect(parseCommandLine(['--smoke', 'ingest', 'query'])).toEqual({ help: false, smoke: true, names: ['ingest', 'query'], options: {} });
    expect(parseCommandLine([])).toEqual({ help: false, smoke: false, names: Object.keys(REGISTRY), options: {} });
    expect(parseCommandLine(['query', '--help'])).toEqual({ help: true });
  });

  it('reads the stores to compare and the size to fill them to', () => {
    expect(parseCommandLine(['query', '--spans', '10_000_000', '--backends', 'store,jaeger-badger'])).toEqual({
      help: false,
      smoke: false,
      names: ['query'],
      options: { spans: 10_000_000, backends: ['store', 'jaeger-badger'] },
    });
    expect(() => parseCommandLine(['--spans', '1e6'])).toThrow('--spans must be a whole number of thousands (1000 or more), got "1e6"');
    expect(() => parseCommandLine(['--backends', 'store,tempo'])).toThrow('unknown backend "tempo"; choose from store, jaeger-memory, jaeger-badger');
  });

  it('refuses an unknown benchmark or flag, naming it', () => {
    expect(() => parseCommandLine(['ingest', 'ingset'])).toThrow('unknown benchmark "ingset"; choose from overhead, browser, ingest');
    expect(() => parseCommandLine(['--fast'])).toThrow("Unknown option '--fast'");
  });

  it('--help prints the usage and the benchmarks, and runs none', async () => {
    const { child, output } = run(['--help']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const name of Object.keys(REGISTRY)) expect(output().stdout).toContain(`\n  ${name} `);
    expect(output().stdout).not.toContain('==');
  });

  it('exits 2 with the usage for a wrong command line', async () => {
    const { child, output } = run(['--smok']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output().stderr).toContain("Unknown option '--smok'");
    expect(output().stderr).toContain('Usage: npm run bench');
  });
});
