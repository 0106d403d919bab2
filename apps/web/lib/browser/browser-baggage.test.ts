import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { browserBaggageIds, randomId, SESSION_ID_KEY, storedId, USER_ID_KEY, withClickBaggage } from './browser-baggage';

/** The part of Storage the helpers use, in memory. */
class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem'> {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const source = (storage: MemoryStorage) => () => storage as unknown as Storage;

describe('randomId', () => {
  it('is 32 hex digits, new each time', () => {
    expect(randomId()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId()).not.toBe(randomId());
  });
});

describe('storedId', () => {
  it('creates the id on first use and keeps it', () => {
    const storage = new MemoryStorage();
    const first = storedId(source(storage), 'k');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(storage.items.get('k')).toBe(first);
    expect(storedId(source(storage), 'k')).toBe(first);
  });

  it('uses an id already stored', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', 'from-an-earlier-page');
    expect(storedId(source(storage), 'k')).toBe('from-an-earlier-page');
  });

  it('falls back to one id per page when storage is missing or refuses', () => {
    const refusing = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const first = storedId(refusing, 'refused-key');
    expect(storedId(refusing, 'refused-key')).toBe(first);
    expect(storedId(() => undefined, 'no-storage-key')).not.toBe(first);
  });
});

describe('browserBaggageIds', () => {
  it('keeps the session per tab (sessionStorage) and the user per profile (localStorage)', () => {
    const [tabA, tabB, profile] = [new MemoryStorage(), new MemoryStorage(), new MemoryStorage()];
    const a = browserBaggageIds(source(tabA), source(profile));
    const b = browserBaggageIds(source(tabB), source(profile));
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.userId).toBe(b.userId);
    expect(tabA.items.get(SESSION_ID_KEY)).toBe(a.sessionId);
    expect(profile.items.get(USER_ID_KEY)).toBe(a.userId);
  });
});

describe('withClickBaggage', () => {
  it('adds session.id and user.id to the baggage, keeps other entries, and is what the baggage header carries', () => {
    const parent = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ other: { value: 'kept' } }));
    const withIds = withClickBaggage(parent, { sessionId: 's1', userId: 'u1' });
    expect(Object.fromEntries(propagation.getBaggage(withIds)?.getAllEntries().map(([k, v]) => [k, v.value]) ?? [])).toEqual({
      other: 'kept',
      'session.id': 's1',
      'user.id': 'u1',
    });
    const headers: Record<string, string> = {};
    new W3CBaggagePropagator().inject(withIds, headers, { set: (carrier, key, value) => (carrier[key] = value) });
    expect(headers['baggage']?.split(',').sort()).toEqual(['other=kept', 'session.id=s1', 'user.id=u1']);
    // The caller's context is left as it was.
    expect(propagation.getBaggage(parent)?.getEntry('session.id')).toBeUndefined();
    expect(propagation.getBaggage(context.active())).toBeUndefined();
  });
});
