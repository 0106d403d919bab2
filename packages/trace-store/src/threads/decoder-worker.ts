import { parentPort } from 'node:worker_threads';
import { prepareLogs, prepareSpans } from '../ingest/prepare.js';
import { transferList } from '../ingest/prepared.js';
import { threadError, type DecodeReply, type DecodeRequest } from './messages.js';

/**
 * A decoding thread: export request bodies in, prepared exports out
 * (ingest/prepare.ts), one at a time. Several run side by side; they share
 * nothing.
 */
const port = parentPort;
if (!port) throw new Error('decoder-worker.js runs as a worker thread');
port.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    // A Buffer again (a transferred one arrives as a plain Uint8Array): protobufjs reads strings from a Buffer natively, several times faster.
    const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const prepared = request.signal === 'spans' ? prepareSpans(body, request.encoding) : prepareLogs(body, request.encoding);
    reply = { id: request.id, ok: true, prepared };
    port.postMessage(reply, transferList(prepared));
  } catch (e) {
    reply = { id: request.id, ok: false, error: threadError(e) };
    port.postMessage(reply);
  }
});
