/** A trace id of 32 lowercase hex digits as the 16 bytes the store keys chunks by. */
export function traceIdBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

/** The 32 lowercase hex digits of a stored trace id. */
export function traceIdHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
