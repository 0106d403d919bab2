import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { webEnv } from '@/env';
import { jaegerTraceUrl, TRACES_PATH } from '@/lib/shared/routes';
import { JaegerQueryError } from '@tracelens/jaeger-query';
import { isTraceId } from '@tracelens/jaeger-query/trace-id';
import { readTraceLogs, traceStore } from '@/lib/server/trace-store';
import styles from './trace-page.module.css';
import { TraceExplorer } from './trace-explorer';

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
  if (!isTraceId(traceId)) notFound();
  const spanParam = (await searchParams).span;
  const initialSpan = (Array.isArray(spanParam) ? spanParam[0] : spanParam) ?? null;

  const env = webEnv();
  const client = traceStore(env);
  // Read alongside the spans; a failure here is shown beside them, never instead of them.
  const logs = readTraceLogs(client, traceId);
  let trace;
  try {
    trace = await client.getTrace(traceId);
  } catch (error) {
    if (!(error instanceof JaegerQueryError)) throw error;
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
      <TraceExplorer
        key={trace.traceId}
        trace={trace}
        initialSpan={initialSpan}
        logs={await logs}
        jaegerUrl={env.jaegerUiUrl === null ? null : jaegerTraceUrl(env.jaegerUiUrl, trace.traceId)}
      />
    </main>
  );
}
