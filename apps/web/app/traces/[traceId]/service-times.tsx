import type { SelfTimes } from '@/lib/shared/trace-model/self-time';
import { colorOf } from '@/lib/shared/display/colors';
import { formatDuration } from '@/lib/shared/display/format';
import styles from './trace-page.module.css';

/**
 * Self time per service as horizontal bars, largest first; the numbers are
 * text, the bars decoration. Time requests spent queued in the browser is
 * no service's: it gets a row of its own, last.
 */
export function ServiceTimes({ selfTimes, colors }: { readonly selfTimes: SelfTimes; readonly colors: ReadonlyMap<string, string> }) {
  const total = selfTimes.byService.reduce((sum, service) => sum + service.selfTimeUs, 0) + selfTimes.queuedUs;
  const largest = Math.max(selfTimes.byService[0]?.selfTimeUs ?? 0, selfTimes.queuedUs, 1);
  const share = (us: number) => (total === 0 ? 0 : Math.round((us / total) * 100));
  return (
    <table className={styles.serviceTimes} aria-label="Self time per service">
      <tbody>
        {selfTimes.byService.map(({ service, selfTimeUs, spanCount }) => (
          <tr key={service} title={`${spanCount} span${spanCount === 1 ? '' : 's'}`}>
            <th scope="row">{service}</th>
            <td className={styles.serviceBarCell} aria-hidden="true">
              <span className={styles.serviceBar} style={{ width: `${(selfTimeUs / largest) * 100}%`, background: colorOf(colors, service) }} />
            </td>
            <td className={styles.serviceValue}>
              {formatDuration(selfTimeUs)}
              <span className={styles.serviceShare}> · {share(selfTimeUs)}%</span>
            </td>
          </tr>
        ))}
        {selfTimes.queuedUs > 0 && (
          <tr title="Requests waiting for one of the browser's connections to the origin before they were sent">
            <th scope="row" className={styles.serviceQueued}>
              queued in the browser
            </th>
            <td className={styles.serviceBarCell} aria-hidden="true">
              <span className={`${styles.serviceBar} ${styles.serviceBarQueued}`} style={{ width: `${(selfTimes.queuedUs / largest) * 100}%` }} />
            </td>
            <td className={styles.serviceValue}>
              {formatDuration(selfTimes.queuedUs)}
              <span className={styles.serviceShare}> · {share(selfTimes.queuedUs)}%</span>
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
