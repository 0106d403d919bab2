import { z } from 'zod';

/** What a `:name` may be; also keeps span attributes and log lines bounded. */
export const DATA_NAME_RULE = 'name must be 1-64 characters, each a letter, digit, "_", "-" or "."';

/** Validated by `schemaPipe` (src/validation), for /data and the scenarios alike. */
export const dataNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: DATA_NAME_RULE });
