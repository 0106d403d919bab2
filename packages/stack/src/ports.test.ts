import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortError, ensureFree, freePorts, isLoopback, parsePort, refuseDuplicates } from './ports.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function occupy(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

describe('ports', () => {
  it('parses a port and names the variable of a bad one', () => {
    expect(parsePort('WEB_PORT', ' 3000 ')).toBe(3000);
    expect(() => parsePort('WEB_PORT', 'abc')).toThrow('WEB_PORT must be a port number from 1 to 65535, got "abc"');
    expect(() => parsePort('WEB_PORT', '0')).toThrow(PortError);
    expect(parsePort('JAEGER_HEALTH_PORT', '0', { allowZero: true })).toBe(0);
    expect(() => parsePort('WEB_PORT', '65536')).toThrow(/65535/);
  });

  it('refuses the same port given twice, naming both variables', () => {
    expect(() => refuseDuplicates({ WEB_PORT: 3001, DATA_PROCESSOR_PORT: 3001, COLLECTOR_OTLP_PORT: 4318 })).toThrow(
      'WEB_PORT and DATA_PROCESSOR_PORT are both 3001: each service needs a port of its own',
    );
    // 0 means "pick a free one", never a clash.
    expect(() => refuseDuplicates({ JAEGER_HEALTH_PORT: 0, JAEGER_OTLP_GRPC_PORT: 0 })).not.toThrow();
  });

  it('says which port is taken and which variable moves it', async () => {
    const taken = await occupy();
    await expect(ensureFree({ WEB_PORT: { port: taken, host: '127.0.0.1' } }, ' npm start')).rejects.toThrow(
      `port ${taken} on 127.0.0.1 (WEB_PORT) is already in use; choose another with WEB_PORT=<port> npm start`,
    );
  });

  it('picks distinct free ports', async () => {
    const ports = await freePorts(6);
    expect(new Set(ports).size).toBe(6);
    await ensureFree(Object.fromEntries(ports.map((port, i) => [`P${i}`, { port, host: '127.0.0.1' }])));
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2']) expect(isLoopback(host), host).toBe(false);
  });
});
