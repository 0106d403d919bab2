import { BROWSER_SERVICE_NAME, DATA_PROCESSOR_SERVICE_NAME, SERVER_SERVICE_NAME } from '@/lib/shared/telemetry';

/**
 * One colour per service name, the same in every view: the live waterfall,
 * the search results and their plot, the trace page. A colour depends on the
 * name alone, never on which other services a view shows, so a service
 * never changes colour from one page to the next. Red is left out: it means
 * ERROR.
 */
export const SERVICE_PALETTE = [
  '#4f46e5', // indigo
  '#0891b2', // cyan
  '#d97706', // amber
  '#059669', // emerald
  '#db2777', // pink
  '#7c3aed', // violet
  '#65a30d', // lime
  '#0284c7', // sky
  '#ea580c', // orange
  '#64748b', // slate
] as const;

/**
 * This app's three tiers, which every click's trace shows together, have
 * colours of their own: by hash, web-ui and data-processor would share one.
 */
const PINNED: ReadonlyMap<string, string> = new Map([
  [BROWSER_SERVICE_NAME, '#0891b2'],
  [SERVER_SERVICE_NAME, '#db2777'],
  [DATA_PROCESSOR_SERVICE_NAME, '#4f46e5'],
]);

/**
 * Any other service hashes into the rest of the palette, so it never looks
 * like one of the three. Two such services can share a colour; every view
 * writes the name beside it.
 */
const HASHED_PALETTE: readonly string[] = SERVICE_PALETTE.filter((color) => ![...PINNED.values()].includes(color));

/** FNV-1a over UTF-16 code units: small, stable, good enough to spread names. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The colour of `service`, wherever it is shown. */
export function serviceColor(service: string): string {
  return PINNED.get(service) ?? (HASHED_PALETTE[hash(service) % HASHED_PALETTE.length] as string);
}

/** The colours of the services a view shows (each one `serviceColor`). */
export function serviceColors(services: readonly string[]): ReadonlyMap<string, string> {
  return new Map(services.map((service) => [service, serviceColor(service)]));
}

/** The colour of `service` in `colors`, grey for a service the map does not know. */
export const colorOf = (colors: ReadonlyMap<string, string>, service: string): string => colors.get(service) ?? '#94a3b8';
