import { propagation, type Context } from '@opentelemetry/api';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '@/lib/shared/attributes';

/**
 * The W3C baggage a traced click carries: `session.id` (per tab) and
 * `user.id` (per browser profile). The W3C baggage propagator sends it in the
 * `baggage` header of the click's fetch, which, like `traceparent`, only goes
 * to our own origin; the frontend-api and the data-processor copy allowlisted
 * entries onto their spans (TRACELENS_BAGGAGE_KEYS), so one tab's traces can
 * be searched for with `session.id=…` in every tier.
 */

/** sessionStorage key of the tab's session id. */
export const SESSION_ID_KEY = 'tracelens.session.id';

/** localStorage key of the profile's anonymous user id. */
export const USER_ID_KEY = 'tracelens.user.id';

/** The baggage keys the browser sets; also the browser's allowlist for copying baggage onto its own spans. */
export const BROWSER_BAGGAGE_KEYS: readonly string[] = [ATTR_SESSION_ID, ATTR_USER_ID];

/** 128 random bits as 32 hex digits. getRandomValues, unlike randomUUID, also works outside secure contexts (plain http on a LAN address). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Storage the way the page reaches it; undefined when there is none (server render, unit tests). */
export type StorageSource = () => Storage | undefined;

/**
 * Ids for storages that cannot be used (disabled, full, or throwing on access
 * in some private modes): kept for the life of the page so its clicks still
 * agree with each other. Per storage key, never shared between keys.
 */
const fallbackIds = new Map<string, string>();

/** The id stored under `key`, created on first use. */
export function storedId(storage: StorageSource, key: string, create: () => string = randomId): string {
  try {
    const store = storage();
    if (store !== undefined) {
      const existing = store.getItem(key);
      if (existing !== null && existing !== '') return existing;
      const id = fallbackIds.get(key) ?? create();
      store.setItem(key, id);
      fallbackIds.delete(key);
      return id;
    }
  } catch {
    // Storage access refused: fall through to the per-page id.
  }
  let id = fallbackIds.get(key);
  if (id === undefined) {
    id = create();
    fallbackIds.set(key, id);
  }
  return id;
}

export interface BaggageIds {
  readonly sessionId: string;
  readonly userId: string;
}

const windowStorage =
  (name: 'sessionStorage' | 'localStorage'): StorageSource =>
  () =>
    typeof window === 'undefined' ? undefined : window[name];

/**
 * This tab's ids. `user.id` is anonymous on purpose: a random id the browser
 * made up, never an account, name or address. Baggage goes out in a header
 * and every tier writes it onto spans in the trace store, where anyone who
 * can read traces can read it, so it must tell "the same browser" apart and
 * nothing more.
 */
export function browserBaggageIds(
  sessionStorage: StorageSource = windowStorage('sessionStorage'),
  localStorage: StorageSource = windowStorage('localStorage'),
): BaggageIds {
  return { sessionId: storedId(sessionStorage, SESSION_ID_KEY), userId: storedId(localStorage, USER_ID_KEY) };
}

/** `parent` with `session.id` and `user.id` added to its baggage (other entries kept). */
export function withClickBaggage(parent: Context, ids: BaggageIds = browserBaggageIds()): Context {
  const baggage = (propagation.getBaggage(parent) ?? propagation.createBaggage())
    .setEntry(ATTR_SESSION_ID, { value: ids.sessionId })
    .setEntry(ATTR_USER_ID, { value: ids.userId });
  return propagation.setBaggage(parent, baggage);
}
