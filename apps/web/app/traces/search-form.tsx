'use client';

import Form from 'next/form';
import { useId, useState } from 'react';
import { failureAnswer, operationsAnswer } from '@/lib/shared/api';
import { OPERATIONS_PATH, TRACES_PATH } from '@/lib/shared/routes';
import { LOOKBACKS, MAX_LIMIT, type SearchForm as SearchFormValues } from '@/lib/shared/trace-search';
import styles from './traces.module.css';

interface SearchFormProps {
  readonly services: readonly string[];
  /** Operations of `values.service`, read by the page. */
  readonly operations: readonly string[];
  readonly values: SearchFormValues;
}

/**
 * The search form: a GET form on /traces, so every search is a URL. Changing
 * the service loads that service's operations from /api/operations.
 */
export function SearchForm({ services, operations: initialOperations, values }: SearchFormProps) {
  const [service, setService] = useState(values.service);
  const [operations, setOperations] = useState<{ readonly service: string; readonly names: readonly string[] }>({
    service: values.service,
    names: initialOperations,
  });
  const [operation, setOperation] = useState(values.operation);
  const [operationsError, setOperationsError] = useState<string | null>(null);
  const id = useId();

  async function chooseService(next: string): Promise<void> {
    setService(next);
    setOperation('');
    setOperationsError(null);
    try {
      const response = await fetch(`${OPERATIONS_PATH}?service=${encodeURIComponent(next)}`, { cache: 'no-store' });
      const body: unknown = await response.json();
      const answer = operationsAnswer.safeParse(body);
      if (!response.ok || !answer.success) {
        const failure = failureAnswer.safeParse(body);
        throw new Error(failure.success ? failure.data.error : `HTTP ${response.status}`);
      }
      setOperations({ service: next, names: answer.data.operations });
    } catch (error) {
      setOperations({ service: next, names: [] });
      setOperationsError(`Could not load the operations of ${next}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const loaded = operations.service === service ? operations.names : [];
  // An operation from the URL that the store no longer lists stays selectable.
  const names = operation !== '' && !loaded.includes(operation) ? [operation, ...loaded] : loaded;
  return (
    // prefetch off: each prefetch would be a browser fetch, hence a trace of its own.
    <Form action={TRACES_PATH} prefetch={false} className={styles.form} aria-label="Search traces">
      <div className={styles.field}>
        <label htmlFor={`${id}-service`}>Service</label>
        <select id={`${id}-service`} name="service" value={service} onChange={(event) => void chooseService(event.target.value)}>
          {services.length === 0 && <option value="">No services yet</option>}
          {services.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-operation`}>Operation</label>
        <select
          id={`${id}-operation`}
          name="operation"
          value={operation}
          onChange={(event) => setOperation(event.target.value)}
          aria-describedby={operationsError === null ? undefined : `${id}-operation-error`}
        >
          <option value="">All operations</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        {operationsError !== null && (
          <p id={`${id}-operation-error`} className={styles.fieldError}>
            {operationsError}
          </p>
        )}
      </div>
      <div className={`${styles.field} ${styles.wide}`}>
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          name="tags"
          defaultValue={values.tags}
          placeholder="http.response.status_code=500"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-tags-hint`}
        />
        <p id={`${id}-tags-hint`} className={styles.hint}>
          <code>key=value</code> pairs separated by spaces, all on one span (as in Jaeger); quote values with spaces:{' '}
          <code>error.message=&quot;not found&quot;</code>
        </p>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-min`}>Min duration</label>
        <input id={`${id}-min`} name="minDuration" defaultValue={values.minDuration} placeholder="e.g. 100ms" autoComplete="off" />
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-max`}>Max duration</label>
        <input id={`${id}-max`} name="maxDuration" defaultValue={values.maxDuration} placeholder="e.g. 1.5s" autoComplete="off" />
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-lookback`}>Lookback</label>
        <select id={`${id}-lookback`} name="lookback" defaultValue={values.lookback}>
          {LOOKBACKS.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-limit`}>Limit</label>
        <input id={`${id}-limit`} name="limit" type="number" min={1} max={MAX_LIMIT} defaultValue={values.limit} />
      </div>
      <div className={styles.actions}>
        <button type="submit" className={styles.submit} disabled={services.length === 0}>
          Find traces
        </button>
      </div>
    </Form>
  );
}
