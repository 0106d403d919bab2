import type { LoadProgress } from './run-load.js';

const WIDTH = 30;

/** One line: a bar of answered requests against the plan, plus counts. */
export function progressLine(p: LoadProgress): string {
  const fraction = Math.min(1, p.done / p.planned);
  const filled = Math.round(fraction * WIDTH);
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${p.done}/${p.planned} answered, ` +
    `${p.sent - p.done} in flight, ${p.errors} errors${p.skipped ? `, ${p.skipped} skipped` : ''}, ${(p.elapsedMs / 1000).toFixed(1)} s`
  );
}

/**
 * Redraws the line in place on a terminal at most every 100 ms; elsewhere
 * (CI logs, pipes) prints it once a second so logs stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream): { update(p: LoadProgress): void; end(): void } {
  const tty = stream.isTTY;
  const every = tty ? 100 : 1000;
  let last = 0;
  let latest: LoadProgress | undefined;
  return {
    update(p) {
      latest = p;
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      stream.write(tty ? `\r${progressLine(p)}\u001b[K` : `${progressLine(p)}\n`);
    },
    end() {
      if (latest) stream.write(tty ? `\r${progressLine(latest)}\u001b[K\n` : `${progressLine(latest)}\n`);
    },
  };
}
