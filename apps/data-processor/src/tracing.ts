/*
 * The tracing entry point, loaded first by bin/tracelens-data-processor.js
 * (the same as `node --import ./dist/tracing.js dist/main.js`). It must run
 * before any @nestjs, express or http module is evaluated, so that the
 * instrumentations are in place when those load. main.ts imports it
 * too, only to reach `tracing.shutdown()`; ES modules are evaluated once, so
 * that import reuses this instance.
 */
import { startNodeTracing } from '@tracelens/otel-node';
import { createInstrumentations } from './telemetry/instrumentations.js';
import { SERVICE_NAME, SERVICE_VERSION } from './telemetry/service-info.js';

export const tracing = startNodeTracing({
  serviceName: SERVICE_NAME,
  serviceVersion: SERVICE_VERSION,
  instrumentations: createInstrumentations(),
});
