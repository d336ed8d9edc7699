import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HealthView, TargetHealthView } from '@yardmaster/catalog';
import { ProviderHealth, type TargetHealth } from '@yardmaster/store';
import { RouterConfig } from '../config.js';

/**
 * Provider health as the router reads it: a local copy of every target's health,
 * refreshed from Redis in the background every ROUTER_HEALTH_REFRESH_MS (one snapshot
 * round trip for all targets), so a decision never waits on Redis. When Redis cannot be
 * read, the last snapshot stays in use (and routing falls back to the priors for targets
 * it never saw).
 */
@Injectable()
export class HealthCache implements HealthView, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthCache.name);
  private targets: ReadonlyMap<string, TargetHealth> = new Map();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private refreshing: Promise<void> | undefined;

  constructor(
    @Inject(ProviderHealth) private readonly health: ProviderHealth,
    @Inject(RouterConfig) private readonly config: RouterConfig,
  ) {}

  get(target: string): TargetHealthView | undefined {
    return this.targets.get(target);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.healthRefreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads a fresh snapshot (one at a time). Resolves when done (tests). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      this.targets = await this.health.snapshot();
      if (this.failing) this.logger.log(`provider health readable again (${this.targets.size} targets)`);
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn(`cannot read provider health, keeping the last snapshot: ${err instanceof Error ? err.message : String(err)}`);
      this.failing = true;
    }
  }
}
