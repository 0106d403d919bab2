import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** One process the launcher runs: what to spawn and how to tell it serves. */
export interface ServiceDefinition {
  /** Names the service in messages and log files, e.g. `data-processor`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The complete environment of the process (nothing is inherited besides it). */
  readonly env: Readonly<Record<string, string>>;
  /** Answers 2xx once the service serves. Without one, a service counts as up once spawned. */
  readonly healthUrl?: string;
  /** How long the first start may take to become healthy, in milliseconds. */
  readonly startTimeoutMs: number;
}

/** Restart delays after an exit nobody asked for. */
export interface Backoff {
  /** Delay before the first restart, in milliseconds; doubled for each further one. Default 500. */
  initialMs: number;
  /** Longest delay, in milliseconds. Default 10000. */
  maxMs: number;
  /** A process up at least this long before it ended starts the doubling over, in milliseconds. Default 60000. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = { initialMs: 500, maxMs: 10_000, resetAfterMs: 60_000 };

/**
 * Where a service's output goes: the launcher's console, each line prefixed
 * with the service's name (`npm start`), or a log file per service in `dir`
 * (tests, bench: the process writes to it directly, so its output costs the
 * launcher nothing).
 */
export type OutputTarget =
  | { kind: 'console'; /** Default: a line on stdout. */ write?: (line: string) => void; /** Names padded to this width. */ width?: number }
  | { kind: 'files'; dir: string; /** Starts each file name, e.g. `traced-`. */ prefix?: string };

export interface SupervisorOptions {
  /** The launcher's own messages: exits, restarts, recoveries. */
  log: (line: string) => void;
  output: OutputTarget;
  backoff?: Partial<Backoff>;
  /** How long a stopped process may take to exit after SIGTERM before it gets SIGKILL, in milliseconds. Default 10000. */
  stopTimeoutMs?: number;
  /** The clock uptimes are measured with, in milliseconds; for tests. Default `Date.now`. */
  now?: () => number;
}

/** How a process ended: an exit code, or the signal that killed it. */
export interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceEvents {
  spawn: [pid: number];
  /** An exit nobody asked for; `delayMs` until the restart. */
  crash: [ending: Ending & { upMs: number; restart: number; delayMs: number }];
  /** Healthy again after a crash. */
  recovered: [info: { pid: number; restart: number; downMs: number }];
}

/** The service could not be started: it exited or stayed unhealthy. `message` ends with its last output lines. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
}

const TAIL_LINES = 40;
const HEALTH_POLL_MS = 100;

/**
 * Runs one service and keeps it running: an exit nobody asked for is
 * restarted after a backoff (0.5 s doubling to 10 s, reset once a process
 * was up for a minute), and the launcher's log says which service, how it
 * ended and the restart count. Each process gets a process group of its own,
 * so stopping or restarting it also ends what it spawned (`next dev`'s
 * workers), and a Ctrl-C in the terminal reaches the launcher alone, which
 * then stops the services in order.
 */
export class SupervisedService extends EventEmitter<ServiceEvents> {
  readonly name: string;
  private readonly backoff: Backoff;
  private readonly stopTimeoutMs: number;
  private readonly now: () => number;
  private child: ChildProcess | undefined;
  private exited: Promise<Ending> = Promise.resolve({ code: null, signal: null });
  private spawnedAt = 0;
  /** Crashes since the last process that stayed up for `resetAfterMs`. */
  private consecutive = 0;
  private restartCount = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Why the running process was asked to stop for a reload, until it has. */
  private reloadReason: string | undefined;
  /** Set while the service should run and be restarted; cleared by stop(). */
  private supervising = false;
  /** Output lines kept for error messages when output goes to the console. */
  private readonly tailLines: string[] = [];
  private readonly logFile: string | undefined;

  constructor(
    readonly definition: ServiceDefinition,
    private readonly options: SupervisorOptions,
  ) {
    super();
    this.name = definition.name;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    if (options.output.kind === 'files') {
      fs.mkdirSync(options.output.dir, { recursive: true });
      this.logFile = path.join(options.output.dir, `${options.output.prefix ?? ''}${definition.name}.log`);
      fs.writeFileSync(this.logFile, '');
    }
  }

