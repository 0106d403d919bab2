import { ServiceUnavailableException } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { startTestTracing } from '../../test/test-tracing.js';
import { spanNamed, waitForSpans } from '@tracelens/trace-testing/in-memory';
import { ATTR_INVENTORY_FAILURE_RATE, ATTR_INVENTORY_QUANTITY } from '../attributes.js';
import { loadConfig } from '../env.js';
import { CHECK_INVENTORY_SPAN, INVENTORY_UNAVAILABLE_MESSAGE, InventoryService, quantityOf } from './inventory.service.js';

describe('InventoryService', () => {
  const testTracing = startTestTracing();
  const logs = new LogCapture();
  const inventory = new InventoryService(loadConfig({ FLAKY_FAILURE_RATE: '0' }), logs.logger());
  const checkSpan = async () =>
    spanNamed(await waitForSpans(testTracing, CHECK_INVENTORY_SPAN, (seen) => seen.length > 0), CHECK_INVENTORY_SPAN);

  beforeEach(async () => {
    await testTracing.reset();
    logs.clear();
  });
  afterAll(() => testTracing.stop());

  it('answers the same quantity for the same name', () => {
    expect(quantityOf('widget')).toBe(quantityOf('widget'));
    expect(quantityOf('a')).toBe(97);
    expect(quantityOf('widget')).toBeLessThan(100);
  });

  it('never fails at the configured rate of 0', async () => {
    expect(inventory.check('widget')).toEqual({ name: 'widget', quantity: quantityOf('widget') });
    const span = await checkSpan();
    expect(span.attributes).toMatchObject({
      [ATTR_INVENTORY_FAILURE_RATE]: 0,
      [ATTR_INVENTORY_QUANTITY]: quantityOf('widget'),
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('always fails at a rate of 1, with a 503 and an ERROR span', async () => {
    expect(() => inventory.check('widget', 1)).toThrow(ServiceUnavailableException);
    const span = await checkSpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: INVENTORY_UNAVAILABLE_MESSAGE });
    expect(span.attributes).not.toHaveProperty(ATTR_INVENTORY_QUANTITY);
    expect(logs.records()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'inventory check failed', failure_rate: 1 }),
    ]);
  });
});
