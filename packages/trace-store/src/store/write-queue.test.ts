import { describe, expect, it } from 'vitest';
import type { ResourceLogs } from '../otlp/model.js';
import { TraceStore } from './store.js';
import { QueueFullError, WriteQueue } from './write-queue.js';

function logs(n: number): ResourceLogs[] {
  const record = {
    timeUnixNano: '1700000000000000000',
    observedTimeUnixNano: '0',
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: 'hello' },
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  return [
    {
      resource: { attributes: [], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeLogs: [{ scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', logRecords: Array(n).fill(record) }],
    },
  ];
}

describe('the write queue', () => {
  it('counts log records against its bound and refuses past it without storing anything', async () => {
    const store = new TraceStore(':memory:');
    const queue = new WriteQueue(store, 3, () => 0);
    const first = queue.write({ logs: logs(2) }, 2);
    await expect(queue.write({ logs: logs(2) }, 2)).rejects.toBeInstanceOf(QueueFullError);
    await expect(queue.write({ spans: [] }, 2)).rejects.toThrow('write queue is full (2 spans and log records waiting)');
    await first;
    expect(store.logCount()).toBe(2);
    // Once committed, the room is back.
    await queue.write({ logs: logs(3) }, 3);
    expect(store.logCount()).toBe(5);
    store.close();
  });
});
