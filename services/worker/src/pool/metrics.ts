import { metrics, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';

/** The OpenTelemetry GenAI client metrics the worker records. */
export const GenAiMetricNames = Object.freeze({
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
});

/** The worker's own instruments (no GenAI convention exists for them). */
export const PoolMetricNames = Object.freeze({
  inflight: 'yardmaster.worker.inflight',
  attempts: 'yardmaster.worker.attempts',
  results: 'yardmaster.worker.results',
  breakerState: 'yardmaster.worker.breaker.state',
  gateWait: 'yardmaster.worker.rate_limit.wait',
  gateDenials: 'yardmaster.worker.gate.denials',
  keyRotations: 'yardmaster.worker.key.rotations',
});

/** The semantic conventions' advised buckets for token counts (powers of 4). */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/** What a provider call was asked to do. */
export interface CallTarget {
  provider: string;
  model: string;
}

interface SuccessAttributes {
  call: Attributes;
  input: Attributes;
  output: Attributes;
}

/**
 * GenAI client metrics of one worker pool: duration of each provider call (with its
 * retries) and the tokens it used. Attribute sets are cached per provider, model and
 * outcome, so recording allocates little beyond the SDK's own work.
 */
export class ProviderCallMetrics {
  private readonly duration: Histogram;
  private readonly tokens: Histogram;
  private readonly ok = new Map<string, SuccessAttributes>();
  private readonly failed = new Map<string, Attributes>();

  constructor(private readonly operation = 'chat') {
    const meter = metrics.getMeter('@yardmaster/worker');
    this.duration = meter.createHistogram(GenAiMetricNames.operationDuration, { description: 'GenAI operation duration (one provider call including its retries)', unit: 's' });
    this.tokens = meter.createHistogram(GenAiMetricNames.tokenUsage, {
      description: 'Number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
  }

  /** Records a call that answered, with the model that answered and its token counts. */
  succeeded(target: CallTarget, latencyMs: number, answer: { providerModel: string; inputTokens: number; outputTokens: number }): void {
    const key = `${target.provider}\u0000${target.model}\u0000${answer.providerModel}`;
    let attributes = this.ok.get(key);
    if (!attributes) {
      const call = Object.freeze({ ...base(target, this.operation), 'gen_ai.response.model': answer.providerModel });
      attributes = { call, input: Object.freeze({ ...call, 'gen_ai.token.type': 'input' }), output: Object.freeze({ ...call, 'gen_ai.token.type': 'output' }) };
      this.ok.set(key, attributes);
    }
    this.duration.record(latencyMs / 1000, attributes.call);
    this.tokens.record(answer.inputTokens, attributes.input);
    this.tokens.record(answer.outputTokens, attributes.output);
  }

  /** Records a call that failed after its retries; `errorType` is the provider error code (timeout, rate_limited…). */
  failedCall(target: CallTarget, latencyMs: number, errorType: string): void {
    const key = `${target.provider}\u0000${target.model}\u0000${errorType}`;
    let attributes = this.failed.get(key);
    if (!attributes) {
      attributes = Object.freeze({ ...base(target, this.operation), 'error.type': errorType });
      this.failed.set(key, attributes);
    }
    this.duration.record(latencyMs / 1000, attributes);
  }
}

function base(target: CallTarget, operation: string): Attributes {
  return { 'gen_ai.operation.name': operation, 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model };
}

/** Breaker states as the gauge reports them. */
export const BREAKER_GAUGE = Object.freeze({ closed: 0, half_open: 1, open: 2 });

/**
 * The pool's execution metrics: provider calls in flight, attempts and results by error
 * class, each deployment's breaker state as this replica last saw it, waits for shared
 * rate limits and cooldowns, gate denials and key rotations.
 */
export class PoolMetrics {
  /** Calls in flight per deployment, counted here and read when metrics are collected. */
  private readonly inflight = new Map<string, { attributes: Attributes; count: number }>();
  /** Attribute sets of attempts and results, per deployment and outcome (no allocation per call). */
  private readonly outcomes = new Map<string, Attributes>();
  private readonly attempts: Counter;
  private readonly results: Counter;
  private readonly waits: Histogram;
  private readonly denials: Counter;
  private readonly rotations: Counter;
  private readonly breakers = new Map<string, { attributes: Attributes; state: number }>();

  constructor() {
    const meter = metrics.getMeter('@yardmaster/worker');
    meter.createObservableUpDownCounter(PoolMetricNames.inflight, { description: 'Provider calls in flight on this replica', unit: '{call}' }).addCallback((result) => {
      for (const c of this.inflight.values()) result.observe(c.count, c.attributes);
    });
    this.attempts = meter.createCounter(PoolMetricNames.attempts, { description: 'Provider call attempts by outcome (error.type on failure)', unit: '{attempt}' });
    this.results = meter.createCounter(PoolMetricNames.results, { description: 'Work items finished, by outcome (error.type = error class on failure)', unit: '{result}' });
    this.waits = meter.createHistogram(PoolMetricNames.gateWait, { description: 'Time a call waited for a shared rate limit, in-flight slot, cooldown or breaker', unit: 's' });
    this.denials = meter.createCounter(PoolMetricNames.gateDenials, { description: 'Calls the shared gate held back, by reason', unit: '{call}' });
    this.rotations = meter.createCounter(PoolMetricNames.keyRotations, { description: 'Retries moved to another API key after a 429', unit: '{rotation}' });
    meter.createObservableGauge(PoolMetricNames.breakerState, { description: 'Circuit breaker state per deployment as last seen: 0 closed, 1 half-open, 2 open' }).addCallback((result) => {
      for (const b of this.breakers.values()) result.observe(b.state, b.attributes);
    });
  }

  callStarted(target: CallTarget): void {
    const key = `${target.provider}\u0000${target.model}`;
    let entry = this.inflight.get(key);
    if (!entry) this.inflight.set(key, (entry = { attributes: Object.freeze(base(target, 'call')), count: 0 }));
    entry.count++;
  }

  callEnded(target: CallTarget): void {
    const entry = this.inflight.get(`${target.provider}\u0000${target.model}`);
    if (entry) entry.count--;
  }

  attempt(target: CallTarget, errorType: string | undefined): void {
    this.attempts.add(1, this.outcome(target, errorType));
  }

  result(target: CallTarget, errorType: string | undefined): void {
    this.results.add(1, this.outcome(target, errorType));
  }

  private outcome(target: CallTarget, errorType: string | undefined): Attributes {
    const key = `${target.provider}\u0000${target.model}\u0000${errorType ?? ''}`;
    let attributes = this.outcomes.get(key);
    if (!attributes) {
      attributes = Object.freeze({ 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model, ...(errorType ? { 'error.type': errorType } : {}) });
      this.outcomes.set(key, attributes);
    }
    return attributes;
  }

  waited(target: CallTarget, reason: string, ms: number): void {
    this.waits.record(ms / 1000, { 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model, reason });
  }

  denied(target: CallTarget, reason: string): void {
    this.denials.add(1, { 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model, reason });
  }

  rotated(target: CallTarget): void {
    this.rotations.add(1, { 'gen_ai.provider.name': target.provider });
  }

  breaker(target: CallTarget, state: keyof typeof BREAKER_GAUGE): void {
    const key = `${target.provider}/${target.model}`;
    const entry = this.breakers.get(key);
    if (entry) entry.state = BREAKER_GAUGE[state];
    else this.breakers.set(key, { attributes: { 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model }, state: BREAKER_GAUGE[state] });
  }
}
