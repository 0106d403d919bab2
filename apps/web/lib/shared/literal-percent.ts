/**
 * A URL path whose percent-escapes cannot be decoded (`%zz`, a lone `%`, or
 * `%ff`, which is no UTF-8) with each such segment taken literally: its `%`
 * signs escaped as `%25`, so that it decodes to the text that was typed.
 * Null when every segment decodes already.
 *
 * Next.js decodes dynamic segments itself, before any route code runs, and in
 * production answers a bare 500 when that fails (vercel/next.js#92527). Taken
 * literally, the segment reaches the route, which refuses it with its own
 * 4xx and says why: a name that breaks the name rule, not a trace id.
 */
export function literalPercentPath(pathname: string): string | null {
  let changed = false;
  const segments = pathname.split('/').map((segment) => {
    try {
      decodeURIComponent(segment);
      return segment;
    } catch {
      changed = true;
      return segment.replaceAll('%', '%25');
    }
  });
  return changed ? segments.join('/') : null;
}
