import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../env.js';

/** Injection token of the `AppConfig` parsed by env.ts. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the config parsed once by main.ts (or built by a test) to every module. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
