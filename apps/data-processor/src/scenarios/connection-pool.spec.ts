import { describe, expect, it } from 'vitest';
import { ConnectionPool, PoolSaturatedError } from './connection-pool.js';

describe('ConnectionPool', () => {
  it('counts the requests holding or waiting ahead of each arrival', async () => {
    const pool = new ConnectionPool(2, 10);
    const tickets = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    expect(tickets.map((ticket) => ticket.requestsAhead)).toEqual([0, 1, 2, 3]);
    expect([pool.inUse, pool.waiting]).toEqual([2, 2]);
    (await tickets[0]?.lease)?.release();
    (await tickets[1]?.lease)?.release();
    (await tickets[2]?.lease)?.release();
    (await tickets[3]?.lease)?.release();
    expect([pool.inUse, pool.waiting]).toEqual([0, 0]);
  });

  it('hands a released connection to the longest waiter first', async () => {
    const pool = new ConnectionPool(1, 10);
    const granted: string[] = [];
    const first = await pool.acquire().lease;
    const waiters = ['b', 'c'].map((name) =>
      pool.acquire().lease.then((lease) => {
        granted.push(name);
        return lease;
      }),
    );

    first.release();
    first.release(); // idempotent: must not free a second connection
    const b = await waiters[0];
    expect(granted).toEqual(['b']);
    expect([pool.inUse, pool.waiting]).toEqual([1, 1]);
    b?.release();
    (await waiters[1])?.release();
    expect(granted).toEqual(['b', 'c']);
    expect([pool.inUse, pool.waiting]).toEqual([0, 0]);
  });

  it('refuses a request once maxQueue requests wait', async () => {
    const pool = new ConnectionPool(1, 1);
    const holder = await pool.acquire().lease;
    const waiter = pool.acquire();
    const refused = pool.acquire();

    expect(refused.requestsAhead).toBe(2);
    await expect(refused.lease).rejects.toEqual(new PoolSaturatedError(1, 1));
    await expect(refused.lease).rejects.toThrow('contention pool saturated: 1 requests already waiting for 1 connection');
    holder.release();
    (await waiter.lease).release();
  });

  it('takes a waiter whose caller went away out of the queue', async () => {
    const pool = new ConnectionPool(1, 10);
    const holder = await pool.acquire().lease;
    const caller = new AbortController();
    const gone = pool.acquire(caller.signal);
    const next = pool.acquire();

    caller.abort(new Error('caller went away'));
    await expect(gone.lease).rejects.toThrow('caller went away');
    expect(pool.waiting).toBe(1);
    holder.release();
    (await next.lease).release();
    expect([pool.inUse, pool.waiting]).toEqual([0, 0]);
  });

  it('does not queue a request whose caller is already gone', async () => {
    const pool = new ConnectionPool(1, 10);
    const ticket = pool.acquire(AbortSignal.abort(new Error('gone')));
    await expect(ticket.lease).rejects.toThrow('gone');
    expect([pool.inUse, pool.waiting]).toEqual([0, 0]);
  });
});
