import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 that answers what `answer` says, standing in for a query API. */
export interface ReplayServer {
  readonly url: string;
  /** Paths with query strings, as received, since the start or the last `reset`. */
  readonly received: string[];
  reset(): void;
  close(): Promise<void>;
}

/** `answer` may leave a request unanswered to play a hung store. */
export async function startReplayServer(answer: (pathAndQuery: string, response: ServerResponse) => void): Promise<ReplayServer> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.url ?? '');
    answer(request.url ?? '', response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    reset: () => received.splice(0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Writes `body` as JSON text (or as it is, for a string) with the status and content type given. */
export function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) }).end(text);
}