  /** The running process's id; undefined while none runs. */
  get pid(): number | undefined {
    return this.alive() ? this.child?.pid : undefined;
  }

  /** Restarts after crashes so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /**
   * Starts the service and resolves once it is healthy; from then on it is
   * supervised. A first start that fails is not retried (a bad setting or a
   * taken port would only fail again): it rejects with the service's last
   * output lines, and nothing is left running.
   */
  async start(): Promise<void> {
    if (this.supervising) return;
    this.consecutive = 0;
    const child = this.spawnProcess();
    try {
      await this.waitHealthy(child, this.definition.startTimeoutMs);
    } catch (e) {
      await this.terminate();
      throw new ServiceStartError(`${this.name}: ${(e as Error).message}${this.describeTail()}`);
    }
    this.supervising = true;
  }

  /**
   * Restarts a running service on purpose (`npm run dev`: its code changed):
   * SIGTERM, then a new process at once, not counted as a crash. Ignored
   * while it is not running or already restarting.
   */
  reload(reason: string): void {
    if (!this.supervising || !this.alive() || this.reloadReason !== undefined || this.child === undefined) return;
    this.reloadReason = reason;
    signalGroup(this.child, 'SIGTERM');
  }

  /** SIGTERM to the service's process group, SIGKILL after the stop timeout; no restart. Resolves once it is gone. */
  async stop(): Promise<void> {
    this.supervising = false;
    this.reloadReason = undefined;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.terminate();
  }

