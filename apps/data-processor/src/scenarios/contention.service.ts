import { performance } from 'node:perf_hooks';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Logger } from '@tracelens/otel-node';
import {
  ATTR_DATA_INPUT_NAME,
  ATTR_DATA_RESULT,
  ATTR_DATA_SIMULATED_WORK_MS,
  ATTR_POOL_MAX_QUEUE,
  ATTR_POOL_REQUESTS_AHEAD,
  ATTR_POOL_SIZE,
  ATTR_POOL_WAIT_MS,
} from '../attributes.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../env.js';
import { SERVICE_VERSION, TRACER_NAME } from '../telemetry/service-info.js';
import { APP_LOGGER } from '../telemetry/telemetry.module.js';
import { CallerGoneException, markCallerGone } from './caller-signal.js';
import { ConnectionPool, PoolSaturatedError, type Lease } from './connection-pool.js';
import type { ContentionResultDto } from './dto/scenario-results.dto.js';
import { sleep } from './sleep.js';

export const WAIT_FOR_CONNECTION_SPAN = 'wait for connection';
export const USE_CONNECTION_SPAN = 'use connection';

interface Acquired {
  readonly lease: Lease;
  readonly requestsAhead: number;
  readonly waitedMs: number;
}

/**
 * The contention scenario: every request needs one of CONTENTION_POOL_SIZE
 * connections to a simulated resource, so under concurrency the
 * `wait for connection` span grows with the queue ahead of it.
 */
@Injectable()
export class ContentionService {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);
  private readonly pool: ConnectionPool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.pool = new ConnectionPool(config.contention.poolSize, config.contention.maxQueue);
  }

  /**
   * `signal` aborts when the caller goes away: a request still queued then
   * leaves the queue. Work already on a connection completes, like a
   * transaction would, and then releases it.
   */
  async run(name: string, signal?: AbortSignal): Promise<ContentionResultDto> {
    const { lease, requestsAhead, waitedMs } = await this.waitForConnection(signal);
    try {
      const { result, workMs } = await this.useConnection(name);
      this.logger.info('contention: work done', { name, requests_ahead: requestsAhead, waited_ms: waitedMs });
      return { name, result, requestsAhead, waitedMs, workMs };
    } finally {
      lease.release();
    }
  }

  private waitForConnection(signal: AbortSignal | undefined): Promise<Acquired> {
    return this.tracer.startActiveSpan(
      WAIT_FOR_CONNECTION_SPAN,
      { attributes: { [ATTR_POOL_SIZE]: this.pool.size, [ATTR_POOL_MAX_QUEUE]: this.pool.maxQueue } },
      async (span) => {
        const started = performance.now();
        const waited = (): number => Math.round(performance.now() - started);
        const ticket = this.pool.acquire(signal);
        span.setAttribute(ATTR_POOL_REQUESTS_AHEAD, ticket.requestsAhead);
        try {
          const lease = await ticket.lease;
          const waitedMs = waited();
          span.setAttribute(ATTR_POOL_WAIT_MS, waitedMs);
          return { lease, requestsAhead: ticket.requestsAhead, waitedMs };
        } catch (error) {
          span.setAttribute(ATTR_POOL_WAIT_MS, waited());
          throw this.failWait(span, error);
        } finally {
          span.end();
        }
      },
    );
  }

  /** Records why no connection was had, and turns a full queue into a 503. */
  private failWait(span: Span, error: unknown): unknown {
    if (error instanceof CallerGoneException) {
      markCallerGone(span);
      return error;
    }
    const failure =
      error instanceof PoolSaturatedError
        ? new ServiceUnavailableException(`${error.message}; try again later`, { cause: error })
        : error;
    span.recordException(failure instanceof Error ? failure : String(failure));
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure instanceof Error ? failure.message : String(failure) });
    this.logger.warn('contention: no connection', { error: failure });
    return failure;
  }

  private useConnection(name: string): Promise<{ result: string; workMs: number }> {
    const { workMs } = this.config.contention;
    return this.tracer.startActiveSpan(
      USE_CONNECTION_SPAN,
      { attributes: { [ATTR_DATA_INPUT_NAME]: name, [ATTR_DATA_SIMULATED_WORK_MS]: workMs } },
      async (span) => {
        try {
          if (workMs > 0) await sleep(workMs);
          const result = name.toUpperCase();
          span.setAttribute(ATTR_DATA_RESULT, result);
          return { result, workMs };
        } catch (error) {
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
