import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SupervisedService } from './supervisor.js';

const digest = (file: string): string | undefined => {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined; // removed, or a directory
  }
};

/**
 * `npm run dev` for the Node services: reloads `service` when files under
 * `dir` change (its `dist/`, which `tsc --watch` rewrites on every edit),
 * once the writes have settled for `quietMs`, as `node --watch` did but
 * under the supervisor. A file rewritten with the same content (tsc's first
 * compile rewrites them all) is no change. Returns a function that stops
 * watching.
 */
export function reloadOnChange(service: SupervisedService, dir: string, quietMs = 300): () => void {
  const known = new Map<string, string | undefined>();
  for (const entry of fs.readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(entry));
    known.set(file, digest(file));
  }
  let timer: NodeJS.Timeout | undefined;
  const touched = new Set<string>();
  const watcher = fs.watch(dir, { recursive: true }, (_event, name) => {
    if (name) touched.add(path.join(dir, String(name)));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...touched].filter((file) => {
        const now = digest(file);
        const before = known.get(file);
        known.set(file, now);
        return now !== before;
      });
      touched.clear();
      if (changed.length === 0) return;
      const what = changed.length === 1 ? path.relative(dir, changed[0] as string) : `${changed.length} files`;
      service.reload(`${what} changed in ${dir}`);
    }, quietMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
