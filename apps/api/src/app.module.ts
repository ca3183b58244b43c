import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RuntimeModule, type Runtime } from '#runtime';
import { HealthController } from './health/health.controller.js';

@Module({})
export class AppModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), RuntimeModule.register(runtime, { runProjections: runtime.config.projections === 'inline' })],
      controllers: [HealthController],
    };
  }
}
