/**
 * One colour per service in a view. Each service name has a preferred colour
 * (a hash of the name), so a service looks the same on every page; when two
 * services in one view want the same colour, the one later in name order
 * takes the next free one. Services shown together share a colour only once
 * the palette runs out. Red is left out: it means ERROR.
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

/** FNV-1a over UTF-16 code units: small, stable, good enough to spread names. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function serviceColors(services: readonly string[]): ReadonlyMap<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  for (const service of [...new Set(services)].sort()) {
    let slot = hash(service) % SERVICE_PALETTE.length;
    if (taken.size < SERVICE_PALETTE.length) {
      while (taken.has(slot)) slot = (slot + 1) % SERVICE_PALETTE.length;
    }
    taken.add(slot);
    colors.set(service, SERVICE_PALETTE[slot] as string);
  }
  return colors;
}

/** The colour of `service` in `colors`, grey for a service the map does not know. */
export const colorOf = (colors: ReadonlyMap<string, string>, service: string): string => colors.get(service) ?? '#94a3b8';
