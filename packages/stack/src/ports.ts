import net from 'node:net';

/**
 * Ports of the stack, each named by the environment variable that sets it,
 * so every error can say which variable to change.
 */
export class PortError extends Error {
  override readonly name = 'PortError';
}

/** A TCP port from a variable: a whole number from 1 (0 where `allowZero`: "pick a free one") to 65535. */
export function parsePort(variable: string, raw: string, { allowZero = false } = {}): number {
  const value = raw.trim();
  const n = Number(value);
  const min = allowZero ? 0 : 1;
  if (!/^\d+$/.test(value) || n < min || n > 65_535) {
    throw new PortError(`${variable} must be a port number from ${min} to 65535, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * Refuses a port given to two services (e.g. WEB_PORT=DATA_PROCESSOR_PORT):
 * the second would fail with EADDRINUSE after the first started, and a port
 * check before starting cannot see it. Port 0 ("pick a free one") never
 * collides.
 */
export function refuseDuplicates(ports: Readonly<Record<string, number>>): void {
  const byPort = new Map<number, string[]>();
  for (const [variable, port] of Object.entries(ports)) {
    if (port === 0) continue;
    byPort.set(port, [...(byPort.get(port) ?? []), variable]);
  }
  const clashes = [...byPort].filter(([, variables]) => variables.length > 1);
  if (clashes.length > 0) {
    throw new PortError(
      clashes.map(([port, variables]) => `${variables.join(' and ')} are both ${port}: each service needs a port of its own`).join('; '),
    );
  }
}

/** Resolves when `port` can be bound on `host`; otherwise rejects with the listen error. */
function tryListen(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Fails early, naming the variable to change, when a port is taken (other
 * programs may hold 3000, 4318 or 16686). `hint` ends the message, e.g. how
 * to pass the variable.
 */
export async function ensureFree(ports: Readonly<Record<string, { port: number; host: string }>>, hint = ''): Promise<void> {
  for (const [variable, { port, host }] of Object.entries(ports)) {
    if (port === 0) continue;
    try {
      await tryListen(port, host);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges to bind' : `cannot be bound (${code})`;
      throw new PortError(`port ${port} on ${host} (${variable}) ${why}; choose another with ${variable}=<port>${hint}`);
    }
  }
}

/**
 * `count` distinct ports nothing listens on right now, on `host`. All are
 * held open until every one is picked, so the kernel cannot hand the same
 * port out twice.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** Where a client reaches a listener bound to `host`: a wildcard address is reached on loopback. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** True for 127.0.0.0/8, ::1 and `localhost`: addresses no other machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}