  /** User + system CPU time of the running process so far, in milliseconds (Linux /proc; NaN elsewhere or when none runs). */
  cpuMs(): number {
    const pid = this.pid;
    if (pid === undefined) return NaN;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised command name (which may contain spaces).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of stat), in clock ticks of 1/100 s on every Linux we run on.
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return NaN;
    }
  }

  /** SIGKILL to the process group now, synchronously: for a launcher that is exiting anyway. */
  killNow(): void {
    this.supervising = false;
    clearTimeout(this.restartTimer);
    if (this.child) signalGroup(this.child, 'SIGKILL');
  }

  /** The log file when output goes to files. */
  get logPath(): string | undefined {
    return this.logFile;
  }

  private alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private spawnProcess(): ChildProcess {
    const { definition, options } = this;
    let stdio: ('ignore' | 'pipe' | number)[];
    let fd: number | undefined;
    if (this.logFile !== undefined) {
      fd = fs.openSync(this.logFile, 'a');
      stdio = ['ignore', fd, fd];
    } else {
      stdio = ['ignore', 'pipe', 'pipe'];
    }
    const child = spawn(definition.command, definition.args, {
      cwd: definition.cwd,
      env: definition.env,
      stdio,
      // A process group of its own: see the class comment.
      detached: true,
    });
    if (fd !== undefined) fs.closeSync(fd); // the child holds its own descriptor
    this.child = child;
    this.spawnedAt = this.now();
    if (child.stdout && child.stderr) {
      const target = options.output.kind === 'console' ? options.output : { kind: 'console' as const };
      const width = target.width ?? this.name.length;
      const write = target.write ?? ((line: string) => process.stdout.write(`${line}\n`));
      for (const stream of [child.stdout, child.stderr]) {
        readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          this.tailLines.push(line);
          if (this.tailLines.length > TAIL_LINES) this.tailLines.shift();
          write(`${this.name.padEnd(width)} | ${line}`);
        });
      }
    }
    this.exited = new Promise<Ending>((resolve) => {
      // 'error' alone (no 'exit') when the command cannot be spawned at all.
      child.once('error', (e) => {
        this.tailLines.push(`cannot run ${definition.command}: ${e.message}`);
        resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then((ending) => this.onExit(child, ending));
    if (child.pid !== undefined) this.emit('spawn', child.pid);
    return child;
  }

  private onExit(child: ChildProcess, ending: Ending): void {
    // Whatever the process left in its group goes with it, so that a
    // restart finds its port free.
    signalGroup(child, 'SIGKILL');
    if (!this.supervising || child !== this.child) return;
    if (this.reloadReason !== undefined) {
      const reason = this.reloadReason;
      this.reloadReason = undefined;
      this.options.log(`${this.name} restarting: ${reason}`);
      const next = this.spawnProcess();
      this.waitHealthy(next, Infinity).then(
        () => this.options.log(`${this.name} is serving again (pid ${next.pid})`),
        () => {}, // it exited: onExit has said so and scheduled a restart
      );
      return;
    }
    const upMs = this.now() - this.spawnedAt;
    if (upMs >= this.backoff.resetAfterMs) this.consecutive = 0;
    const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.consecutive);
    this.consecutive += 1;
    this.restartCount += 1;
    const restart = this.restartCount;
    const endedAt = this.now();
    this.options.log(
      `${this.name} (pid ${child.pid}) ${describeEnding(ending)} after ${formatMs(upMs)} up; restart ${restart} in ${formatMs(delayMs)}`,
    );
    this.emit('crash', { ...ending, upMs, restart, delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.supervising) return;
      const next = this.spawnProcess();
      // No deadline: a service that is slow to come back is still coming back,
      // and one that exits again gets the next, longer backoff.
      this.waitHealthy(next, Infinity).then(
        () => {
          if (next !== this.child || !this.supervising || next.pid === undefined) return;
          const downMs = this.now() - endedAt;
          this.options.log(`${this.name} is back (pid ${next.pid}, restart ${restart}): serving ${formatMs(downMs)} after it ended`);
          this.emit('recovered', { pid: next.pid, restart, downMs });
        },
        () => {}, // it exited again: onExit has said so and scheduled the next attempt
      );
    }, delayMs);
  }

  /** Polls the health URL until 2xx; rejects if the process exits first or after `timeoutMs`. */
  private async waitHealthy(child: ChildProcess, timeoutMs: number): Promise<void> {
    const gone = this.exited.then((ending) => {
      throw new Error(`${describeEnding(ending)} before it was ready`);
    });
    gone.catch(() => {});
    const url = this.definition.healthUrl;
    if (url === undefined) {
      // Up once spawned; a spawn failure shows as an immediate exit.
      await Promise.race([gone, new Promise((resolve) => setImmediate(resolve))]);
      return;
    }
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (child === this.child) {
      const answer = await Promise.race([
        fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => (r.ok ? 'ok' : `HTTP ${r.status}`),
          (e: Error) => (e.cause as Error | undefined)?.message ?? e.message,
        ),
        gone,
      ]);
      if (answer === 'ok') return;
      last = answer;
      if (Date.now() > deadline) throw new Error(`${url} was not healthy after ${formatMs(timeoutMs)} (${last})`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS)), gone]);
    }
    throw new Error('replaced before it was ready');
  }

  /** Ends the current process and its group: SIGTERM, then SIGKILL after the stop timeout. */
  private async terminate(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    if (this.alive()) {
      signalGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.options.log(`${this.name} (pid ${child.pid}) did not stop within ${formatMs(this.stopTimeoutMs)} of SIGTERM; sending SIGKILL`);
          signalGroup(child, 'SIGKILL');
          resolve();
        }, this.stopTimeoutMs);
      });
      await Promise.race([this.exited, forced]);
      await this.exited;
      clearTimeout(timer);
    }
    signalGroup(child, 'SIGKILL');
  }

  private describeTail(): string {
    let lines = this.tailLines;
    if (this.logFile !== undefined) {
      try {
        lines = fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES);
      } catch {
        lines = [];
      }
    }
    if (lines.length === 0) return '';
    return `\nLast lines of ${this.logFile ?? `its output`}:\n${lines.join('\n')}`;
  }
}

/** Sends `signal` to the child's process group (it leads one: `detached`); quiet when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

export function describeEnding({ code, signal }: Ending): string {
  if (signal !== null) return `was killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return 'could not be started';
}

/** 450 ms, 1.5 s, 2m 5s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'ever';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${s % 60}s`;
}
