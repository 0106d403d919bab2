/**
 * Field-by-field comparison of two answers. The report names the path of
 * the first field that differs and both values there, and counts the rest,
 * so a failure says what was seen rather than "not equal".
 */

export interface Difference {
  path: string;
  left: unknown;
  right: unknown;
}

const MAX_LISTED = 20;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every difference between `left` and `right`, depth first, at most `limit`. */
export function differences(left: unknown, right: unknown, limit = 1000): Difference[] {
  const out: Difference[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (Object.is(a, b)) return;
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta !== tb) {
      out.push({ path, left: a, right: b });
      return;
    }
    if (ta === 'array') {
      const la = a as unknown[];
      const lb = b as unknown[];
      const n = Math.min(la.length, lb.length);
      for (let i = 0; i < n; i++) walk(la[i], lb[i], `${path}[${i}]`);
      if (la.length !== lb.length) out.push({ path: `${path}.length`, left: la.length, right: lb.length });
      return;
    }
    if (ta === 'object') {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])];
      for (const key of keys) {
        const child = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        if (!(key in oa)) out.push({ path: child, left: '(absent)', right: ob[key] });
        else if (!(key in ob)) out.push({ path: child, left: oa[key], right: '(absent)' });
        else walk(oa[key], ob[key], child);
      }
      return;
    }
    out.push({ path, left: a, right: b });
  };
  walk(left, right, '$');
  return out;
}

function show(v: unknown): string {
  const text = typeof v === 'string' && v === '(absent)' ? v : JSON.stringify(v);
  if (text === undefined) return String(v);
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} characters)` : text;
}

/** A readable report of the differences between two answers, or undefined when they agree. */
export function report(left: unknown, right: unknown, names: [string, string]): string | undefined {
  const found = differences(left, right);
  if (found.length === 0) return undefined;
  const [l, r] = names;
  const width = Math.max(l.length, r.length);
  const lines = found.slice(0, MAX_LISTED).map((d) => `  at ${d.path}\n    ${l.padEnd(width)}: ${show(d.left)}\n    ${r.padEnd(width)}: ${show(d.right)}`);
  const more = found.length > MAX_LISTED ? `\n  ... and ${found.length >= 1000 ? 'at least ' : ''}${found.length - MAX_LISTED} more differences` : '';
  return `${found.length === 1 ? '1 difference' : `${found.length >= 1000 ? 'at least 1000' : found.length} differences`}, first at ${found[0]?.path}:\n${lines.join('\n')}${more}`;
}
