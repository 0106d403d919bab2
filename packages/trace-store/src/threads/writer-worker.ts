import { parentPort, workerData } from 'node:worker_threads';
import type { PreparedLogs, PreparedSpans } from '../ingest/prepared.js';
import { StoreWriter } from '../store/writer.js';
import { threadError, type WriterData, type WriterReply, type WriterRequest, type WriterStarted } from './messages.js';

/**
 * The writer thread: the one connection that writes (store/writer.ts).
 * Group commit: the exports that arrive while a commit is running are
 * queued and share the next transaction (one fsync), and each is answered
 * only once that transaction has committed. Other requests (retention, the
 * tail sampler's deletes) run in the order they came, after the writes
 * queued before them.
 */
const port = parentPort;
if (!port) throw new Error('writer-worker.js runs as a worker thread');
const { file, temporary } = workerData as WriterData;

let writer: StoreWriter;
try {
  writer = new StoreWriter(file, { temporary });
  port.postMessage({ type: 'ready' } satisfies WriterStarted);
} catch (e) {
  port.postMessage({ type: 'failed', error: threadError(e) } satisfies WriterStarted);
  process.exit(0);
}

let pending: Extract<WriterRequest, { type: 'write' }>[] = [];
let scheduled = false;

function reply(message: WriterReply): void {
  port?.postMessage(message);
}

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  const spans: PreparedSpans[] = [];
  const logs: PreparedLogs[] = [];
  let receivedUs = 0;
  for (const w of batch) {
    if (w.prepared.signal === 'spans') spans.push(w.prepared);
    else logs.push(w.prepared);
    receivedUs = Math.max(receivedUs, w.receivedUs);
  }
  try {
    writer.write({ spans, logs }, receivedUs);
    for (const w of batch) reply({ id: w.id, ok: true, result: w.prepared.accepted });
  } catch (e) {
    const error = threadError(e);
    for (const w of batch) reply({ id: w.id, ok: false, error });
  }
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'write') {
    pending.push(request);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return;
  }
  // In order: what was queued before this request is written first.
  flush();
  try {
    switch (request.type) {
      case 'retention':
        reply({ id: request.id, ok: true, result: writer.enforceRetention(request.policy, request.nowUs, request.chunk) });
        break;
      case 'deleteTraces':
        reply({ id: request.id, ok: true, result: writer.deleteTraces(request.traceIds) });
        break;
      case 'close':
        writer.close();
        reply({ id: request.id, ok: true, result: 0 });
        port.close();
        break;
    }
  } catch (e) {
    reply({ id: request.id, ok: false, error: threadError(e) });
  }
});
