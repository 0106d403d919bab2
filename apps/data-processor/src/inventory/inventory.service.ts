import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '@tracelens/otel-node';
import { ATTR_DATA_INPUT_NAME, ATTR_INVENTORY_FAILURE_RATE, ATTR_INVENTORY_QUANTITY } from '../attributes.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../env.js';
import { SERVICE_VERSION, TRACER_NAME } from '../telemetry/service-info.js';
import { APP_LOGGER } from '../telemetry/telemetry.module.js';
import type { InventoryItemDto } from './dto/inventory-item.dto.js';

export const CHECK_INVENTORY_SPAN = 'check inventory';
export const INVENTORY_UNAVAILABLE_MESSAGE = 'inventory temporarily unavailable (simulated failure)';

/** Quantity in stock of `name`: the sum of its character codes, modulo 100. */
export function quantityOf(name: string): number {
  let sum = 0;
  for (const char of name) sum += char.codePointAt(0) ?? 0;
  return sum % 100;
}

/**
 * The "downstream" the flaky scenario calls: a dependency that fails with a
 * 503 with probability `failureRate`. It lives in this app, but is reached
 * over real HTTP, so it has its own server span in the caller's trace.
 */
@Injectable()
export class InventoryService {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /** `failureRate` defaults to FLAKY_FAILURE_RATE; 0 never fails, 1 always does. */
  check(name: string, failureRate: number = this.config.flaky.failureRate): InventoryItemDto {
    return this.tracer.startActiveSpan(
      CHECK_INVENTORY_SPAN,
      { attributes: { [ATTR_DATA_INPUT_NAME]: name, [ATTR_INVENTORY_FAILURE_RATE]: failureRate } },
      (span) => {
        try {
          // Math.random() is in [0, 1): a rate of 1 always fails, 0 never does.
          if (Math.random() < failureRate) {
            throw new ServiceUnavailableException(INVENTORY_UNAVAILABLE_MESSAGE);
          }
          const quantity = quantityOf(name);
          span.setAttribute(ATTR_INVENTORY_QUANTITY, quantity);
          return { name, quantity };
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          // Expected at the configured rate: the reason, not a stack, is what a reader needs.
          const reason = error instanceof Error ? error.message : String(error);
          this.logger.warn('inventory check failed', { name, failure_rate: failureRate, reason });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
