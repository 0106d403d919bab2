import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/env.js';
import { JsonNestLogger } from '../src/telemetry/json-nest-logger.js';
import type { LogCapture } from './log-capture.js';

export interface TestApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
}

/**
 * The whole app on a free port of 127.0.0.1, configured from `env` (as
 * loadConfig reads it; process.env is not read) and logging into `logs`.
 * Close it with `app.close()`.
 */
export async function startTestApp(logs: LogCapture, env: Readonly<Record<string, string>> = {}): Promise<TestApp> {
  const logger = logs.logger();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ config: loadConfig({ DATA_PROCESSOR_PORT: '0', ...env }), logger })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: new JsonNestLogger(logger) });
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}
