import { BadRequestException, StandardSchemaValidationPipe } from '@nestjs/common';
import { z } from 'zod';

/** What a `:name` may be; also keeps span attributes and log lines bounded. */
export const DATA_NAME_RULE = 'name must be 1-64 characters, each a letter, digit, "_", "-" or "."';

export const dataNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: DATA_NAME_RULE });

/** Validates `:name` against `dataNameSchema`; a 400 carries one readable message rather than Nest's array. */
export const dataNamePipe = new StandardSchemaValidationPipe({
  exceptionFactory: (issues) => new BadRequestException(issues.map((issue) => issue.message).join('; ')),
});
