import type { LoadRun, RequestResult } from './run-load.js';

export interface LoadSummary {
  sent: number;
  ok: number;
  errors: number;
  skipped: number;
  /** Count per non-2xx status; 0 = no answer. */
  errorsByStatus: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  achievedRate: number;
  slowest: RequestResult[];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function summarize(run: LoadRun, slowestCount = 5): LoadSummary {
  const latencies = run.results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const errorsByStatus: Record<string, number> = {};
  for (const r of run.results) {
    if (r.status >= 200 && r.status < 400) continue;
    errorsByStatus[String(r.status)] = (errorsByStatus[String(r.status)] ?? 0) + 1;
  }
  const errors = Object.values(errorsByStatus).reduce((a, b) => a + b, 0);
  return {
    sent: run.results.length,
    ok: run.results.length - errors,
    errors,
    skipped: run.skipped,
    errorsByStatus,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    achievedRate: run.results.length / (run.elapsedMs / 1000),
    slowest: [...run.results].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, slowestCount),
  };
}

const ms = (n: number) => `${Math.round(n)} ms`;

/** The summary as the CLI prints it, with each slow trace as a link to the trace page. */
/**
 * The summary as text; `servicesUrl`, when given, is where the app shows the
 * run's rate, errors and latency per operation (its /services page).
 */
export function formatSummary(label: string, s: LoadSummary, traceLink: (traceId: string) => string, servicesUrl?: string): string {
  const statuses = Object.entries(s.errorsByStatus)
    .map(([status, n]) => `${status === '0' ? 'no answer' : status} x${n}`)
    .join(', ');
  const lines = [
    `${label}: ${s.sent} requests (${s.achievedRate.toFixed(1)}/s), ${s.ok} ok, ${s.errors} errors${statuses ? ` (${statuses})` : ''}` +
      (s.skipped > 0 ? `, ${s.skipped} skipped at the concurrency limit` : ''),
    `latency: p50 ${ms(s.latencyMs.p50)}, p90 ${ms(s.latencyMs.p90)}, p99 ${ms(s.latencyMs.p99)}, max ${ms(s.latencyMs.max)}`,
    'slowest requests:',
    ...s.slowest.map(
      (r) =>
        `  ${ms(r.latencyMs).padStart(8)}  ${String(r.status || 'none').padEnd(4)}  ${r.traceId ? traceLink(r.traceId) : `(no trace id${r.error ? `: ${r.error}` : ''})`}`,
    ),
  ];
  if (servicesUrl !== undefined) lines.push(`per operation (rate, errors, p50/p95/p99): ${servicesUrl}`);
  return lines.join('\n');
}

/** The /services page's window (its choices: 5m, 15m, 1h, 6h, 24h) that holds a run of this length and the minute after. */
export function servicesWindow(durationMs: number): string {
  const windows: [string, number][] = [['5m', 5], ['15m', 15], ['1h', 60], ['6h', 360]];
  return windows.find(([, minutes]) => durationMs + 60_000 <= minutes * 60_000)?.[0] ?? '24h';
}
