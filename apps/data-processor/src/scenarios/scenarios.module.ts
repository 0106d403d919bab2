import { Module } from '@nestjs/common';
import { ContentionService } from './contention.service.js';
import { FlakyService } from './flaky.service.js';
import { InventoryClient } from './inventory.client.js';
import { ScenariosController } from './scenarios.controller.js';
import { SlowService } from './slow.service.js';

/** Contention, flaky dependency and slow work: GET /scenarios/... */
@Module({
  controllers: [ScenariosController],
  providers: [ContentionService, FlakyService, InventoryClient, SlowService],
})
export class ScenariosModule {}
