import { z } from 'zod';
import { SLOW_MAX_DELAY_MS } from '../../env.js';

export const DELAY_MS_RULE = `delayMs must be a whole number of milliseconds from 0 to ${SLOW_MAX_DELAY_MS}`;

/** `?delayMs=`: optional, digits only, at most SLOW_MAX_DELAY_MS; a repeated parameter (an array) is refused too. */
export const delayMsSchema = z
  .string({ error: DELAY_MS_RULE })
  .trim()
  .regex(/^\d{1,6}$/, { error: DELAY_MS_RULE })
  .transform(Number)
  .pipe(z.number().max(SLOW_MAX_DELAY_MS, { error: DELAY_MS_RULE }))
  .optional();
