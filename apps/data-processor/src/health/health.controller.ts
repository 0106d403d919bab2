import { Controller, Get } from '@nestjs/common';

export interface HealthDto {
  readonly status: 'ok';
}

/** Liveness only: the service has no dependencies whose health it could report. Not traced (see instrumentations.ts). */
@Controller('health')
export class HealthController {
  @Get()
  check(): HealthDto {
    return { status: 'ok' };
  }
}
