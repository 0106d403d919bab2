import fs from 'node:fs';

/** The machine's CPU time over an interval, as shares of all of it (from /proc/stat). */
export interface MachineLoad {
  /** Time the hypervisor gave to other guests: the cores this run did not have. */
  steal: number;
  idle: number;
  /** Time spent running anything here (this run and whatever else the machine runs). */
  busy: number;
}

function readCpuLine(): number[] | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    return line.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
}

/**
 * Starts watching the machine's CPU time; the returned function says how it
 * was spent since. This machine is a virtual one shared with other work: a
 * figure measured while much of it was stolen or busy elsewhere is a lower
 * bound, and the notes say so. Undefined where there is no /proc.
 */
export function watchMachineLoad(): () => MachineLoad | undefined {
  const start = readCpuLine();
  return () => {
    const end = readCpuLine();
    if (!start || !end) return undefined;
    const d = end.map((v, i) => v - (start[i] ?? 0));
    const total = d.reduce((a, b) => a + b, 0) || 1;
    const idle = ((d[3] ?? 0) + (d[4] ?? 0)) / total;
    const steal = (d[7] ?? 0) / total;
    return { steal, idle, busy: 1 - idle - steal };
  };
}

export function describeLoad(load: MachineLoad | undefined): string {
  if (!load) return 'machine load unknown (no /proc/stat)';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `machine CPU time during the measurement: ${pct(load.busy)} busy, ${pct(load.idle)} idle, ${pct(load.steal)} stolen by the hypervisor`;
}
