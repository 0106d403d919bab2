import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** One recorded answer of the real Jaeger (see golden/README.md). */
export interface Golden {
  readonly name: string;
  /** `GET /api/...`, path and query string. */
  readonly request: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

export const GOLDEN_DIR = path.join(import.meta.dirname, 'golden');

export function readGolden(file: string): Golden {
  let bytes = fs.readFileSync(path.join(GOLDEN_DIR, file));
  if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
  const recorded = JSON.parse(bytes.toString('utf8')) as Omit<Golden, 'name'>;
  return { ...recorded, name: file.replace(/\.json(\.gz)?$/, '') };
}

/** Every recorded query answer (not the UI fixture). */
export function allGoldens(): Golden[] {
  return fs
    .readdirSync(GOLDEN_DIR)
    .filter((file) => /^v[13]-.*\.json(\.gz)?$/.test(file))
    .sort()
    .map(readGolden);
}
