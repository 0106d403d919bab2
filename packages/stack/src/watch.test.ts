import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from './ports.js';
import { SupervisedService } from './supervisor.js';
import { reloadOnChange } from './watch.js';

const FAKE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fake-service.mjs');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('reloading on change (npm run dev)', () => {
  it('reloads the service when a file changes, not when one is rewritten as it was, and never counts it as a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-watch-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'main.js'), 'one');
    fs.writeFileSync(path.join(dir, 'sub', 'other.js'), 'same');
    const [port] = (await freePorts(1)) as [number];
    const lines: string[] = [];
    const service = new SupervisedService(
      { name: 'fake', command: process.execPath, args: [FAKE], env: { PORT: String(port) }, healthUrl: `http://127.0.0.1:${port}/health`, startTimeoutMs: 10_000 },
      { log: (l) => lines.push(l), output: { kind: 'console', write: () => {} } },
    );
    cleanups.push(() => service.stop());
    await service.start();
    const first = service.pid;
    const stop = reloadOnChange(service, dir, 50);
    cleanups.push(stop);
    let spawns = 0;
    service.on('spawn', () => spawns++);

    // other.js rewritten with the same bytes (as tsc's first compile rewrites every file) is no change.
    fs.writeFileSync(path.join(dir, 'sub', 'other.js'), 'same');
    fs.writeFileSync(path.join(dir, 'sub', 'main.js'), 'two');
    await once(service, 'spawn');
    await expect.poll(() => lines.find((l) => l.startsWith('fake is serving again'))).toBeDefined();
    expect(service.pid).not.toBe(first);
    expect(spawns).toBe(1);
    expect(service.restarts).toBe(0);
    expect(lines).toContain(`fake restarting: sub/main.js changed in ${dir}`);
  });
});
