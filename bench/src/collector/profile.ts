import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  /** Busy (not idle) time covered by the profile, in milliseconds. */
  busyMs: number;
  /** Share of busy time by where it was spent, largest first. */
  byArea: { area: string; share: number }[];
  /** Functions with the most self time, largest first. */
  topFunctions: { fn: string; share: number }[];
}

/** The store's compiled code: the CLI itself (apps/collector) only parses its options. */
const COLLECTOR_DIST = '/packages/trace-store/dist/';

/**
 * Summarises the .cpuprofile files in `dir` (one per thread). Self time is
 * charged to the nearest collector source file up the stack, so native calls
 * (SQLite, JSON.parse, zlib) count under the file that made them; time with
 * no collector frame on the stack is Node's own (HTTP parsing, sockets,
 * timers) or V8's (GC).
 */
export function summarizeProfiles(dir: string): ProfileSummary {
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const interval = profile.samples.length > 0 ? (profile.endTime - profile.startTime) / profile.samples.length / 1000 : 0;
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const areaOf = (id: number): string => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const url = byId.get(at)?.callFrame.url ?? '';
        const i = url.indexOf(COLLECTOR_DIST);
        if (i >= 0) return url.slice(i + COLLECTOR_DIST.length).replace(/\.js$/, '');
      }
      return 'Node.js (HTTP, streams, timers)';
    };
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * interval;
      if (ms === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      busy += ms;
      const area = functionName === '(garbage collector)' ? 'GC' : functionName === '(program)' ? 'V8/native, no JS on the stack' : areaOf(node.id);
      areas.set(area, (areas.get(area) ?? 0) + ms);
      const where = url ? `${path.basename(url)}:${lineNumber + 1}` : 'native';
      const fn = `${functionName || '(anonymous)'} (${where})`;
      fns.set(fn, (fns.get(fn) ?? 0) + ms);
    }
  }
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    busyMs: Math.round(busy),
    byArea: ranked(areas).map(([area, ms]) => ({ area, share: ms / busy })),
    topFunctions: ranked(fns)
      .slice(0, 12)
      .map(([fn, ms]) => ({ fn, share: ms / busy })),
  };
}

export function formatSummary(s: ProfileSummary, areas = 8, functions = 8): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `by area: ${s.byArea
      .slice(0, areas)
      .map((a) => `${a.area} ${pct(a.share)}`)
      .join(', ')}`,
    `top self time: ${s.topFunctions
      .slice(0, functions)
      .map((f) => `${f.fn} ${pct(f.share)}`)
      .join(', ')}`,
  ];
}
