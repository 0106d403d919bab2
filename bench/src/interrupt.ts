/**
 * What a run has started and must stop if it is interrupted. The apps run in
 * process groups of their own (the launcher's choice, so a terminal's Ctrl-C
 * does not take them down behind its back), and a SIGTERM sent to the run
 * alone reaches none of its children: so SIGINT or SIGTERM to `npm run bench`
 * stops every registered server before the process exits.
 */
const running = new Set<() => Promise<void>>();

/** Registers `stop` until the returned function is called (when the server was stopped the normal way). */
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  running.add(stop);
  return () => running.delete(stop);
}

/** Installs the SIGINT/SIGTERM handlers. A second signal exits at once. */
export function handleInterrupts(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (stopping) process.exit(code);
      stopping = true;
      console.error(`\nbench: ${signal}, stopping ${running.size} server${running.size === 1 ? '' : 's'}`);
      void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(code));
    });
  }
}
