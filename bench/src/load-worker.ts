/**
 * HTTP load from a process of its own (so the benchmark's collector and
 * bookkeeping do not share its event loop): a closed loop of `connections`
 * keep-alive connections, each sending its next request as soon as the
 * previous answer's body has been read, for `durationMs`.
 *
 * Driven over IPC by `LoadClient` (load.ts): one message per round, one
 * answer with the round's counts and latencies.
 */
import http from 'node:http';
import type { LoadRound, LoadRoundResult } from './load.js';

async function runRound(round: LoadRound): Promise<LoadRoundResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: round.connections });
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + round.durationMs;

  const once = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(url, { agent, headers: round.headers }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      });
      req.once('error', reject);
    });

  const loop = async () => {
    while (performance.now() < deadline) {
      const url = round.urls[next++ % round.urls.length] as string;
      const t0 = performance.now();
      try {
        const status = await once(url);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) latenciesMs.push(performance.now() - t0);
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: round.connections }, loop));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { label: round.label, ok: latenciesMs.length, errors, statuses, elapsedMs, latenciesMs };
}

process.on('message', (message: LoadRound) => {
  runRound(message).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ label: message.label, failed: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
