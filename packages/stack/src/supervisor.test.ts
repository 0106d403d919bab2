import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFree, freePorts } from './ports.js';
import { inheritedEnv } from './env.js';
import { ServiceStartError, SupervisedService, type ServiceEvents, type SupervisorOptions } from './supervisor.js';

const FAKE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fake-service.mjs');

const running: SupervisedService[] = [];
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  service: SupervisedService;
  port: number;
  lines: string[];
  clock: { offsetMs: number };
}

async function fake(env: Record<string, string> = {}, options: Partial<SupervisorOptions> = {}): Promise<Harness> {
  const [port] = (await freePorts(1)) as [number];
  const lines: string[] = [];
  // Uptimes read this clock: a test moves it forward instead of waiting a minute.
  const clock = { offsetMs: 0 };
  const service = new SupervisedService(
    {
      name: 'fake',
      command: process.execPath,
      args: [FAKE],
      env: { PATH: inheritedEnv().PATH ?? '', PORT: String(port), ...env },
      healthUrl: `http://127.0.0.1:${port}/health`,
      startTimeoutMs: 10_000,
    },
    {
      log: (line) => lines.push(line),
      output: { kind: 'console', write: (line) => lines.push(line) },
      backoff: { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 },
      now: () => Date.now() + clock.offsetMs,
      ...options,
    },
  );
  running.push(service);
  return { service, port, lines, clock };
}

const next = <K extends keyof ServiceEvents>(service: SupervisedService, event: K) => once(service, event) as Promise<ServiceEvents[K]>;

/** SIGKILLs the service's process and resolves with the crash and the recovery that follow. */
async function killAndRecover(service: SupervisedService) {
  const crash = next(service, 'crash');
  const recovered = next(service, 'recovered');
  process.kill(service.pid as number, 'SIGKILL');
  const [[c], [r]] = await Promise.all([crash, recovered]);
  return { crash: c, recovered: r };
}

describe('the supervisor', () => {
  it('restarts a killed service with a doubling backoff, up to the cap, and says which, how and how often', async () => {
    const { service, port, lines } = await fake();
    await service.start();
    const first = service.pid;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { crash, recovered } = await killAndRecover(service);
      delays.push(crash.delayMs);
      expect(crash.signal).toBe('SIGKILL');
      expect(recovered.pid).toBe(service.pid);
      expect(recovered.downMs).toBeGreaterThanOrEqual(crash.delayMs);
    }
    expect(delays).toEqual([50, 100, 200, 200]);
    expect(service.restarts).toBe(4);
    expect(service.pid).not.toBe(first);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^fake \\(pid ${first}\\) was killed by SIGKILL after [\\d.]+ (ms|s) up; restart 1 in 50 ms$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^fake is back \(pid \d+, restart 4\): serving [\d.]+ (ms|s) after it ended$/));
    // Its output, prefixed with its name.
    expect(lines).toContainEqual(expect.stringMatching(/^fake \| fake: listening on \d+/));
  });

  it('starts the doubling over once a process was up for the reset time', async () => {
    const { service, clock } = await fake();
    await service.start();
    expect((await killAndRecover(service)).crash.delayMs).toBe(50);
    expect((await killAndRecover(service)).crash.delayMs).toBe(100);
    clock.offsetMs += 60_000; // this process has now been up for a minute
    expect((await killAndRecover(service)).crash.delayMs).toBe(50);
  });

  it('reports an exit code, and keeps restarting a service that fails again', async () => {
    const { service, lines } = await fake();
    await service.start();
    const crash = next(service, 'crash');
    process.kill(service.pid as number, 'SIGTERM'); // Node's default: killed by the signal
    expect((await crash)[0].signal).toBe('SIGTERM');
    await next(service, 'recovered');
    expect(lines.filter((l) => l.includes('was killed by SIGTERM'))).toHaveLength(1);
  });

  it('fails a first start that exits, with its last output, and does not retry it', async () => {
    const { service } = await fake({ EXIT_CODE: '3' });
    let crashes = 0;
    service.on('crash', () => crashes++);
    const error = await service.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as Error).message).toMatch(/^fake: exited with code 3 before it was ready\nLast lines of its output:\nfake: giving up/);
    expect(crashes).toBe(0);
    expect(service.pid).toBeUndefined();
  });

  it('stop() ends a restarted process too, and cancels a restart that is pending', async () => {
    const { service, port } = await fake({}, { backoff: { initialMs: 50, maxMs: 60_000, resetAfterMs: 60_000 } });
    await service.start();
    await killAndRecover(service);
    const restarted = service.pid as number;
    await service.stop();
    expect(() => process.kill(restarted, 0)).toThrow(/ESRCH/);
    await ensureFree({ PORT: { port, host: '127.0.0.1' } });

    // Killed again, then stopped while it waits to be restarted: it stays down.
    await service.start();
    const crash = next(service, 'crash');
    process.kill(service.pid as number, 'SIGKILL');
    await crash;
    let spawned = false;
    service.on('spawn', () => (spawned = true));
    await service.stop();
    expect(spawned).toBe(false);
    expect(service.pid).toBeUndefined();
  });

  it('ends what the process left behind in its group, on a crash and on stop', async () => {
    const [grandchildPort] = (await freePorts(1)) as [number];
    const { service, lines } = await fake({ GRANDCHILD_PORT: String(grandchildPort) });
    const grandchildren = () => lines.flatMap((l) => /fake: grandchild (\d+)/.exec(l)?.[1] ?? []).map(Number);
    // Gone, or a zombie waiting for whichever process inherited it to reap it.
    const alive = (pid: number) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    await service.start();
    await expect.poll(grandchildren).toHaveLength(1);
    await killAndRecover(service);
    const [first] = grandchildren() as [number];
    await expect.poll(() => alive(first), { message: `the first grandchild (pid ${first}) is gone` }).toBe(false);
    await expect.poll(grandchildren).toHaveLength(2);
    await service.stop();
    const second = grandchildren()[1] as number;
    await expect.poll(() => alive(second), { message: `the second grandchild (pid ${second}) is gone` }).toBe(false);
    await ensureFree({ GRANDCHILD_PORT: { port: grandchildPort, host: '127.0.0.1' } });
  });

  it('writes to a log file per service when asked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-stack-'));
    temps.push(dir);
    const { service } = await fake({}, { output: { kind: 'files', dir, prefix: 'a-' } });
    await service.start();
    expect(service.logPath).toBe(path.join(dir, 'a-fake.log'));
    await expect.poll(() => fs.readFileSync(path.join(dir, 'a-fake.log'), 'utf8')).toMatch(/fake: listening on/);
  });
});
