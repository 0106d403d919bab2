import { Controller, Get, Param, Query } from '@nestjs/common';
import { dataNameSchema } from '../data/dto/data-name.schema.js';
import { schemaPipe } from '../validation/schema.pipe.js';
import { failureRateSchema } from './dto/failure-rate.schema.js';
import type { InventoryItemDto } from './dto/inventory-item.dto.js';
import { InventoryService } from './inventory.service.js';

@Controller('downstream/inventory')
export class InventoryController {
  constructor(private readonly inventoryService: InventoryService) {}

  @Get(':name')
  check(
    @Param('name', { schema: dataNameSchema, pipes: [schemaPipe] }) name: string,
    @Query('failureRate', { schema: failureRateSchema, pipes: [schemaPipe] }) failureRate: number | undefined,
  ): InventoryItemDto {
    return this.inventoryService.check(name, failureRate);
  }
}
