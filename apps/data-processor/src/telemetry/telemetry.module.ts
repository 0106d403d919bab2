import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from '@tracelens/otel-node';
import { NestSpanInterceptor } from './nest-span.interceptor.js';

/** Injection token of the app's @tracelens/otel-node `Logger`. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/**
 * The app's logger (created by main.ts, or by a test with its own sinks) and
 * the global interceptor that produces Nest spans and `http.route`.
 */
@Global()
@Module({})
export class TelemetryModule {
  static register(logger: Logger): DynamicModule {
    return {
      module: TelemetryModule,
      providers: [
        { provide: APP_LOGGER, useValue: logger },
        { provide: APP_INTERCEPTOR, useClass: NestSpanInterceptor },
      ],
      exports: [APP_LOGGER],
    };
  }
}
