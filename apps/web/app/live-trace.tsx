'use client';

import Link from 'next/link';
import { useEffect, useId, useState, type CSSProperties } from 'react';
import { liveTracePath, tracePath } from '@/lib/shared/routes';
import { colorOf, serviceColors } from '@/lib/shared/display/colors';
import { formatDuration } from '@/lib/shared/display/format';
import { liveEvent, type LiveEvent, type LiveSnapshot } from '@/lib/shared/api';
import { SpanBadges } from '@/app/_components/span-badges';
import badges from '@/app/_components/trace-ui.module.css';
import styles from './live-trace.module.css';

type Phase = 'live' | 'complete' | 'settled' | 'timeout' | 'failed';

interface LiveState {
  readonly phase: Phase;
  readonly snapshot: LiveSnapshot | null;
  /** The latest problem reading the store, cleared by the next good read. */
  readonly problem: string | null;
  readonly jaegerUrl: string | null;
}

const INITIAL: LiveState = { phase: 'live', snapshot: null, problem: null, jaegerUrl: null };

/**
 * The compact waterfall under a click: follows the trace over server-sent
 * events (see app/api/traces/[traceId]/live) until spans of all three
 * services are in, or the trace has settled without them (and it says why:
 * "the data-processor never received the request: connection refused"), or
 * the server gives up and it says "still arriving".
 */
