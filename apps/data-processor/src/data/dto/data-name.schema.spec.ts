import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { DATA_NAME_RULE, dataNamePipe, dataNameSchema } from './data-name.schema.js';

const metadata: ArgumentMetadata = { type: 'param', data: 'name', metatype: String, schema: dataNameSchema };

describe('dataNamePipe', () => {
  it.each(['a', 'charlie', 'charlie_error', 'v1.2-rc_3', 'A'.repeat(64)])('accepts %j', async (name) => {
    await expect(dataNamePipe.transform(name, metadata)).resolves.toBe(name);
  });

  it.each(['', 'A'.repeat(65), 'with space', 'semi;colon', 'slash/y', 'naïve', 'tab\t'])(
    'rejects %j with a 400 stating the rule',
    async (name) => {
      const rejection = dataNamePipe.transform(name, metadata);
      await expect(rejection).rejects.toBeInstanceOf(BadRequestException);
      await expect(rejection).rejects.toMatchObject({ message: DATA_NAME_RULE });
    },
  );
});
