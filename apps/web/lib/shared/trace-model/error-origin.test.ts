import { describe, expect, it } from 'vitest';
import { span } from '@/test/trace-builder';
import { errorMessage, errorOrigin } from './error-origin';
import { buildTree } from './tree';

const exception = (at: number, message: string) => ({ name: 'exception', at, attributes: { 'exception.message': message } });

describe('errorOrigin', () => {
  it('is null when nothing failed', () => {
    expect(errorOrigin(buildTree([span('root', { duration: 10 })]))).toBeNull();
  });

  it('follows a failure that every caller reports in turn down to where it started', () => {
    // What "Process charlie_error" produces: ERROR at each tier on the way up.
    const tree = buildTree([
      span('click', { service: 'web-ui', duration: 100, error: true, events: [exception(95, 'HTTP 502')] }),
      span('fetch', { parent: 'click', service: 'web-ui', start: 1, duration: 90 }),
      span('route', { parent: 'fetch', service: 'frontend-api', start: 2, duration: 85, error: true }),
      span('logic', { parent: 'route', service: 'frontend-api', start: 3, duration: 80, error: true, events: [exception(82, 'data-processor answered 500')] }),
      span('server', { parent: 'logic', service: 'data-processor', start: 10, duration: 60, error: true }),
      span('internal', { parent: 'server', service: 'data-processor', start: 20, duration: 30, error: true, events: [exception(49, 'Simulated data processing error!')] }),
      span('sibling', { parent: 'server', service: 'data-processor', start: 55, duration: 5 }),
    ]);
    const origin = errorOrigin(tree);
    expect(origin?.node.key).toBe('internal');
    expect(origin?.message).toBe('Simulated data processing error!');
  });

  it('picks the error that happened first among independent ones', () => {
    const tree = buildTree([
      span('root', { duration: 100 }),
      span('late', { parent: 'root', start: 0, duration: 90, error: true }),
      span('early', { parent: 'root', start: 50, duration: 10, error: true }),
    ]);
    expect(errorOrigin(tree)?.node.key).toBe('early');
  });

  it('dates an error by its exception event when it has one', () => {
    const tree = buildTree([
      span('root', { duration: 100 }),
      span('caught-early', { parent: 'root', start: 0, duration: 90, error: true, events: [exception(5, 'boom')] }),
      span('ended-early', { parent: 'root', start: 10, duration: 10, error: true }),
    ]);
    expect(errorOrigin(tree)?.node.key).toBe('caught-early');
  });

  it('prefers the deeper span when two errors happen at the same moment', () => {
    const tree = buildTree([
      span('root', { duration: 100 }),
      span('a', { parent: 'root', start: 0, duration: 50, error: true }),
      span('b', { parent: 'root', start: 10, duration: 40 }),
      span('b1', { parent: 'b', start: 20, duration: 30, error: true }),
    ]);
    expect(errorOrigin(tree)?.node.key).toBe('b1');
  });

  it('takes a span whose erroring descendant is not a child as a separate origin (an OK span in between handled it)', () => {
    const tree = buildTree([
      span('root', { duration: 100, error: true, events: [exception(10, 'own failure')] }),
      span('retry', { parent: 'root', start: 20, duration: 50 }),
      span('attempt', { parent: 'retry', start: 30, duration: 10, error: true }),
    ]);
    expect(errorOrigin(tree)?.node.key).toBe('root');
  });

  it('finds an orphan that failed', () => {
    const tree = buildTree([span('root', { duration: 100 }), span('lost', { parent: 'gone', start: 5, duration: 5, error: true })]);
    expect(errorOrigin(tree)?.node.key).toBe('lost');
  });
});

describe('errorMessage', () => {
  it('reads the exception message, else the status description, else nothing', () => {
    expect(errorMessage(span('a', { events: [exception(0, 'boom')], attributes: { 'otel.status_description': 'status' } }))).toBe('boom');
    expect(errorMessage(span('a', { attributes: { 'otel.status_description': 'status' } }))).toBe('status');
    expect(errorMessage(span('a'))).toBeNull();
  });
});
