import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SendJob, SendResult } from './sender.js';

export type { SendJob, SendResult };

/** The OTLP load generator (sender.ts) in its own process; one job at a time. */
export class OtlpSenders {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(path.join(import.meta.dirname, 'sender.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  /** The sender process's pid, to read its CPU time. */
  get pid(): number {
    return this.child.pid as number;
  }

  run(job: SendJob): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('the OTLP sender process exited'));
      this.child.once('exit', onExit);
      this.child.once('message', (message: SendResult | { label: string; error: string }) => {
        this.child.off('exit', onExit);
        if ('error' in message) reject(new Error(`sending ${message.label} failed: ${message.error}`));
        else resolve(message);
      });
      this.child.send(job);
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}
