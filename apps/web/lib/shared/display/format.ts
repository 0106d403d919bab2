/** Text for durations and times in the trace views. Inputs are microseconds. */

/** Fixed digits without trailing zeros after the point (`1.50` → `1.5`, `850` stays). */
const trim = (value: number, digits: number): string => {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
};

/** `850 µs`, `12.3 ms`, `245 ms`, `1.24 s`, `2 min 5 s`: three significant digits at most. */
export function formatDuration(us: number): string {
  const abs = Math.abs(us);
  const sign = us < 0 ? '-' : '';
  if (abs < 1_000) return `${sign}${trim(abs, 0)} µs`;
  if (abs < 1_000_000) {
    const ms = abs / 1_000;
    return `${sign}${trim(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
  }
  if (abs < 60_000_000) {
    const s = abs / 1_000_000;
    return `${sign}${trim(s, s < 10 ? 2 : 1)} s`;
  }
  const totalSeconds = Math.round(abs / 1_000_000);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${sign}${minutes} min ${totalSeconds % 60} s`;
  return `${sign}${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `+12.3 ms` style offset from the trace start. */
export function formatOffset(us: number): string {
  return us === 0 ? '0 ms' : `+${formatDuration(us)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2025-11-25 12:03:04.123 UTC`: the same on server and client, so it can be rendered on either. */
export function formatUtc(us: number): string {
  const date = new Date(Math.floor(us / 1_000));
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)} UTC`
  );
}

/** `12:03:04` in UTC (`12:03:04.250` with `millis`), for axis labels. */
export function formatUtcClock(us: number, millis = false): string {
  const date = new Date(Math.floor(us / 1_000));
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return millis ? `${clock}.${pad(date.getUTCMilliseconds(), 3)}` : clock;
}
