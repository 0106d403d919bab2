import { BadRequestException, StandardSchemaValidationPipe } from '@nestjs/common';

/**
 * Validates (and transforms) a route parameter or query value against the
 * `schema` of its decorator, e.g. `@Param('name', { schema, pipes: [schemaPipe] })`;
 * a 400 carries one readable message rather than Nest's array.
 */
export const schemaPipe = new StandardSchemaValidationPipe({
  exceptionFactory: (issues) => new BadRequestException(issues.map((issue) => issue.message).join('; ')),
});
