import { BadGatewayException } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { startTestTracing } from '../../test/test-tracing.js';
import { spanNamed, waitForSpans } from '@tracelens/trace-testing/in-memory';
import {
  ATTR_RETRY_ATTEMPT,
  ATTR_RETRY_ATTEMPTS,
  ATTR_RETRY_BACKOFF_MS,
  ATTR_RETRY_OUTCOME,
} from '../attributes.js';
import { loadConfig } from '../env.js';
import type { InventoryItemDto } from '../inventory/dto/inventory-item.dto.js';
import { backoffBefore, CALL_INVENTORY_SPAN, FlakyService, INVENTORY_ATTEMPT_SPAN } from './flaky.service.js';
import { InventoryCallError, type InventoryClient } from './inventory.client.js';

/** Answers each call with the next outcome: an item, or an error to throw. */
class ScriptedInventory {
  readonly calls: number[] = [];
  constructor(private readonly outcomes: (InventoryItemDto | InventoryCallError)[]) {}

  async get(_name: string, failureRate: number): Promise<InventoryItemDto> {
    this.calls.push(failureRate);
    const outcome = this.outcomes.shift() ?? new InventoryCallError('script ran out', undefined, false);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
}

const unavailable = () => new InventoryCallError('inventory answered 503: down', 503, true);

describe('FlakyService', () => {
  const testTracing = startTestTracing();
  const logs = new LogCapture();

  function service(outcomes: (InventoryItemDto | InventoryCallError)[], maxAttempts = 4) {
    const inventory = new ScriptedInventory(outcomes);
    const config = loadConfig({ FLAKY_MAX_ATTEMPTS: String(maxAttempts), FLAKY_BACKOFF_MS: '1', FLAKY_FAILURE_RATE: '0.5' });
    return { inventory, flaky: new FlakyService(config, logs.logger(), inventory as unknown as InventoryClient) };
  }

  async function attemptsAndCall() {
    const spans = await waitForSpans(testTracing, CALL_INVENTORY_SPAN, (seen) =>
      seen.some((span) => span.name === CALL_INVENTORY_SPAN),
    );
    const attempts = spans
      .filter((span) => span.name === INVENTORY_ATTEMPT_SPAN)
      .map((span) => ({ ...span.attributes, status: span.status.code }));
    return { call: spanNamed(spans, CALL_INVENTORY_SPAN), attempts };
  }

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });
  afterAll(() => testTracing.stop());

  it('waits nothing before the first attempt, then backoffMs, doubling', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffBefore(attempt, 50))).toEqual([0, 50, 100, 200, 400]);
    expect(backoffBefore(3, 0)).toBe(0);
  });

  it('retries until the inventory answers, with the default failure rate', async () => {
    const { flaky, inventory } = service([unavailable(), unavailable(), { name: 'w', quantity: 7 }]);

    await expect(flaky.call('w')).resolves.toEqual({ name: 'w', quantity: 7, attempts: 3, backoffMs: 1 + 2 });
    expect(inventory.calls).toEqual([0.5, 0.5, 0.5]);

    const { call, attempts } = await attemptsAndCall();
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'success', [ATTR_RETRY_ATTEMPTS]: 3 });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts).toEqual([
      expect.objectContaining({ [ATTR_RETRY_ATTEMPT]: 1, [ATTR_RETRY_BACKOFF_MS]: 0, status: SpanStatusCode.ERROR }),
      expect.objectContaining({ [ATTR_RETRY_ATTEMPT]: 2, [ATTR_RETRY_BACKOFF_MS]: 1, status: SpanStatusCode.ERROR }),
      expect.objectContaining({ [ATTR_RETRY_ATTEMPT]: 3, [ATTR_RETRY_BACKOFF_MS]: 2, status: SpanStatusCode.UNSET }),
    ]);
    expect(logs.records().filter((r) => r['msg'] === 'inventory attempt failed').map((r) => r['retrying'])).toEqual([
      true,
      true,
    ]);
  });

  it('gives up after maxAttempts with a 502, the outcome exhausted', async () => {
    const { flaky } = service([unavailable(), unavailable(), unavailable()], 2);

    const failure = flaky.call('w', 1);
    await expect(failure).rejects.toBeInstanceOf(BadGatewayException);
    await expect(failure).rejects.toThrow('inventory still failing after 2 attempts (last: inventory answered 503: down)');

    const { call, attempts } = await attemptsAndCall();
    expect(attempts).toHaveLength(2);
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'exhausted', [ATTR_RETRY_ATTEMPTS]: 2 });
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('does not retry what a retry cannot fix (a 4xx)', async () => {
    const { flaky, inventory } = service([new InventoryCallError('inventory answered 400: bad name', 400, false)]);

    await expect(flaky.call('w', 0)).rejects.toThrow(
      'inventory call failed and was not retried: inventory answered 400: bad name',
    );
    expect(inventory.calls).toHaveLength(1);
    const { call } = await attemptsAndCall();
    expect(call.attributes).toMatchObject({ [ATTR_RETRY_OUTCOME]: 'rejected', [ATTR_RETRY_ATTEMPTS]: 1 });
  });
});
