import { Worker } from 'node:worker_threads';
import type { Log } from '../log.js';
import type { Encoding } from '../ingest/prepare.js';
import { transferList, type Prepared } from '../ingest/prepared.js';
import { MalformedRequestError } from '../otlp/model.js';
import { OldSchemaError, type RetentionPolicy } from '../store/writer.js';
import type { DecodeReply, DecodeRequest, ThreadError, WriterData, WriterReply, WriterRequest, WriterStarted } from './messages.js';

/**
 * A worker script of this folder. Compiled, it sits next to this module;
 * when this module runs as TypeScript source (the package's own tests under
 * vitest, whose setup compiles dist/ first), the compiled one is in dist/.
 */
function workerUrl(name: string): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(`../../dist/threads/${name}.js`, here) : new URL(`./${name}.js`, here);
}

/** An error from another thread as the main thread throws it. */
function rethrown(error: ThreadError): Error {
  if (error.name === 'MalformedRequestError') return new MalformedRequestError(error.message);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

/** A request without its id, for each member of a union of requests. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Call<T> {
  resolve: (value: T) => void;
  reject: (e: Error) => void;
}

/** Request/reply over one worker: each request carries an id, each reply names it. */
class Channel<Req extends { id: number }, T> {
  private nextId = 1;
  private readonly calls = new Map<number, Call<T>>();
  private failure: Error | undefined;

  constructor(
    readonly worker: Worker,
    private readonly unpack: (reply: { id: number; ok: boolean }) => { ok: true; value: T } | { ok: false; error: ThreadError },
  ) {
    worker.on('message', (reply: { id: number; ok: boolean }) => {
      if (typeof reply.id !== 'number') return;
      const call = this.calls.get(reply.id);
      if (!call) return;
      this.calls.delete(reply.id);
      const r = this.unpack(reply);
      if (r.ok) call.resolve(r.value);
      else call.reject(rethrown(r.error));
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const call of this.calls.values()) call.reject(e);
      this.calls.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a store thread exited (code ${code})`)));
  }

  get outstanding(): number {
    return this.calls.size;
  }

  call(request: WithoutId<Req>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }
}

export interface StoreThreadsOptions {
  /** The database file (for `:memory:`, a temporary file the caller removes). */
  file: string;
  /** Written without fsync: nothing of it outlives the process. */
  temporary: boolean;
  /** Decoding threads. */
  decoders: number;
  log: Log;
}

/**
 * The store's threads, seen from the main thread: decoding threads that
 * turn export bodies into what is stored (ingest/prepare.ts), and the one
 * writer thread (store/writer.ts) that commits them, applies retention and
 * deletes what the tail sampler drops. The main thread keeps HTTP and the
 * queries, so neither decoding nor writing makes a query wait.
 */
export class StoreThreads {
  private constructor(
    private readonly decoders: Channel<DecodeRequest, Prepared>[],
    private readonly writer: Channel<WriterRequest, number>,
  ) {}

  /** Starts the threads; rejects (with OldSchemaError for a file of an earlier store) when the database cannot be opened. */
  static async start(options: StoreThreadsOptions): Promise<StoreThreads> {
    const writerWorker = new Worker(workerUrl('writer-worker'), { workerData: { file: options.file, temporary: options.temporary } satisfies WriterData });
    const started = await new Promise<WriterStarted>((resolve, reject) => {
      writerWorker.once('message', resolve);
      writerWorker.once('error', reject);
    });
    if (started.type === 'failed') {
      await writerWorker.terminate();
      if (started.error.name === 'OldSchemaError') {
        const m = /schema version (\d+)/.exec(started.error.message);
        throw new OldSchemaError(options.file, Number(m?.[1] ?? 0));
      }
      throw rethrown(started.error);
    }
    const writer = new Channel<WriterRequest, number>(writerWorker, (r) => {
      const reply = r as WriterReply;
      return reply.ok ? { ok: true, value: reply.result } : { ok: false, error: reply.error };
    });
    writerWorker.on('error', (e) => options.log.error('the store writer thread failed', { error: String(e) }));
    const decoders = Array.from({ length: Math.max(1, options.decoders) }, () => {
      const worker = new Worker(workerUrl('decoder-worker'));
      worker.on('error', (e) => options.log.error('a decoding thread failed', { error: String(e) }));
      return new Channel<DecodeRequest, Prepared>(worker, (r) => {
        const reply = r as DecodeReply;
        return reply.ok ? { ok: true, value: reply.prepared } : { ok: false, error: reply.error };
      });
    });
    return new StoreThreads(decoders, writer);
  }

  /**
   * Decodes, validates and prepares an export on the least busy decoding
   * thread. Rejects with MalformedRequestError for a body that does not
   * decode. The body is handed over (transferred when it has a buffer of its
   * own): the caller must not use it afterwards.
   */
  decode(signal: 'spans' | 'logs', encoding: Encoding, body: Uint8Array): Promise<Prepared> {
    let least = this.decoders[0] as Channel<DecodeRequest, Prepared>;
    for (const d of this.decoders) if (d.outstanding < least.outstanding) least = d;
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    return least.call({ signal, encoding, body }, own ? [body.buffer] : []);
  }

  /** Commits a prepared export (sharing the transaction with those that arrive meanwhile); resolves once it is on disk. */
  write(prepared: Prepared, receivedUs: number): Promise<number> {
    return this.writer.call({ type: 'write', prepared, receivedUs }, transferList(prepared));
  }

  enforceRetention(policy: RetentionPolicy, nowUs: number, chunk: number): Promise<number> {
    return this.writer.call({ type: 'retention', policy, nowUs, chunk });
  }

  deleteTraces(traceIds: string[]): Promise<number> {
    return this.writer.call({ type: 'deleteTraces', traceIds });
  }

  /** Closes the database after the writes already sent, and ends every thread. */
  async close(): Promise<void> {
    await this.writer.call({ type: 'close' }).catch(() => 0);
    await Promise.all([this.writer.worker.terminate(), ...this.decoders.map((d) => d.worker.terminate())]);
  }
}
