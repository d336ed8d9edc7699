import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { scrubSecrets } from '@yardmaster/config';
import { PROVIDER_FAULTS, ProviderError, backoffDelay, type GenerationAnswer, type KeyRing, type GenerationRequest, type PickedKey, type ProviderAdapter } from '@yardmaster/providers';
import { healthTarget, type GateAdmission, type GateLease, type GateScope, type ProviderGate, type ProviderHealth, type Settlement } from '@yardmaster/store';
import type { LimitConfig, ProviderConfig } from '../config.js';
import type { CallTarget, PoolMetrics } from './metrics.js';

/** One call to make: the request for the target, its tenant, and its time limits. */
export interface CallPlan {
  readonly target: CallTarget;
  readonly request: GenerationRequest;
  readonly tenantId: string;
  /** Prompt tokens as the classifier estimated them (for the TPM reservation). */
  readonly promptTokens: number;
  /** Epoch ms when the request's deadline passes (Infinity when it has none). */
  readonly deadlineMs: number;
  /** Whether the decision has a next target the aggregator falls back to. */
  readonly hasFallback: boolean;
  /** Aborts the call (cancellation, a partition moving away). */
  readonly signal: AbortSignal;
  /**
   * Takes the answer's text deltas for a streaming caller (the call then streams even when
   * the pool does not). Once it has `started`, a failed attempt is not retried: the caller
   * has part of an answer that another attempt would not continue.
   */
  readonly relay?: { delta(text: string): void; attempting?(): void; readonly started: boolean };
  /**
   * Must resolve before the provider is called; awaited beside the first admission through
   * the gate, so a check that needs its own Redis round trip (is the item done, was it
   * cancelled?) costs no extra time before the call. When it rejects, nothing is called, the
   * gate's lease is released, and `call` rejects with that reason unchanged.
   */
  readonly precheck?: Promise<void>;
}

/** A successful call. */
export interface CallSuccess {
  readonly answer: GenerationAnswer;
  readonly attempts: number;
  /**
   * The gate's lease being given back (never rejects). It is off the answer's path: await
   * it beside publishing the answer, not before.
   */
  readonly settled: Promise<void>;
}

/** Thrown with the attempts made. */
export type CallFailure = ProviderError & { attempts: number };

