import { describe, expect, it } from 'vitest';
import { hostOf } from './inventory.client.js';

describe('hostOf', () => {
  it.each([
    [{ address: '127.0.0.1', family: 'IPv4' }, '127.0.0.1'],
    [{ address: '0.0.0.0', family: 'IPv4' }, '127.0.0.1'],
    [{ address: '10.1.2.3', family: 'IPv4' }, '10.1.2.3'],
    [{ address: '::', family: 'IPv6' }, '[::1]'],
    [{ address: '::1', family: 'IPv6' }, '[::1]'],
  ])('reaches a server bound to %j at %s', (address, host) => {
    expect(hostOf(address)).toBe(host);
  });
});
