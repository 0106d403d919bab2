import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { schemaPipe } from '../../validation/schema.pipe.js';
import { DATA_NAME_RULE, dataNameSchema } from './data-name.schema.js';

const metadata: ArgumentMetadata = { type: 'param', data: 'name', metatype: String, schema: dataNameSchema };

describe('dataNameSchema through schemaPipe', () => {
  it.each(['a', 'charlie', 'charlie_error', 'v1.2-rc_3', 'A'.repeat(64)])('accepts %j', async (name) => {
    await expect(schemaPipe.transform(name, metadata)).resolves.toBe(name);
  });

  it.each(['', 'A'.repeat(65), 'with space', 'semi;colon', 'slash/y', 'naïve', 'tab\t'])(
    'rejects %j with a 400 stating the rule',
    async (name) => {
      const rejection = schemaPipe.transform(name, metadata);
      await expect(rejection).rejects.toBeInstanceOf(BadRequestException);
      await expect(rejection).rejects.toMatchObject({ message: DATA_NAME_RULE });
    },
  );
});
