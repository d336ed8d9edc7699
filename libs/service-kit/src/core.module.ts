import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Bus } from '@yardmaster/bus';
import type { CommonConfig } from '@yardmaster/config';
import { PipelineState, ProviderHealth, RedisPipelineState, RedisProviderHealth, Store } from '@yardmaster/store';
import { MetricsController } from './metrics.controller.js';

/** The service's name and common configuration, injectable everywhere. */
export class ServiceIdentity {
  constructor(
    readonly name: string,
    readonly common: CommonConfig,
  ) {}
}

/** Readiness checks of a service; `/readyz` is 200 only when all pass. */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, () => Promise<boolean> | boolean>();
  private draining = false;

  /** Adds a named check; it should be cheap (it runs on every probe). */
  register(name: string, check: () => Promise<boolean> | boolean): void {
    this.checks.set(name, check);
  }

  /** Reports a Kafka consumer under `name`: ready while it runs. Returns it, for `this.consumer = readiness.consumer(…, await bus.consume(…))`. */
  consumer<C extends { isRunning(): boolean }>(name: string, consumer: C): C {
    this.register(name, () => consumer.isRunning());
    return consumer;
  }

  /** Marks the service as shutting down, so load balancers stop sending to it. */
  drain(): void {
    this.draining = true;
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const results: Record<string, boolean> = { draining: !this.draining };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          results[name] = await check();
        } catch {
          results[name] = false;
        }
      }),
    );
    return { ready: Object.values(results).every(Boolean), checks: results };
  }
}

@Controller()
class HealthController {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}

  /** Liveness: the process answers HTTP. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  /** Readiness: Kafka consumers joined, Redis answers, service-specific checks pass. */
  @Get('readyz')
  async readyz(): Promise<{ status: string; checks: Record<string, boolean> }> {
    const { ready, checks } = await this.readiness.evaluate();
    if (!ready) throw new HttpException({ status: 'not_ready', checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', checks };
  }
}

/** Closes the bus (stopping consumers after their in-flight work, then flushing) and then Redis. */
@Injectable()
class ConnectionsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(Store) private readonly store: Store,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.readiness.drain();
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: finishing in-flight work`);
    await this.bus.close();
    await this.store.close();
    this.logger.log('Kafka and Redis connections closed');
  }
}

/**
 * Provides the Kafka bus, the Redis store and its pipeline-state repository, readiness
 * checks and the `/healthz`, `/readyz` and `/metrics` endpoints to a service. Import once
 * in the service's root module.
 */
@Module({})
export class CoreModule {
  static forRoot(identity: ServiceIdentity): DynamicModule {
    const logger = new Logger('Bus');
    return {
      module: CoreModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ServiceIdentity, useValue: identity },
        Readiness,
        {
          provide: Bus,
          useFactory: () =>
            Bus.connect({
              brokers: identity.common.kafka.brokers,
              clientId: identity.common.kafka.clientId,
              topicPrefix: identity.common.kafka.topicPrefix,
              sessionTimeoutMs: identity.common.kafka.sessionTimeoutMs,
              lingerMs: identity.common.kafka.lingerMs,
              compression: identity.common.kafka.compression,
              fetchMaxWaitMs: identity.common.kafka.fetchMaxWaitMs,
              logger,
            }),
        },
        {
          provide: Store,
          useFactory: async (readiness: Readiness) => {
            const store = await Store.connect({ url: identity.common.redis.url, keyPrefix: identity.common.redis.keyPrefix });
            readiness.register('redis', () => store.ping());
            return store;
          },
          inject: [Readiness],
        },
        {
          provide: PipelineState,
          // One instance id per process: it owns the final-response claims this process makes.
          useFactory: (store: Store) => new RedisPipelineState(store, `${identity.name}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`),
          inject: [Store],
        },
        // Provider health: written by the worker pools, read by the router.
        { provide: ProviderHealth, useFactory: (store: Store) => new RedisProviderHealth(store), inject: [Store] },
        ConnectionsLifecycle,
      ],
      exports: [ServiceIdentity, Readiness, Bus, Store, PipelineState, ProviderHealth],
    };
  }
}
