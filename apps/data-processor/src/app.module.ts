import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from '@tracelens/otel-node';
import { ConfigModule } from './config/config.module.js';
import { DataModule } from './data/data.module.js';
import type { AppConfig } from './env.js';
import { HealthModule } from './health/health.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { ScenariosModule } from './scenarios/scenarios.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';

export interface AppModuleOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
}

/** Built by main.ts from the parsed environment, and by tests from their own config and log sinks. */
@Module({})
export class AppModule {
  static register({ config, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        TelemetryModule.register(logger),
        DataModule,
        ScenariosModule,
        InventoryModule,
        HealthModule,
      ],
    };
  }
}
