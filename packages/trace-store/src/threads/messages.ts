import type { Encoding } from '../ingest/prepare.js';
import type { Prepared } from '../ingest/prepared.js';
import type { RetentionPolicy } from '../store/writer.js';

/**
 * What the main thread and the store's threads say to each other. Errors
 * cross as their name and message: MalformedRequestError (a body that does
 * not decode, a 400) is told apart from everything else (a 503).
 */

export interface DecodeRequest {
  id: number;
  signal: 'spans' | 'logs';
  encoding: Encoding;
  body: Uint8Array;
}

export type DecodeReply = { id: number; ok: true; prepared: Prepared } | { id: number; ok: false; error: ThreadError };

export interface ThreadError {
  name: string;
  message: string;
}

export type WriterRequest =
  | { id: number; type: 'write'; prepared: Prepared; receivedUs: number }
  | { id: number; type: 'retention'; policy: RetentionPolicy; nowUs: number; chunk: number }
  | { id: number; type: 'deleteTraces'; traceIds: string[] }
  | { id: number; type: 'close' };

export type WriterReply = { id: number; ok: true; result: number } | { id: number; ok: false; error: ThreadError };

/** The writer thread's first message: its database is open and of the right schema, or why not. */
export type WriterStarted = { type: 'ready' } | { type: 'failed'; error: ThreadError };

export interface WriterData {
  file: string;
  temporary: boolean;
}

export function threadError(e: unknown): ThreadError {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
}
