import { z } from 'zod';

export const FAILURE_RATE_RULE = 'failureRate must be a number from 0 to 1';

/**
 * `?failureRate=`: optional, a plain decimal from 0 to 1 (no exponents, hex
 * or "Infinity"); a repeated parameter (an array) is refused too.
 */
export const failureRateSchema = z
  .string({ error: FAILURE_RATE_RULE })
  .trim()
  .regex(/^(\d+(\.\d*)?|\.\d+)$/, { error: FAILURE_RATE_RULE })
  .transform(Number)
  .pipe(z.number().min(0, { error: FAILURE_RATE_RULE }).max(1, { error: FAILURE_RATE_RULE }))
  .optional();