/** Redis calls after a provider call never fail the call: the lease expires, the health catches up. */
async function quietly<T>(logger: Logger, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    logger.warn(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * Executes one work item's provider call with everything a pool shares with its sibling
 * replicas: admission through the shared gate (breaker, 429 cooldown, RPM/TPM/in-flight
 * limits), keys rotated on 429, per-attempt timeouts (time to first byte and total),
 * retries with full-jitter backoff that honour Retry-After, all inside the request's
 * deadline - and, when a fallback target exists, inside a share of it, so that a hung or
 * open-circuited primary leaves the fallback time to answer. Every attempt's outcome
 * feeds the shared breaker and the provider health the router reads.
 */
export class ProviderCaller {
  private readonly logger = new Logger(ProviderCaller.name);
  private readonly lastHeadroom = new Map<string, number>();

  constructor(
    private readonly adapter: ProviderAdapter,
    private readonly keys: KeyRing,
    private readonly gate: ProviderGate | undefined,
    private readonly health: ProviderHealth,
    private readonly config: ProviderConfig,
    private readonly limits: LimitConfig,
    private readonly metrics: PoolMetrics,
  ) {}

  /** The scopes a call counts against: provider, model and tenant (only those with a limit). */
  scopes(plan: CallPlan): GateScope[] {
    const l = this.limits;
    const model = l.models[plan.target.model] ?? l.models['*'];
    const scopes: GateScope[] = [];
    if (l.provider.rpm || l.provider.tpm || l.provider.maxInFlight) scopes.push({ name: 'provider', ...l.provider });
    if (model && (model.rpm || model.tpm || model.maxInFlight)) scopes.push({ name: `model:${plan.target.model}`, ...model });
    if (plan.tenantId && (l.tenant.rpm || l.tenant.tpm)) scopes.push({ name: `tenant:${plan.tenantId}`, ...l.tenant });
    return scopes;
  }

  /**
   * Calls the provider until it answers, fails for good, or the time or attempts run out.
   * @throws CallFailure: the last error, `deadline_exceeded`, `cancelled`, `circuit_open`
   *   or `rate_limited` when the gate would hold the call past what it may wait.
   */
  async call(plan: CallPlan): Promise<CallSuccess> {
    const c = this.config;
    const started = Date.now();
    // With a fallback, this target may use only a share of the time left (a hung primary
    // must leave the fallback time to answer); without one, all of it.
    const budgetEnd = plan.hasFallback && Number.isFinite(plan.deadlineMs) ? started + (plan.deadlineMs - started) * c.fallbackShare : plan.deadlineMs;
    const end = Number.isFinite(budgetEnd) ? budgetEnd : started + c.timeoutMs * c.maxAttempts * 2;
    const reserve = plan.promptTokens + (plan.request.maxTokens ?? c.reserveOutputTokens);
    const scopes = this.gate ? this.scopes(plan) : [];
    let attempts = 0;
    let last: ProviderError | undefined;
    const fail = (err: ProviderError): CallFailure => Object.assign(err, { attempts });
    let precheck = plan.precheck;
    const outOfTime = (): CallFailure =>
      fail(
        end >= plan.deadlineMs
          ? new ProviderError('deadline_exceeded', `deadline passed after ${attempts} attempt(s)${last ? `; last error: ${last.message}` : ''}`, undefined, undefined, { cause: last })
          : last ?? new ProviderError('timeout', `no answer within this target's share of the deadline (${Math.round(end - started)} ms); falling back`),
      );

    for (;;) {
      if (plan.signal.aborted) throw fail(ProviderError.from(plan.signal.reason));
      if (Date.now() >= end) throw outOfTime();
      let lease: GateLease | undefined;
      if (this.gate) {
        const admitting = this.gate.admit({ provider: plan.target.provider, model: plan.target.model, scopes, tokens: reserve, leaseMs: c.timeoutMs + 5000 });
        let admission: GateAdmission;
        if (precheck) {
          // Both round trips at once; a failed check gives back a lease it got.
          const [admitted, checked] = await Promise.allSettled([admitting, precheck]);
          precheck = undefined;
          if (checked.status === 'rejected') {
            if (admitted.status === 'fulfilled' && admitted.value.admitted) await this.settle(plan.target, admitted.value.lease, { verdict: 'neutral' });
            throw checked.reason;
          }
          if (admitted.status === 'rejected') throw admitted.reason;
          admission = admitted.value;
        } else {
          admission = await admitting;
        }
        if (!admission.admitted) {
          await this.holdBack(plan, admission, end, () => attempts, last);
          continue;
        }
        lease = admission.lease;
        this.metrics.breaker(plan.target, lease.probe ? 'half_open' : 'closed');
        this.reportHeadroom(plan.target, admission.headroom);
      }
      if (precheck) {
        await precheck;
        precheck = undefined;
      }
      const { picked, resting, wakeAt } = this.keys.pick();
      if (resting) {
        // Every key of this replica rests after 429s: a shared cooldown until the first wakes.
        if (lease) await this.settle(plan.target, lease, { verdict: 'neutral', cooldownUntilMs: wakeAt }, 'every API key is rate-limited');
        else if (wakeAt >= end) throw outOfTime();
        else await sleep(wakeAt - Date.now(), undefined, { signal: plan.signal }).catch(() => undefined);
        continue;
      }
      attempts++;
      const attemptStarted = Date.now();
      const timeout = AbortSignal.timeout(Math.max(1, Math.floor(Math.min(c.timeoutMs, end - attemptStarted))));
      const cutByBudget = end - attemptStarted <= c.timeoutMs;
      this.metrics.callStarted(plan.target);
      plan.relay?.attempting?.();
      try {
        const answer = await this.adapter.generate(plan.request, {
          signal: AbortSignal.any([plan.signal, timeout]),
          apiKey: picked?.key,
          stream: (c.stream || plan.relay !== undefined) && this.adapter.streams,
          firstByteTimeoutMs: c.firstByteTimeoutMs,
          ...(plan.relay ? { onDelta: (text: string) => plan.relay!.delta(text) } : {}),
        });
        this.metrics.attempt(plan.target, undefined);
        const settled = lease ? this.settle(plan.target, lease, { verdict: 'ok', actualTokens: answer.inputTokens + answer.outputTokens }) : Promise.resolve();
        // The health EWMAs are for the router's next decisions: written off the answer's path.
        void quietly(this.logger, 'health record', () => this.health.record(healthTarget(plan.target.provider, plan.target.model), { ok: true, latencyMs: Date.now() - attemptStarted }));
        return { answer, attempts, settled };
      } catch (err) {
        let e = ProviderError.from(err);
        if (plan.signal.aborted) e = ProviderError.from(plan.signal.reason);
        else if (timeout.aborted && e.code === 'timeout' && cutByBudget && end >= plan.deadlineMs) {
          e = new ProviderError('deadline_exceeded', `deadline passed during attempt ${attempts}: ${e.message}`, undefined, undefined, { cause: e });
        }
        e = e.withMessage(scrubSecrets(e.message, this.keys.secrets()));
        last = e;
        this.metrics.attempt(plan.target, e.code);
        const cooldownUntilMs = e.code === 'rate_limited' ? this.throttled(plan.target, picked, e) : undefined;
        if (lease) {
          const verdict = !plan.signal.aborted && PROVIDER_FAULTS.has(e.code) ? 'fault' : 'neutral';
          await this.settle(plan.target, lease, { verdict, cooldownUntilMs }, e.message);
        }
        void quietly(this.logger, 'health record', () =>
          this.health.record(healthTarget(plan.target.provider, plan.target.model), { ok: false, latencyMs: Date.now() - attemptStarted, errorCode: e.code }),
        );
        if (!e.retriable || attempts >= c.maxAttempts || plan.signal.aborted || plan.relay?.started) throw fail(e);
        // A timeout with a fallback waiting: the next attempt would most likely hang too.
        if (e.code === 'timeout' && plan.hasFallback) throw fail(e);
        // A 429 on one key while another is awake: retry on that key at once.
        if (e.code === 'rate_limited' && this.keys.size > 1 && this.keys.anyAwake()) {
          this.metrics.rotated(plan.target);
          continue;
        }
        const delay = backoffDelay(attempts, c.retryBaseMs, c.retryMaxMs, e.retryAfterMs);
        if (Date.now() + delay >= end) throw fail(e);
        await sleep(delay, undefined, { signal: plan.signal }).catch(() => undefined);
      } finally {
        this.metrics.callEnded(plan.target);
      }
    }
  }

  /**
   * The gate said not now. With a fallback, an open circuit or a provider cooldown ends
   * the call at once (the aggregator tries the next target; no retry storm against a sick
   * provider); a rate-limit or in-flight wait within `maxWaitMs` is waited out. Without a
   * fallback, anything that ends before the deadline is waited out. Waiting holds this
   * handler's slot, so a throttled pool stops taking new work from Kafka.
   */
  private async holdBack(plan: CallPlan, denial: Extract<GateAdmission, { admitted: false }>, end: number, attempts: () => number, last: ProviderError | undefined): Promise<void> {
    this.metrics.denied(plan.target, denial.reason);
    if (denial.reason === 'circuit_open') this.metrics.breaker(plan.target, 'open');
    const now = Date.now();
    const code = denial.reason === 'circuit_open' ? 'circuit_open' : 'rate_limited';
    const failure = (why: string) =>
      Object.assign(new ProviderError(code, `${why} (${denial.reason} on ${denial.scope})${last ? `; last error: ${last.message}` : ''}`, undefined, Math.max(0, denial.retryAtMs - now)), { attempts: attempts() });
    if (denial.reason === 'too_large') {
      throw Object.assign(new ProviderError('bad_request', `the request needs more tokens than the ${denial.scope} TPM limit allows`), { attempts: attempts() });
    }
    if (plan.hasFallback && (denial.reason === 'circuit_open' || denial.reason === 'cooldown')) throw failure('provider unavailable, falling back');
    // An in-flight slot (or another replica's probe) usually frees long before its lease
    // runs out: look again shortly. A little jitter keeps held-back calls of every replica
    // from returning at the same instant.
    const polls = denial.reason === 'saturated' || denial.reason === 'circuit_open';
    const wakeAt = (polls ? Math.min(denial.retryAtMs, now + 100) : Math.max(now + 5, denial.retryAtMs)) + Math.random() * 50;
    const limit = plan.hasFallback ? Math.min(end, now + this.config.maxWaitMs) : end;
    if (wakeAt >= limit) throw failure(plan.hasFallback ? 'provider busy longer than the pool may wait' : 'provider unavailable until after the deadline');
    await sleep(wakeAt - now, undefined, { signal: plan.signal }).catch(() => undefined);
    this.metrics.waited(plan.target, denial.reason, Date.now() - now);
  }

  /** A 429: rests the key; returns the shared cooldown when no other key of this replica can take over. */
  private throttled(target: CallTarget, picked: PickedKey | undefined, e: ProviderError): number | undefined {
    const until = Date.now() + (e.retryAfterMs ?? this.config.cooldownMs);
    if (picked && this.keys.size > 1) {
      this.keys.rest(picked.id, until);
      this.logger.warn(`${target.provider}: ${picked.id} rate-limited until ${new Date(until).toISOString()}; rotating`);
      if (this.keys.anyAwake()) return undefined;
    }
    return until;
  }

  /** Settles a lease and mirrors breaker and cooldown changes into the health the router reads. */
  private async settle(target: CallTarget, lease: GateLease, outcome: { verdict: 'ok' | 'fault' | 'neutral'; actualTokens?: number; cooldownUntilMs?: number | undefined }, reason = ''): Promise<void> {
    const s: Settlement | undefined = await quietly(this.logger, 'gate settle', () => this.gate!.settle(lease, outcome));
    if (!s) return;
    const key = healthTarget(target.provider, target.model);
    if (s.transition === 'opened') {
      this.metrics.breaker(target, 'open');
      this.logger.warn(`${key}: circuit opened until ${new Date(s.openUntilMs).toISOString()}: ${reason}`);
      await quietly(this.logger, 'health openCircuit', () => this.health.openCircuit(key, s.openUntilMs, reason.slice(0, 200)));
    } else if (s.transition === 'closed') {
      this.metrics.breaker(target, 'closed');
      this.logger.log(`${key}: circuit closed (probe succeeded)`);
      await quietly(this.logger, 'health closeCircuit', () => this.health.closeCircuit(key));
    }
    if (outcome.cooldownUntilMs !== undefined && s.cooldownUntilMs > Date.now()) {
      await quietly(this.logger, 'health cooldown', () => this.health.cooldown(key, s.cooldownUntilMs, `429: ${reason}`.slice(0, 200)));
    }
  }

  /** Headroom of the shared limits, for the router; at most once a second per deployment. */
  private reportHeadroom(target: CallTarget, headroom: number | undefined): void {
    if (headroom === undefined) return;
    const key = healthTarget(target.provider, target.model);
    const now = Date.now();
    if ((this.lastHeadroom.get(key) ?? 0) > now - 1000) return;
    this.lastHeadroom.set(key, now);
    void quietly(this.logger, 'health headroom', () => this.health.setHeadroom(key, headroom));
  }
}
