import { Inject, Injectable, InternalServerErrorException } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '@tracelens/otel-node';
import { ATTR_DATA_INPUT_NAME, ATTR_DATA_RESULT, ATTR_DATA_SIMULATED_WORK_MS } from '../attributes.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../env.js';
import { SERVICE_VERSION, TRACER_NAME } from '../telemetry/service-info.js';
import { APP_LOGGER } from '../telemetry/telemetry.module.js';
import type { DataResultDto } from './dto/data-result.dto.js';

export const PROCESS_DATA_SPAN = 'process-data-internal';
export const SIMULATED_ERROR_MESSAGE = 'Simulated data processing error!';

/** 100 ms + 10 ms per character: enough for the span to be visible in a trace view. */
export function simulatedWorkMillis(name: string): number {
  return 100 + 10 * name.length;
}

@Injectable()
export class DataService {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Upper-cases `name` after the simulated work. A name containing "error"
   * (any case) fails with a 500, so the error path can be traced on demand.
   */
  process(name: string): Promise<DataResultDto> {
    return this.tracer.startActiveSpan(
      PROCESS_DATA_SPAN,
      { attributes: { [ATTR_DATA_INPUT_NAME]: name } },
      async (span) => {
        try {
          const simulatedWorkMs = this.config.simulatedWork ? simulatedWorkMillis(name) : 0;
          span.setAttribute(ATTR_DATA_SIMULATED_WORK_MS, simulatedWorkMs);
          if (simulatedWorkMs > 0) await delay(simulatedWorkMs);

          if (name.toLowerCase().includes('error')) {
            throw new InternalServerErrorException(SIMULATED_ERROR_MESSAGE);
          }

          const result = name.toUpperCase();
          span.setAttribute(ATTR_DATA_RESULT, result);
          this.logger.info('data processed', { name, result, simulated_work_ms: simulatedWorkMs });
          return { name, result, length: name.length, simulatedWorkMs };
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          this.logger.error('data processing failed', { name, error });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

/** The global setTimeout (not timers/promises), so unit tests can fake it. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
