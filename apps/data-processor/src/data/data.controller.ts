import { Controller, Get, Param } from '@nestjs/common';
import { DataService } from './data.service.js';
import { dataNamePipe, dataNameSchema } from './dto/data-name.schema.js';
import type { DataResultDto } from './dto/data-result.dto.js';

@Controller('data')
export class DataController {
  constructor(private readonly dataService: DataService) {}

  @Get(':name')
  process(@Param('name', { schema: dataNameSchema, pipes: [dataNamePipe] }) name: string): Promise<DataResultDto> {
    return this.dataService.process(name);
  }
}