export function LiveTrace({ traceId }: { readonly traceId: string }) {
  const [state, setState] = useState<LiveState>(INITIAL);
  const [attempt, setAttempt] = useState(0);
  const titleId = useId();

  useEffect(() => {
    // EventSource, not fetch: one request per click, and it is not patched by
    // the fetch instrumentation, so watching a trace adds no traces of its own.
    const source = new EventSource(liveTracePath(traceId));
    let ended = false;
    const lost = () => {
      source.close();
      setState((previous) => ({ ...previous, phase: 'failed' }));
    };
    // Each event's data is checked against the contract (lib/shared/api.ts);
    // one that breaks it ends the view as a lost stream would.
    const on = <K extends LiveEvent['type']>(type: K, handle: (event: Extract<LiveEvent, { type: K }>) => void) =>
      source.addEventListener(type, (message) => {
        let json: unknown;
        try {
          json = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          json = undefined;
        }
        const parsed = liveEvent.safeParse(json);
        if (parsed.success && parsed.data.type === type) handle(parsed.data as Extract<LiveEvent, { type: K }>);
        else lost();
      });
    on('links', ({ jaegerUrl }) => setState((previous) => ({ ...previous, jaegerUrl })));
    on('snapshot', ({ snapshot }) => setState((previous) => ({ ...previous, snapshot, problem: null })));
    on('problem', ({ message }) => setState((previous) => ({ ...previous, problem: message })));
    on('end', ({ reason }) => {
      ended = true;
      source.close();
      setState((previous) => ({ ...previous, phase: reason }));
    });
    source.onerror = () => {
      // EventSource would reconnect by itself and start the wait over; a
      // lost stream is shown instead, with a button to try again.
      if (ended) return;
      lost();
    };
    return () => source.close();
  }, [traceId, attempt]);

  const { snapshot, phase } = state;
  const colors = serviceColors(snapshot?.services ?? []);
  const durationUs = Math.max(snapshot?.durationUs ?? 0, 1);

  return (
    <section className={styles.live} aria-labelledby={titleId}>
      <div className={styles.head}>
        <h3 id={titleId} className={styles.title}>
          Trace waterfall
        </h3>
        <p role="status" className={styles.status} data-phase={phase}>
          {statusText(state)}
        </p>
      </div>

      {snapshot !== null && snapshot.rows.length > 0 && (
        <ol className={styles.rows} aria-label="Spans, in parent order">
          {snapshot.rows.map((row) => (
            <li key={row.key} className={styles.row} style={{ '--depth': Math.min(row.depth, 10) } as CSSProperties}>
              <span className={styles.label}>
                <span className={badges.swatch} style={{ background: colorOf(colors, row.service) }} aria-hidden="true" />
                <span className={styles.service}>{row.service}</span>
                <span className={styles.name}>{row.name}</span>
                <SpanBadges marks={row} compact />
              </span>
              <span className={styles.track} aria-hidden="true">
                <span
                  className={row.error ? `${styles.bar} ${styles.barError}` : styles.bar}
                  style={{
                    left: `${(row.offsetUs / durationUs) * 100}%`,
                    width: `max(2px, ${(row.durationUs / durationUs) * 100}%)`,
                    background: colorOf(colors, row.service),
                  }}
                />
                {row.queuedUs > 0 && (
                  <span
                    className={`${badges.queued} ${styles.queued}`}
                    style={{ left: `${(row.offsetUs / durationUs) * 100}%`, width: `${(row.queuedUs / durationUs) * 100}%` }}
                    title={`Queued in the browser for ${formatDuration(row.queuedUs)} before the request was sent`}
                  >
                    <span className={badges.queuedLabel}>queued in the browser</span>
                  </span>
                )}
              </span>
              <span className={styles.duration}>
                {formatDuration(row.durationUs)}
                {row.queuedUs > 0 && <span className="visually-hidden">{`, ${formatDuration(row.queuedUs)} of it queued in the browser`}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
      {snapshot !== null && snapshot.hiddenCount > 0 && (
        <p className={styles.more}>…and {snapshot.hiddenCount} more spans in the full trace.</p>
      )}

      <p className={styles.links}>
        <Link href={tracePath(traceId)} prefetch={false}>
          Open the full trace
        </Link>
        {state.jaegerUrl !== null && (
          <a href={state.jaegerUrl} target="_blank" rel="noreferrer">
            Open in Jaeger
          </a>
        )}
        {(phase === 'settled' || phase === 'timeout' || phase === 'failed') && (
          <button type="button" className={styles.retry} onClick={() => {
              // Live again, keeping what was shown; the effect opens a new stream.
              setState((previous) => ({ ...INITIAL, snapshot: previous.snapshot, jaegerUrl: previous.jaegerUrl }));
              setAttempt((n) => n + 1);
            }}>
            Check again
          </button>
        )}
      </p>
    </section>
  );
}

function statusText({ phase, snapshot, problem }: LiveState): string {
  const spans = snapshot?.spanCount ?? 0;
  const spanText = `${spans} span${spans === 1 ? '' : 's'}`;
  const missing = snapshot?.missingServices ?? [];
  if (phase === 'failed') return `Lost the connection to the live view; ${spanText} so far.`;
  if ((phase === 'complete' || phase === 'settled') && snapshot !== null) {
    const services = snapshot.services.length;
    const errors = snapshot.errorCount === 0 ? '' : `, ${snapshot.errorCount} with errors`;
    const summary = `${spanText} from ${services} service${services === 1 ? '' : 's'}, ${formatDuration(snapshot.durationUs)}${errors}.`;
    // Settled: nothing more is coming, and the spans say why it is short.
    return phase === 'complete' ? `Complete: ${summary}` : `Settled: ${summary} ${snapshot.shortfall?.explanation ?? ''}`.trim();
  }
  const orphans = snapshot?.orphanCount ?? 0;
  const waitingFor =
    missing.length > 0
      ? `; no spans from ${missing.join(', ')} yet`
      : orphans > 0
        ? `; the parent of ${orphans} span${orphans === 1 ? ' has' : 's have'} not arrived yet`
        : '';
  if (phase === 'timeout') return `Still arriving: ${spanText} so far${waitingFor}. Check again in a moment.`;
  if (problem !== null) return `Still arriving: the trace store is not answering (${problem}); retrying.`;
  return spans === 0 ? 'Still arriving: waiting for the first spans…' : `Still arriving: ${spanText} so far${waitingFor}…`;
}
