import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { env } from '../../../env';
import { jaegerTraceUrl, TRACES_PATH } from '../../../lib/routes';
import type { TraceLogsState } from '../../../lib/trace-model/logs';
import { JaegerQueryClient, TRACE_ID_PATTERN, TraceQueryError } from '../../../lib/trace-query/jaeger-client';
import styles from './trace-page.module.css';
import { TraceView } from './trace-view';

interface TracePageProps {
  readonly params: Promise<{ traceId: string }>;
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Pick<TracePageProps, 'params'>): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Trace ${traceId.slice(0, 7)} · Tracelens` };
}

/**
 * `/traces/{traceId}` (`?span={spanId}` selects a span): one trace from the
 * Jaeger v1 query API at TRACE_QUERY_URL, read here on the server and handed
 * to the client view whole.
 */
export default async function TracePage({ params, searchParams }: TracePageProps) {
  const { traceId } = await params;
  if (!TRACE_ID_PATTERN.test(traceId)) notFound();
  const spanParam = (await searchParams).span;
  const initialSpan = (Array.isArray(spanParam) ? spanParam[0] : spanParam) ?? null;

  const client = new JaegerQueryClient({ baseUrl: env.traceQueryUrl });
  // Read alongside the spans; a failure here is shown beside them, never instead of them.
  const logs = readLogs(client, traceId);
  let trace;
  try {
    trace = await client.getTrace(traceId);
  } catch (error) {
    if (!(error instanceof TraceQueryError)) throw error;
    return (
      <main className={styles.page}>
        <h1 className={styles.title}>Trace {traceId}</h1>
        <div role="alert" className={styles.problem}>
          <p>Could not read the trace: {error.message}.</p>
        </div>
        <p>
          <Link href={TRACES_PATH} prefetch={false}>
            Back to the search
          </Link>
        </p>
      </main>
    );
  }
  if (trace === null) notFound();

  return (
    <main className={styles.page}>
      {/* Keyed: following a link to another trace starts its view afresh (selection, collapsed rows). */}
      <TraceView
        key={trace.traceId}
        trace={trace}
        initialSpan={initialSpan}
        logs={await logs}
        jaegerUrl={env.jaegerUiUrl === null ? null : jaegerTraceUrl(env.jaegerUiUrl, trace.traceId)}
      />
    </main>
  );
}

/**
 * The trace's logs as the view shows them: a store without logs (404) is a
 * state, not an error. Never rejects: it runs beside the span read, whose
 * failure must not leave this promise's rejection unhandled.
 */
async function readLogs(client: JaegerQueryClient, traceId: string): Promise<TraceLogsState> {
  try {
    const logs = await client.getTraceLogs(traceId);
    return logs === null ? { kind: 'unsupported' } : { kind: 'ok', logs };
  } catch (error) {
    if (error instanceof TraceQueryError) return { kind: 'error', message: error.message };
    console.error('[tracelens] reading the logs of trace %s failed', traceId, error);
    return { kind: 'error', message: 'an unexpected error (see the server log)' };
  }
}
