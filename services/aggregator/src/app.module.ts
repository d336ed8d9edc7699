import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, ServiceIdentity } from '@yardmaster/service-kit';
import { PlanState, RedisPlanState, Store } from '@yardmaster/store';
import { AggregatorConfig } from './config.js';
import { DeadLetterConsumer } from './join/dead-letter.consumer.js';
import { FinalResponses } from './join/final-responses.js';
import { PlanExecutor } from './join/plan-executor.js';
import { ResultConsumer } from './join/result.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: AggregatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(new ServiceIdentity('aggregator', config.common))],
      providers: [{ provide: AggregatorConfig, useValue: config }, { provide: PlanState, useFactory: (store: Store) => new RedisPlanState(store), inject: [Store] }, FinalResponses, PlanExecutor, ResultConsumer, DeadLetterConsumer],
    };
  }
}
