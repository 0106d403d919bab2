import { Controller, Get, Param } from '@nestjs/common';
import { schemaPipe } from '../validation/schema.pipe.js';
import { DataService } from './data.service.js';
import { dataNameSchema } from './dto/data-name.schema.js';
import type { DataResultDto } from './dto/data-result.dto.js';

@Controller('data')
export class DataController {
  constructor(private readonly dataService: DataService) {}

  @Get(':name')
  process(@Param('name', { schema: dataNameSchema, pipes: [schemaPipe] }) name: string): Promise<DataResultDto> {
    return this.dataService.process(name);
  }
}
