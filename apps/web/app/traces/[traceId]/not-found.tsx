import Link from 'next/link';
import { TRACES_PATH } from '@/lib/shared/routes';
import styles from './trace-page.module.css';

/** No trace with that id in the store, or not a trace id at all. */
export default function TraceNotFound() {
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Trace not found</h1>
      <p>
        The trace store has no span of this trace, or the address does not hold a trace id (1 to 32 hex digits). Spans
        reach the store within a few seconds of the work they record, so a trace you just made may still be on its way:
        reload in a moment. Old traces are deleted after the store&apos;s retention period.
      </p>
      <p>
        <Link href={TRACES_PATH} prefetch={false}>
          Search traces
        </Link>
      </p>
    </main>
  );
}
