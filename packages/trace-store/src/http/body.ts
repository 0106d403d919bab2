import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

/** An HTTP answer other than 200 with the message to send; thrown by request handling. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `request body is larger than the limit of ${maxBytes} bytes (see --max-body)`);
}

/**
 * Reads a request body of at most `maxBytes`, refusing early on a declared
 * Content-Length over the limit, and undoes `Content-Encoding: gzip` or
 * `deflate` with the same limit on the decoded size (so a small compressed
 * bomb cannot exhaust memory).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
    req.resume();
    throw new HttpError(415, `unsupported Content-Encoding ${JSON.stringify(encoding)}: use gzip or none`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const raw = await collect(req, maxBytes);
  if (encoding === 'identity') return raw;
  try {
    const inflate = encoding === 'gzip' ? zlib.gunzipSync : zlib.inflateSync;
    return inflate(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new HttpError(400, `body is not valid ${encoding} data: ${(e as Error).message}`);
  }
}

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        // Keep draining (and discarding) so the 413 can still be delivered.
        refused = true;
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    req.on('close', () => {
      if (!ended && !refused) reject(new HttpError(400, 'the request was aborted before its body ended'));
    });
    req.on('error', (e) => reject(new HttpError(400, `could not read the request body: ${e.message}`)));
  });
}
