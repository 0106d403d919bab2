import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_RESEND_COUNT } from '@opentelemetry/semantic-conventions';
import type { Logger } from '@tracelens/otel-node';
import {
  ATTR_DATA_INPUT_NAME,
  ATTR_INVENTORY_FAILURE_RATE,
  ATTR_INVENTORY_QUANTITY,
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPTS,
  ATTR_RETRY_BACKOFF_MS,
  ATTR_RETRY_MAX_ATTEMPTS,
  ATTR_RETRY_OUTCOME,
  RETRY_OUTCOME_VALUE_EXHAUSTED,
  RETRY_OUTCOME_VALUE_REJECTED,
  RETRY_OUTCOME_VALUE_SUCCESS,
} from '../attributes.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../env.js';
import type { InventoryItemDto } from '../inventory/dto/inventory-item.dto.js';
import { SERVICE_VERSION, TRACER_NAME } from '../telemetry/service-info.js';
import { APP_LOGGER } from '../telemetry/telemetry.module.js';
import type { FlakyResultDto } from './dto/scenario-results.dto.js';
import { InventoryCallError, InventoryClient } from './inventory.client.js';
import { sleep } from './sleep.js';

export const CALL_INVENTORY_SPAN = 'call inventory';
export const INVENTORY_ATTEMPT_SPAN = 'inventory attempt';

/**
 * Milliseconds to wait before `attempt` (1-based): none before the first,
 * `backoffMs` before the second, doubling after that. No jitter: this is a
 * demo, and equal gaps for equal attempts keep traces comparable.
 */
export function backoffBefore(attempt: number, backoffMs: number): number {
  return attempt <= 1 ? 0 : backoffMs * 2 ** (attempt - 2);
}

/**
 * The flaky-dependency scenario: calls the inventory downstream, which fails
 * with probability `failureRate`, retrying with exponential backoff. Each
 * attempt is a span of its own; the outcome is on the parent.
 */
@Injectable()
export class FlakyService {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly inventory: InventoryClient,
  ) {}

  /** `failureRate` defaults to FLAKY_FAILURE_RATE. Fails with a 502 once the attempts are exhausted, or on an error a retry cannot fix. */
  call(name: string, failureRate: number = this.config.flaky.failureRate): Promise<FlakyResultDto> {
    const { maxAttempts, backoffMs } = this.config.flaky;
    return this.tracer.startActiveSpan(
      CALL_INVENTORY_SPAN,
      {
        attributes: {
          [ATTR_DATA_INPUT_NAME]: name,
          [ATTR_INVENTORY_FAILURE_RATE]: failureRate,
          [ATTR_RETRY_MAX_ATTEMPTS]: maxAttempts,
        },
      },
      async (span) => {
        try {
          let waitedMs = 0;
          let lastError: InventoryCallError | undefined;
          for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            const backoff = backoffBefore(attempt, backoffMs);
            if (backoff > 0) await sleep(backoff);
            waitedMs += backoff;
            try {
              const item = await this.attempt(name, failureRate, attempt, backoff);
              span.setAttributes({
                [ATTR_RETRY_ATTEMPTS]: attempt,
                [ATTR_RETRY_OUTCOME]: RETRY_OUTCOME_VALUE_SUCCESS,
                [ATTR_INVENTORY_QUANTITY]: item.quantity,
              });
              this.logger.info('inventory answered', { name, attempts: attempt, backoff_ms: waitedMs });
              return { name, quantity: item.quantity, attempts: attempt, backoffMs: waitedMs };
            } catch (error) {
              lastError =
                error instanceof InventoryCallError ? error : new InventoryCallError(String(error), undefined, false);
              const retrying = lastError.retryable && attempt < maxAttempts;
              this.logger.warn('inventory attempt failed', { name, attempt, retrying, reason: lastError.message });
              if (!lastError.retryable) {
                span.setAttributes({ [ATTR_RETRY_ATTEMPTS]: attempt, [ATTR_RETRY_OUTCOME]: RETRY_OUTCOME_VALUE_REJECTED });
                throw new BadGatewayException(`inventory call failed and was not retried: ${lastError.message}`, {
                  cause: lastError,
                });
              }
            }
          }
          span.setAttributes({ [ATTR_RETRY_ATTEMPTS]: maxAttempts, [ATTR_RETRY_OUTCOME]: RETRY_OUTCOME_VALUE_EXHAUSTED });
          const tries = `${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}`;
          throw new BadGatewayException(`inventory still failing after ${tries} (last: ${lastError?.message})`, {
            cause: lastError,
          });
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          this.logger.error('inventory call failed', { name, error });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private attempt(name: string, failureRate: number, attempt: number, backoffMs: number): Promise<InventoryItemDto> {
    return this.tracer.startActiveSpan(
      INVENTORY_ATTEMPT_SPAN,
      {
        attributes: {
          [ATTR_RETRY_ATTEMPT]: attempt,
          [ATTR_HTTP_REQUEST_RESEND_COUNT]: attempt - 1,
          [ATTR_RETRY_BACKOFF_MS]: backoffMs,
        },
      },
      async (span) => {
        try {
          return await this.inventory.get(name, failureRate);
        } catch (error) {
          span.setAttribute(
            ATTR_ERROR_TYPE,
            error instanceof InventoryCallError && error.status !== undefined ? String(error.status) : errorName(error),
          );
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
