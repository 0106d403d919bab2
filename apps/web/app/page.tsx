import styles from './page.module.css';
import { ProcessPanel } from './process-panel';
import { ScenariosPanel } from './scenarios-panel';

export default function HomePage() {
  return (
    <main className={styles.main}>
      <header className={styles.header}>
        <p className={styles.eyebrow}>Tracelens</p>
        <h1 className={styles.title}>One click, one trace</h1>
        <p className={styles.lede}>
          Each click starts a <code>process click</code> span in your browser (service <code>web-ui</code>) and
          sends <code>GET /api/process/&#123;name&#125;</code> with its <code>traceparent</code> header. The Next.js
          route (service <code>frontend-api</code>) continues that trace in a <code>process-data-logic</code> span
          and calls the NestJS <code>data-processor</code> with the same context, so all three tiers land in one
          trace. Browser spans reach the collector through this app&apos;s own <code>/api/otlp/v1/traces</code>{' '}
          relay.
        </p>
      </header>
      <ProcessPanel />
      <ScenariosPanel />
    </main>
  );
}
