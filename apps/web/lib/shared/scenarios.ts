/**
 * The four scenarios of the home page, as the browser sees them: ids, labels
 * and the frontend-api paths they call. Client-safe (no env, no server code).
 */

export type ScenarioId = 'contention' | 'fanout' | 'flaky' | 'timeout';

export const SCENARIO_IDS: readonly ScenarioId[] = ['contention', 'fanout', 'flaky', 'timeout'];

export const SCENARIO_LABELS: Readonly<Record<ScenarioId, string>> = {
  contention: 'contention',
  fanout: 'fan-out',
  flaky: 'flaky',
  timeout: 'timeout',
};

/** What a scenario request needs besides its id; each path builder reads the fields it uses. */
export interface ScenarioInput {
  /** One name (contention, flaky, timeout); must pass `checkName`. */
  readonly name: string;
  /** Fan-out: the batch, each passing `checkName`. */
  readonly names?: readonly string[];
  /** Flaky: 0-1, or undefined for the data-processor's default. */
  readonly failureRate?: number;
  /** Timeout: the frontend-api's deadline in ms (50-10000), or undefined for `TIMEOUT_DEADLINE_MS`. */
  readonly deadlineMs?: number;
  /** Timeout: the data-processor's delay in ms (0-30000), or undefined for 2000. */
  readonly delayMs?: number;
}

/** The frontend-api path for one scenario request. */
export function scenarioPath(id: ScenarioId, input: ScenarioInput): string {
  const name = encodeURIComponent(input.name);
  switch (id) {
    case 'contention':
      return `/api/scenarios/contention/${name}`;
    case 'fanout':
      return `/api/scenarios/fanout?${new URLSearchParams({ names: (input.names ?? [input.name]).join(',') }).toString()}`;
    case 'flaky':
      return withQuery(`/api/scenarios/flaky/${name}`, { failureRate: input.failureRate });
    case 'timeout':
      return withQuery(`/api/scenarios/timeout/${name}`, { deadlineMs: input.deadlineMs, delayMs: input.delayMs });
  }
}

function withQuery(path: string, params: Record<string, number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
