import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '@tracelens/otel-node';
import { ATTR_DATA_INPUT_NAME, ATTR_DATA_RESULT, ATTR_SLOW_DELAY_MS, ATTR_SLOW_ELAPSED_MS } from '../attributes.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../env.js';
import { SERVICE_VERSION, TRACER_NAME } from '../telemetry/service-info.js';
import { APP_LOGGER } from '../telemetry/telemetry.module.js';
import { CallerGoneException, markCallerGone } from './caller-signal.js';
import type { SlowResultDto } from './dto/scenario-results.dto.js';
import { sleep } from './sleep.js';

export const SLOW_WORK_SPAN = 'slow work';

/**
 * The timeout scenario's backend: work that takes `delayMs`, for a caller
 * with a shorter deadline to abort. When it does, the work stops and its span
 * says so (see markCallerGone), so the trace shows which span was cut off.
 */
@Injectable()
export class SlowService {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /** `delayMs` defaults to SLOW_DELAY_MS; `signal` aborts when the caller goes away. */
  run(name: string, delayMs: number = this.config.slow.delayMs, signal?: AbortSignal): Promise<SlowResultDto> {
    return this.tracer.startActiveSpan(
      SLOW_WORK_SPAN,
      { attributes: { [ATTR_DATA_INPUT_NAME]: name, [ATTR_SLOW_DELAY_MS]: delayMs } },
      async (span) => {
        const started = performance.now();
        try {
          await sleep(delayMs, signal);
          const result = name.toUpperCase();
          span.setAttribute(ATTR_DATA_RESULT, result);
          return { name, result, delayMs };
        } catch (error) {
          const elapsedMs = Math.round(performance.now() - started);
          if (error instanceof CallerGoneException) {
            // Not an exception of the work: an event says when the caller left.
            markCallerGone(span, { [ATTR_SLOW_ELAPSED_MS]: elapsedMs });
            this.logger.warn('slow work cut off: caller went away', { name, delay_ms: delayMs, elapsed_ms: elapsedMs });
          } else {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          }
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
