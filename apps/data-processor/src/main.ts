// First import, so tracing also starts before Nest when run without `--import`
// (ES modules are evaluated in import order); with `--import` this is the same instance.
import { tracing } from './tracing.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '@tracelens/otel-node';
import { AppModule } from './app.module.js';
import { loadConfig } from './env.js';
import { JsonNestLogger } from './telemetry/json-nest-logger.js';
import { SERVICE_NAME } from './telemetry/service-info.js';

/** Whole-shutdown deadline: app close (in-flight requests) plus the tracing flush (5 s of its own). Below Docker's 10 s stop timeout. */
const SHUTDOWN_DEADLINE_MS = 9_000;

const logger = createLogger(SERVICE_NAME);

try {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.register({ config, logger }), {
    logger: new JsonNestLogger(logger),
    // Throw instead of process.abort() on a bootstrap error, so it is logged and tracing flushed.
    abortOnError: false,
  });
  await app.listen(config.port, config.host);
  // Nest types its HTTP server `any`; with the Express adapter it is Node's http.Server.
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info(`data-processor listening on ${url}`, { url, simulated_work: config.simulatedWork });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline exceeded; exiting anyway', { deadline_ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await app.close();
    } catch (error) {
      logger.error('closing the app failed', { error });
    }
    await tracing.shutdown();
    clearTimeout(deadline);
    process.exit(0);
  };
  // `once`: a second Ctrl-C gets Node's default handling and kills the process.
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
} catch (error) {
  logger.error('data-processor failed to start', { error });
  await tracing.shutdown();
  process.exit(1);
}
