import { Controller, Get, Param, Query } from '@nestjs/common';
import { dataNameSchema } from '../data/dto/data-name.schema.js';
import { failureRateSchema } from '../inventory/dto/failure-rate.schema.js';
import { schemaPipe } from '../validation/schema.pipe.js';
import { CallerSignal } from './caller-signal.js';
import { ContentionService } from './contention.service.js';
import { delayMsSchema } from './dto/delay-ms.schema.js';
import type { ContentionResultDto, FlakyResultDto, SlowResultDto } from './dto/scenario-results.dto.js';
import { FlakyService } from './flaky.service.js';
import { SlowService } from './slow.service.js';

const NAME = { schema: dataNameSchema, pipes: [schemaPipe] };

/** Demo scenarios, each a real code path whose trace tells a story (see the README's span trees). */
@Controller('scenarios')
export class ScenariosController {
  constructor(
    private readonly contentionService: ContentionService,
    private readonly flakyService: FlakyService,
    private readonly slowService: SlowService,
  ) {}

  @Get('contention/:name')
  contention(@Param('name', NAME) name: string, @CallerSignal() signal: AbortSignal): Promise<ContentionResultDto> {
    return this.contentionService.run(name, signal);
  }

  @Get('flaky/:name')
  flaky(
    @Param('name', NAME) name: string,
    @Query('failureRate', { schema: failureRateSchema, pipes: [schemaPipe] }) failureRate: number | undefined,
  ): Promise<FlakyResultDto> {
    return this.flakyService.call(name, failureRate);
  }

  @Get('slow/:name')
  slow(
    @Param('name', NAME) name: string,
    @Query('delayMs', { schema: delayMsSchema, pipes: [schemaPipe] }) delayMs: number | undefined,
    @CallerSignal() signal: AbortSignal,
  ): Promise<SlowResultDto> {
    return this.slowService.run(name, delayMs, signal);
  }
}
