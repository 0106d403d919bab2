'use client';

import { useId, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import Link from 'next/link';
import { checkName } from '@/lib/shared/name-rule';
import { SERVICES_PATH, tracePath } from '@/lib/shared/routes';
import { SCENARIO_IDS, SCENARIO_LABELS, scenarioPath, type ScenarioId, type ScenarioInput } from '@/lib/shared/scenarios';
import { runTracedScenario, type ScenarioOutcome } from '@/lib/browser/traced-request';
import styles from './page.module.css';

/** The load control's bounds for N concurrent requests. */
const LOAD_MIN = 1;
const LOAD_MAX = 50;
/** How many of a load run's requests are listed. */
const SLOWEST_SHOWN = 5;
/** Connections a browser opens to one origin over HTTP/1.1 (Chromium's and Firefox's limit); further requests wait. */
const BROWSER_CONNECTIONS_PER_ORIGIN = 6;

const FANOUT_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

/** Fixed inputs per scenario: the buttons demonstrate one behaviour each, the load control reuses them. */
const INPUTS: Readonly<Record<ScenarioId, ScenarioInput>> = {
  contention: { name: 'pooled' },
  fanout: { name: 'batch', names: FANOUT_NAMES },
  flaky: { name: 'widget', failureRate: 0.5 },
  timeout: { name: 'turtle', deadlineMs: 1_000, delayMs: 2_000 },
};

const EXPLANATIONS: Readonly<Record<ScenarioId, ReactNode>> = {
  contention: (
    <>
      The data-processor has one pooled connection. Each request waits for it (<code>wait for connection</code>) and then
      works on it (<code>use connection</code>). Alone, the wait is nil; under load (fire several at once below) the
      queue wait grows with the number of requests ahead and soon dwarfs the work itself.
    </>
  ),
  fanout: (
    <>
      The frontend-api processes {FANOUT_NAMES.length} names, calling the data-processor for each in its own{' '}
      <code>process item</code> span under one <code>fan-out</code> span, a few at a time (<code>FANOUT_CONCURRENCY</code>
      ). The waterfall shows the children running in parallel, never more than the bound at once.
    </>
  ),
  flaky: (
    <>
      The data-processor calls an inventory service that fails half the time and retries it with exponential backoff.
      Every attempt is an <code>inventory attempt</code> span with <code>retry.attempt</code>, so the trace shows how
      many tries it took and how long the backoff cost; with no luck the answer is a 502.
    </>
  ),
  timeout: (
    <>
      The frontend-api asks for 2 s of slow work but only waits 1 s. When the deadline fires, the call is cut off: its{' '}
      <code>scenario timeout</code> span is marked ERROR with <code>timeout.cut_off=true</code> and the answer is a 504,
      while the data-processor notices its caller left.
    </>
  ),
};

type RunState = { readonly kind: 'idle' } | { readonly kind: 'pending' } | ScenarioOutcome;

export function ScenariosPanel() {
  const titleId = useId();
  return (
    <section className={styles.card} aria-labelledby={titleId}>
      <h2 id={titleId} className={styles.cardTitle}>
        Scenarios
      </h2>
      <p className={styles.hint}>
        Each button is one traced request through the same three tiers, made to show one thing traces are good at.
      </p>
      {SCENARIO_IDS.map((id) => (
        <ScenarioGroup key={id} id={id} />
      ))}
      <LoadControl />
    </section>
  );
}

/** Number inputs a group offers, with bounds matching the frontend-api's checks. */
const KNOBS: Readonly<Record<ScenarioId, readonly Knob[]>> = {
  contention: [],
  fanout: [],
  flaky: [{ key: 'failureRate', label: 'Failure rate (0–1)', min: 0, max: 1, step: 0.1, integer: false }],
  timeout: [
    { key: 'deadlineMs', label: 'Deadline (ms)', min: 50, max: 10_000, step: 50, integer: true },
    { key: 'delayMs', label: 'Delay (ms)', min: 0, max: 30_000, step: 100, integer: true },
  ],
};

interface Knob {
  readonly key: 'failureRate' | 'deadlineMs' | 'delayMs';
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
}

function ScenarioGroup({ id }: { readonly id: ScenarioId }) {
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [drafts, setDrafts] = useState<Partial<Record<Knob['key'], string>>>(() =>
    Object.fromEntries(KNOBS[id].map((knob) => [knob.key, String(INPUTS[id][knob.key] ?? '')])),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const headingId = useId();
  const knobId = useId();
  const label = SCENARIO_LABELS[id];

  function run(): void {
    let input: ScenarioInput = INPUTS[id];
    for (const knob of KNOBS[id]) {
      const value = Number(drafts[knob.key]);
      if (drafts[knob.key]?.trim() === '' || !Number.isFinite(value) || value < knob.min || value > knob.max || (knob.integer && !Number.isInteger(value))) {
        setProblem(`${knob.label} must be ${knob.integer ? 'a whole number' : 'a number'} from ${knob.min} to ${knob.max}.`);
        // The last run's outcome would read as the answer to these inputs.
        setState({ kind: 'idle' });
        return;
      }
      input = { ...input, [knob.key]: value };
    }
    setProblem(null);
    setState({ kind: 'pending' });
    void runTracedScenario(id, scenarioPath(id, input), (outcome) => flushSync(() => setState(outcome)));
  }

  return (
    <div className={styles.scenario} role="group" aria-labelledby={headingId} data-testid={`scenario-${id}`}>
      <h3 id={headingId} className={styles.resultTitle}>
        {label[0]?.toUpperCase()}
        {label.slice(1)}
      </h3>
      <p className={styles.hint}>{EXPLANATIONS[id]}</p>
      {/* .form lines the button up with the inputs; without inputs that offset would only add space. */}
      <div className={KNOBS[id].length > 0 ? styles.form : undefined}>
        {KNOBS[id].map((knob) => (
          <div key={knob.key} className={styles.field}>
            <label htmlFor={`${knobId}-${knob.key}`} className={styles.label}>
              {knob.label}
            </label>
            <input
              id={`${knobId}-${knob.key}`}
              className={styles.input}
              type="number"
              min={knob.min}
              max={knob.max}
              step={knob.step}
              value={drafts[knob.key] ?? ''}
              onChange={(event) => setDrafts((current) => ({ ...current, [knob.key]: event.target.value }))}
            />
          </div>
        ))}
        <button type="button" className={styles.button} disabled={state.kind === 'pending'} onClick={run}>
          Run {label}
        </button>
      </div>
      <div className={styles.scenarioResult} aria-live="polite" data-testid={`scenario-${id}-result`}>
        {problem !== null && <p className={`${styles.traceLine} ${styles.scenarioError}`}>{problem}</p>}
        {state.kind === 'pending' && <span className={styles.pending}>Running…</span>}
        {(state.kind === 'ok' || state.kind === 'error') && <OutcomeLine outcome={state} />}
      </div>
    </div>
  );
}

function OutcomeLine({ outcome }: { readonly outcome: ScenarioOutcome }) {
  return (
    <p className={outcome.kind === 'error' ? `${styles.traceLine} ${styles.scenarioError}` : styles.traceLine}>
      <span data-testid="scenario-summary">{summarize(outcome)}</span> · {Math.round(outcome.durationMs)} ms · Trace{' '}
      <TraceLink traceId={outcome.traceId} />
    </p>
  );
}

function TraceLink({ traceId }: { readonly traceId: string | null }) {
  if (traceId === null) {
    return <span>(tracing off)</span>;
  }
  return (
    <a href={tracePath(traceId)} data-testid="scenario-trace-id">
      <code className={styles.traceId}>{traceId}</code>
    </a>
  );
}

/** One line about an answer, in the scenario's own terms. */
function summarize(outcome: ScenarioOutcome): string {
  if (outcome.kind === 'error') {
    return outcome.status === null ? outcome.message : `${outcome.status}: ${outcome.message}`;
  }
  const { answer } = outcome;
  const result = 'result' in answer ? answer.result : undefined;
  const field = (key: string): unknown =>
    typeof result === 'object' && result !== null ? (result as Record<string, unknown>)[key] : undefined;
  switch (outcome.scenario) {
    case 'contention':
      return `waited ${String(field('waitedMs'))} ms behind ${String(field('requestsAhead'))} request(s), worked ${String(field('workMs'))} ms`;
    case 'fanout': {
      const results = 'results' in answer ? answer.results : [];
      const failed = results.filter((item) => !item.ok).length;
      return `${results.length} items, ${failed} failed`;
    }
    case 'flaky':
      return `quantity ${String(field('quantity'))} after ${String(field('attempts'))} attempt(s), ${String(field('backoffMs'))} ms of backoff`;
    case 'timeout':
      return 'answered within the deadline';
  }
}

interface LoadRun {
  readonly scenario: ScenarioId;
  readonly count: number;
  readonly failed: number;
  readonly slowest: readonly ScenarioOutcome[];
}

function LoadControl() {
  const [scenario, setScenario] = useState<ScenarioId>('contention');
  const [count, setCount] = useState('5');
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<LoadRun | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const headingId = useId();
  const selectId = useId();
  const countId = useId();

  async function fire(): Promise<void> {
    const n = Number(count);
    if (!Number.isInteger(n) || n < LOAD_MIN || n > LOAD_MAX) {
      setProblem(`N must be a whole number from ${LOAD_MIN} to ${LOAD_MAX}.`);
      // The last run's list would read as the answer to this N.
      setRun(null);
      return;
    }
    const input = INPUTS[scenario];
    if (!checkName(input.name).ok) {
      return; // fixed inputs; cannot happen
    }
    setProblem(null);
    setRunning(true);
    // All N start in this tick, each its own `scenario click` trace.
    const outcomes = await Promise.all(
      Array.from({ length: n }, () => runTracedScenario(scenario, scenarioPath(scenario, input))),
    );
    const slowest = [...outcomes].sort((a, b) => b.durationMs - a.durationMs).slice(0, SLOWEST_SHOWN);
    setRun({ scenario, count: n, failed: outcomes.filter((o) => o.kind === 'error').length, slowest });
    setRunning(false);
  }

  return (
    <div className={styles.scenario} role="group" aria-labelledby={headingId} data-testid="scenario-load">
      <h3 id={headingId} className={styles.resultTitle}>
        Load
      </h3>
      <p className={styles.hint}>
        Fire N requests of one scenario at once from this browser, each its own trace, then see the{' '}
        {SLOWEST_SHOWN} slowest. Contention shows the queue most clearly.
      </p>
      <p className={styles.hint} data-testid="load-connection-limit">
        The browser has a queue of its own: it opens at most {BROWSER_CONNECTIONS_PER_ORIGIN} connections to this app at
        once (Chromium and Firefox, over HTTP/1.1), so beyond {BROWSER_CONNECTIONS_PER_ORIGIN} requests the rest wait in
        the browser before they are even sent. Their traces show that wait as <em>queued in the browser</em>, apart from
        the work. For load without that limit, run <code>npm run load -- --scenario contention --rate 20</code> from
        the repository.
      </p>
      <div className={styles.form}>
        <div className={styles.field}>
          <label htmlFor={selectId} className={styles.label}>
            Scenario
          </label>
          <select
            id={selectId}
            className={styles.input}
            value={scenario}
            onChange={(event) => setScenario(event.target.value as ScenarioId)}
          >
            {SCENARIO_IDS.map((id) => (
              <option key={id} value={id}>
                {SCENARIO_LABELS[id]}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor={countId} className={styles.label}>
            Requests (N)
          </label>
          <input
            id={countId}
            className={styles.input}
            type="number"
            min={LOAD_MIN}
            max={LOAD_MAX}
            value={count}
            aria-invalid={problem !== null}
            onChange={(event) => setCount(event.target.value)}
          />
        </div>
        <button type="button" className={`${styles.button} ${styles.primary}`} disabled={running} onClick={() => void fire()}>
          Fire load
        </button>
      </div>
      <div className={styles.scenarioResult} aria-live="polite" data-testid="scenario-load-result">
        {problem !== null && <p className={`${styles.traceLine} ${styles.scenarioError}`}>{problem}</p>}
        {running && <span className={styles.pending}>Waiting for {count} requests…</span>}
        {!running && run !== null && (
          <>
            <p className={styles.traceLine}>
              {run.count} × {SCENARIO_LABELS[run.scenario]}, {run.failed} failed. Slowest:
            </p>
            <ol className={styles.slowest}>
              {run.slowest.map((outcome, index) => (
                <li key={`${outcome.traceId ?? 'untraced'}-${index}`} data-testid="slowest-item">
                  {Math.round(outcome.durationMs)} ms {outcome.kind === 'error' ? `(${outcome.status ?? 'network error'})` : ''} ·{' '}
                  <TraceLink traceId={outcome.traceId} />
                </li>
              ))}
            </ol>
            <p className={styles.hint}>
              Rate, errors and latency per operation, over the last minutes:{' '}
              <Link href={`${SERVICES_PATH}?window=5m`} prefetch={false} data-testid="load-services-link">
                Services
              </Link>
              .
            </p>
          </>
        )}
      </div>
    </div>
  );
}
