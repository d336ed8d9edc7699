import autocannon from 'autocannon';

/** What one HTTP scenario measured (autocannon's figures). */
export interface HttpScenarioResult {
  requests: number;
  concurrency: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failed: number;
  seconds: number;
  requests_per_second: number;
  e2e_ms: { p50: number; p90: number; p99: number; max: number };
}

/** Prompts for the HTTP scenarios (each request gets its own, numbered). */
const PROMPT = 'Summarise why freight trains are efficient in two sentences.';

/**
 * Drives `POST /v1/chat/completions` with autocannon (the HTTP load generator gateway
 * benchmarks use): `count` requests over `concurrency` keep-alive connections, each body
 * with its own prompt so no cache or dedupe helps.
 */
export async function driveHttp(opts: { baseUrl: string; apiKey: string | undefined; count: number; concurrency: number; runId: string; label: string }): Promise<HttpScenarioResult> {
  let n = 0;
  const result = await autocannon({
    url: `${opts.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`,
    connections: Math.min(opts.concurrency, opts.count),
    amount: opts.count,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: `${PROMPT} [bench-${opts.runId}-${opts.label}-${n++}]` }] }),
        }),
      },
    ],
  });
  const done = result.requests.sent;
  return {
    requests: done,
    concurrency: result.connections,
    failed: result.errors + result.non2xx,
    seconds: Math.round(result.duration * 100) / 100,
    requests_per_second: Math.round((result['2xx'] / Math.max(result.duration, 1e-9)) * 10) / 10,
    e2e_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}
