import type { Metadata } from 'next';
import Link from 'next/link';
import { webEnv } from '@/env';
import { tracePath } from '@/lib/shared/routes';
import { JaegerQueryError, type JaegerQueryClient } from '@tracelens/jaeger-query';
import { traceStore } from '@/lib/server/trace-store';
import { LOOKBACKS, readSearchForm, toTraceSearch, type SearchForm as SearchFormValues, type SearchParams } from '@/lib/shared/trace-search';
import { summarizeTrace, type TraceSummary } from '@/lib/shared/trace-model/summary';
import { colorOf, serviceColors } from '@/lib/shared/display/colors';
import { formatDuration, formatUtc } from '@/lib/shared/display/format';
import { ServiceChip } from '@/app/_components/service-chip';
import chips from '@/app/_components/trace-ui.module.css';
import { ScatterPlot } from './scatter-plot';
import { SearchForm } from './search-form';
import styles from './traces.module.css';

export const metadata: Metadata = { title: 'Traces · Tracelens' };

/**
 * `/traces`: search the trace store through the Jaeger v1 query API
 * (TRACE_QUERY_URL). The form is a GET form, so a search is a URL; without a
 * service the first one the store knows is searched.
 */
interface SearchView {
  /** The form as searched: the service defaults to the store's first one. */
  readonly form: SearchFormValues;
  readonly services: readonly string[];
  /** Operations of `form.service`. */
  readonly operations: readonly string[];
  /** Null when no search ran (a bad form, an empty or unreachable store). */
  readonly results: readonly TraceSummary[] | null;
  readonly problems: readonly string[];
}

async function search(client: JaegerQueryClient, asked: SearchFormValues): Promise<SearchView> {
  let services: string[] = [];
  try {
    services = await client.services();
    const form = { ...asked, service: asked.service || (services[0] ?? '') };
    if (form.service === '') return { form, services, operations: [], results: null, problems: [] };
    const valid = toTraceSearch(form);
    if (!valid.ok) return { form, services, operations: [], results: null, problems: valid.errors };
    const [operations, traces] = await Promise.all([client.operations(form.service), client.findTraces(valid.search)]);
    return { form, services, operations, results: traces.map(summarizeTrace), problems: [] };
  } catch (error) {
    if (!(error instanceof JaegerQueryError)) throw error;
    return { form: asked, services, operations: [], results: null, problems: [`Search failed: ${error.message}.`] };
  }
}

/**
 * `/traces`: search the trace store through the Jaeger v1 query API
 * (TRACE_QUERY_URL). The form is a GET form, so a search is a URL; without a
 * service the first one the store knows is searched.
 */
export default async function TracesPage({ searchParams }: { readonly searchParams: Promise<SearchParams> }) {
  const client = traceStore(webEnv());
  const { form, services, operations, results, problems } = await search(client, readSearchForm(await searchParams));
  const lookback = LOOKBACKS.find((choice) => choice.value === form.lookback)?.label.toLowerCase() ?? '';
  // One colour per service across all results and the plot, by name.
  const colors = serviceColors([...new Set((results ?? []).flatMap((trace) => trace.services.map((s) => s.service)))].sort());
  return (
    <main className={styles.page}>
      <h1 className={styles.heading}>Traces</h1>
      <SearchForm key={JSON.stringify(form)} services={services} operations={operations} values={form} />

      {problems.length > 0 && (
        <div role="alert" className={styles.problems}>
          {problems.map((problem, index) => (
            <p key={index}>{problem}</p>
          ))}
        </div>
      )}

      {problems.length === 0 && services.length === 0 && (
        <p className={styles.empty}>
          The trace store has no traces yet. <Link href="/" prefetch={false}>Process a name</Link> and come back.
        </p>
      )}

      {results !== null && (
        <section aria-labelledby="results-title" className={styles.results}>
          <h2 id="results-title" className={styles.resultsTitle}>
            {results.length === 0
              ? `No traces of ${form.service} in the ${lookback} match.`
              : `${results.length} trace${results.length === 1 ? '' : 's'} of ${form.service}, newest first`}
          </h2>
          <ScatterPlot traces={results} colors={colors} />
          <ol className={styles.list} aria-label="Traces found">
            {results.map((trace) => (
              <li key={trace.traceId}>
                <article className={styles.result} aria-labelledby={`result-${trace.traceId}`}>
                  <div className={styles.resultHead}>
                    <Link id={`result-${trace.traceId}`} href={tracePath(trace.traceId)} prefetch={false} className={styles.resultTitle}>
                      {trace.rootService === null ? 'empty trace' : `${trace.rootService}: ${trace.rootName}`}
                    </Link>
                    <span className={styles.resultDuration}>{formatDuration(trace.durationUs)}</span>
                  </div>
                  <p className={styles.resultMeta}>
                    <span>{formatUtc(trace.startUs)}</span>
                    <span>
                      {trace.spanCount} span{trace.spanCount === 1 ? '' : 's'}
                    </span>
                    {trace.errorCount > 0 ? (
                      <span className={chips.badgeError}>
                        {trace.errorCount} error{trace.errorCount === 1 ? '' : 's'}
                      </span>
                    ) : (
                      <span>no errors</span>
                    )}
                    {trace.rootIsOrphan && <span className={chips.badgeWarning}>root span missing</span>}
                    <code className={styles.traceId}>{trace.traceId}</code>
                  </p>
                  <ul className={chips.chips} aria-label="Services">
                    {trace.services.map(({ service, spanCount }) => (
                      <li key={service}>
                        <ServiceChip service={`${service} (${spanCount})`} color={colorOf(colors, service)} />
                      </li>
                    ))}
                  </ul>
                </article>
              </li>
            ))}
          </ol>
        </section>
      )}
    </main>
  );
}
