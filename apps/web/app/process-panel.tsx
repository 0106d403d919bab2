'use client';

import { useId, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { checkName, NAME_MAX_LENGTH } from '@/lib/shared/name-rule';
import { runTracedProcess, type ProcessOutcome } from '@/lib/browser/traced-request';
import { LiveTrace } from './live-trace';
import styles from './page.module.css';

const PRESET_NAMES = ['alice', 'bob', 'charlie_error'] as const;

type PanelState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'pending'; readonly name: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | ProcessOutcome;

export function ProcessPanel() {
  const [state, setState] = useState<PanelState>({ kind: 'idle' });
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const hintId = useId();
  const alertId = useId();
  const pending = state.kind === 'pending';

  function process(input: string): void {
    const check = checkName(input);
    if (!check.ok) {
      setState({ kind: 'invalid', message: check.error });
      return;
    }
    setState({ kind: 'pending', name: check.name });
    // The click span ends as soon as `show` returns, so the outcome is
    // committed to the DOM synchronously: the span covers what the user waited for.
    void runTracedProcess(check.name, (outcome) => flushSync(() => setState(outcome)));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    process(draft);
  }

  return (
    <section className={styles.card} aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} className={styles.cardTitle}>
        Try it
      </h2>

      <div className={styles.presets}>
        {PRESET_NAMES.map((name) => (
          <button key={name} type="button" className={styles.button} disabled={pending} onClick={() => process(name)}>
            Process {name}
          </button>
        ))}
      </div>

      <form className={styles.form} onSubmit={onSubmit} noValidate>
        <div className={styles.field}>
          <label htmlFor={inputId} className={styles.label}>
            Name
          </label>
          <input
            id={inputId}
            name="name"
            className={styles.input}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={state.kind === 'invalid'}
            aria-describedby={state.kind === 'invalid' ? `${hintId} ${alertId}` : hintId}
          />
          <p id={hintId} className={styles.hint}>
            1–{NAME_MAX_LENGTH} letters, digits, <code>_</code>, <code>-</code> or <code>.</code>
          </p>
        </div>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={pending}>
          Process
        </button>
      </form>

      <div className={styles.output} aria-live="polite" aria-busy={pending}>
        {state.kind === 'pending' && (
          <p className={styles.pending}>
            Processing <strong>{state.name}</strong>…
          </p>
        )}
        {state.kind === 'ok' && (
          <div className={styles.result} data-testid="result">
            <h3 className={styles.resultTitle}>
              Result for <strong>{state.name}</strong>
            </h3>
            <pre className={styles.json}>{JSON.stringify(state.result, null, 2)}</pre>
            <TraceId traceId={state.traceId} />
          </div>
        )}
      </div>

      {(state.kind === 'error' || state.kind === 'invalid') && (
        <div id={alertId} role="alert" className={styles.alert}>
          {state.kind === 'invalid' ? (
            <p className={styles.alertText}>{state.message}</p>
          ) : (
            <>
              <p className={styles.alertText}>
                Could not process <strong>{state.name}</strong>: {state.message}
              </p>
              <TraceId traceId={state.traceId} />
            </>
          )}
        </div>
      )}

      {/* Outside the result and the alert: its status updates must not re-announce them. */}
      {(state.kind === 'ok' || state.kind === 'error') && state.traceId !== null && (
        <LiveTrace key={state.traceId} traceId={state.traceId} />
      )}
    </section>
  );
}

function TraceId({ traceId }: { readonly traceId: string | null }) {
  if (traceId === null) {
    return null;
  }
  return (
    <p className={styles.traceLine}>
      Trace ID{' '}
      <code className={styles.traceId} data-testid="trace-id">
        {traceId}
      </code>
    </p>
  );
}
