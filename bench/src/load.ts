import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** One round of closed-loop HTTP load, as sent to the load worker. */
export interface LoadRound {
  /** Echoed back, e.g. `traced #3`. */
  label: string;
  /** Requested in turn, round-robin across all connections. */
  urls: string[];
  /** Concurrent keep-alive connections, each with one request in flight. */
  connections: number;
  durationMs: number;
  /** Sent with every request, e.g. a `traceparent`. */
  headers?: Record<string, string>;
}

export interface LoadRoundResult {
  label: string;
  /** Requests answered 200. */
  ok: number;
  /** Non-200 answers and failed requests. */
  errors: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Wall time of the round, in milliseconds, from the first request to the last answer. */
  elapsedMs: number;
  /** Latency of every 200 answer, in milliseconds, until its body was read. */
  latenciesMs: number[];
}

/** The load worker (load-worker.ts) in its own process; one round at a time. */
export class LoadClient {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(path.join(import.meta.dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  /** Runs one round; rejects if the worker fails or exits. */
  run(round: LoadRound): Promise<LoadRoundResult> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('the load worker exited'));
      this.child.once('exit', onExit);
      this.child.once('message', (message: LoadRoundResult | { label: string; failed: string }) => {
        this.child.off('exit', onExit);
        if ('failed' in message) reject(new Error(`load round ${message.label} failed: ${message.failed}`));
        else resolve(message);
      });
      this.child.send(round);
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}
