/** The scenarios the web app serves, and the frontend-api request each one makes. */
export const SCENARIOS = {
  process: (name: string) => `/api/process/${encodeURIComponent(name)}`,
  contention: (name: string) => `/api/scenarios/contention/${encodeURIComponent(name)}`,
  fanout: (name: string) => `/api/scenarios/fanout?names=${encodeURIComponent([`${name}-1`, `${name}-2`, `${name}-3`, `${name}-4`].join(','))}`,
  flaky: (name: string) => `/api/scenarios/flaky/${encodeURIComponent(name)}`,
  timeout: (name: string) => `/api/scenarios/timeout/${encodeURIComponent(name)}`,
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenario(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
