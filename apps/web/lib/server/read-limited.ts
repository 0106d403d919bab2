import 'server-only';
export type LimitedRead = { readonly ok: true; readonly bytes: Uint8Array<ArrayBuffer> } | { readonly ok: false };

/**
 * Reads a body stream to the end unless it grows past `maxBytes`, in which
 * case it stops reading at once and cancels the stream: memory stays bounded
 * whatever Content-Length claimed (or if there was none).
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<LimitedRead> {
  if (body === null) {
    return { ok: true, bytes: new Uint8Array(0) };
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
