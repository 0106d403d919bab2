import type { ArgumentMetadata } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { FAILURE_RATE_RULE, failureRateSchema } from '../../inventory/dto/failure-rate.schema.js';
import { schemaPipe } from '../../validation/schema.pipe.js';
import { DELAY_MS_RULE, delayMsSchema } from './delay-ms.schema.js';

const query = (name: string, schema: ArgumentMetadata['schema']): ArgumentMetadata => ({
  type: 'query',
  data: name,
  metatype: String,
  schema,
});

describe('query parameters through schemaPipe', () => {
  const failureRate = query('failureRate', failureRateSchema);
  const delayMs = query('delayMs', delayMsSchema);

  it.each([
    ['0', 0],
    ['1', 1],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['1.0', 1],
    [undefined, undefined],
  ])('reads failureRate=%j as %j', async (raw, rate) => {
    await expect(schemaPipe.transform(raw, failureRate)).resolves.toBe(rate);
  });

  it.each([['1.01'], ['-0'], ['1e-1'], ['0x1'], ['Infinity'], [''], ['NaN'], [['0.1', '0.2']]])(
    'refuses failureRate=%j with a 400 stating the rule',
    async (raw) => {
      const rejection = schemaPipe.transform(raw, failureRate);
      await expect(rejection).rejects.toBeInstanceOf(BadRequestException);
      await expect(rejection).rejects.toMatchObject({ message: FAILURE_RATE_RULE });
    },
  );

  it.each([
    ['0', 0],
    ['30000', 30_000],
    [undefined, undefined],
  ])('reads delayMs=%j as %j', async (raw, ms) => {
    await expect(schemaPipe.transform(raw, delayMs)).resolves.toBe(ms);
  });

  it.each([['30001'], ['1000000'], ['-1'], ['2.5'], ['1e3'], ['soon'], [['1', '2']]])(
    'refuses delayMs=%j with a 400 stating the rule',
    async (raw) => {
      const rejection = schemaPipe.transform(raw, delayMs);
      await expect(rejection).rejects.toBeInstanceOf(BadRequestException);
      await expect(rejection).rejects.toMatchObject({ message: DELAY_MS_RULE });
    },
  );
});
