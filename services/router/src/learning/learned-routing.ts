import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QualityPosteriors } from '@yardmaster/catalog';
import { RoutingFeedback } from '@yardmaster/store';
import { LearningConfig } from './learning-config.js';

/** Tenants whose exploration counts are kept (the oldest are forgotten beyond this). */
const MAX_TENANTS = 10_000;

/**
 * What the router learned from feedback, as route() uses it: a local copy of the shared
 * evidence (refreshed from Redis in the background, never read per request) in
 * {@link QualityPosteriors}, and the decision whether a request may explore. A tenant's
 * exploratory requests never exceed ROUTER_EXPLORE_PERCENT of its requests (counted by
 * this replica); exploring only changes how eligible candidates are scored, so it never
 * crosses a constraint (PII, budget, capabilities, allowed models).
 */
@Injectable()
export class LearnedRouting implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LearnedRouting.name);
  private readonly posteriors: QualityPosteriors;
  private readonly tenants = new Map<string, { total: number; explored: number }>();
  private timer: NodeJS.Timeout | undefined;
  private hasEvidence = false;
  private failing = false;

  constructor(
    @Inject(RoutingFeedback) private readonly feedback: RoutingFeedback,
    @Inject(LearningConfig) private readonly config: LearningConfig,
  ) {
    this.posteriors = new QualityPosteriors({ priorStrength: config.priorStrength });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.refreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the shared evidence. Resolves when done (tests). */
  async refresh(): Promise<void> {
    try {
      const rows = await this.feedback.snapshot();
      this.posteriors.load(rows);
      this.hasEvidence = rows.length > 0;
      if (this.failing) this.logger.log('learned evidence readable again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn(`cannot read learned evidence, keeping the last copy: ${err instanceof Error ? err.message : String(err)}`);
      this.failing = true;
    }
  }

  /** Scores seen so far (all levels). */
  get evidenceRows(): number {
    return this.posteriors.rows().length;
  }

  /** What route() gets for one request of a tenant: nothing before any feedback arrived, else the posteriors and whether to explore. */
  forRequest(tenantId: string): { posteriors: QualityPosteriors; explore: boolean } | undefined {
    if (!this.config.enabled || !this.hasEvidence) return undefined;
    let t = this.tenants.get(tenantId);
    if (!t) {
      if (this.tenants.size >= MAX_TENANTS) this.tenants.delete(this.tenants.keys().next().value!);
      t = { total: 0, explored: 0 };
      this.tenants.set(tenantId, t);
    }
    t.total++;
    // Explore while the tenant's explored share is below the cap (deterministic, so the cap holds exactly).
    const explore = this.config.exploreShare > 0 && t.explored + 1 <= this.config.exploreShare * t.total;
    if (explore) t.explored++;
    return { posteriors: this.posteriors, explore };
  }
}
