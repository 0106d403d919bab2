import type { SelfTimes } from '../../../lib/trace-model/self-time';
import { colorOf } from '../../../lib/trace-view/colors';
import { formatDuration } from '../../../lib/trace-view/format';
import styles from './trace-page.module.css';

/** Self time per service as horizontal bars, largest first; the numbers are text, the bars decoration. */
export function ServiceTimes({ selfTimes, colors }: { readonly selfTimes: SelfTimes; readonly colors: ReadonlyMap<string, string> }) {
  const total = selfTimes.byService.reduce((sum, service) => sum + service.selfTimeUs, 0);
  const largest = Math.max(selfTimes.byService[0]?.selfTimeUs ?? 0, 1);
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
              <span className={styles.serviceShare}> · {total === 0 ? 0 : Math.round((selfTimeUs / total) * 100)}%</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
