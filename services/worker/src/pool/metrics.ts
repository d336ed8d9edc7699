import { metrics, type Attributes, type Histogram } from '@opentelemetry/api';

/** The OpenTelemetry GenAI client metrics the worker records. */
export const GenAiMetricNames = Object.freeze({
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
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

  constructor() {
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
      const call = Object.freeze({ ...base(target), 'gen_ai.response.model': answer.providerModel });
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
      attributes = Object.freeze({ ...base(target), 'error.type': errorType });
      this.failed.set(key, attributes);
    }
    this.duration.record(latencyMs / 1000, attributes);
  }
}

function base(target: CallTarget): Attributes {
  return { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': target.provider, 'gen_ai.request.model': target.model };
}
