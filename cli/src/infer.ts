import { InferRequestSchema, InferenceResponseSchema, Strategy, create, textRequest, toJson } from '@yardmaster/contracts';
import { createRouterClient } from '@yardmaster/contracts';
import { grpcAuthOptions, readDevKey } from '@yardmaster/deploy';

/** Sends one prompt through the running system over gRPC and prints the response as JSON. */
export async function inferCommand(prompt: string, opts: { address: string; timeout: string; model?: string; strategy?: string; requestId?: string; apiKey?: string }): Promise<number> {
  // The key: --api-key, else YARDMASTER_API_KEY, else the development key npm start saved.
  const apiKey = opts.apiKey || process.env['YARDMASTER_API_KEY'] || readDevKey();
  const client = createRouterClient(opts.address, grpcAuthOptions(apiKey));
  const request = textRequest(prompt, opts.requestId ? { requestId: opts.requestId } : {});
  if (opts.model || opts.strategy) {
    const strategies: Record<string, Strategy> = { balanced: Strategy.BALANCED, cost: Strategy.COST, quality: Strategy.QUALITY, latency: Strategy.LATENCY };
    const strategy = opts.strategy ? strategies[opts.strategy] : undefined;
    if (opts.strategy && strategy === undefined) {
      process.stderr.write(`unknown strategy "${opts.strategy}" (use balanced, cost, quality or latency)\n`);
      return 2;
    }
    request.hints = {
      $typeName: 'yardmaster.v1.RoutingHints',
      mode: opts.model ? 2 : 1,
      pinnedModel: opts.model ?? '',
      // No --strategy: the alias or the tenant tier decides.
      strategy: strategy ?? Strategy.UNSPECIFIED,
      maxCostUsd: 0,
      maxLatencyMs: 0,
      requiredCapabilities: [],
      allowedProviders: [],
      deniedProviders: [],
      privacy: 0,
      plan: 0,
    };
  }
  try {
    const res = await client.infer(create(InferRequestSchema, { request }), { deadlineMs: Number(opts.timeout) });
    process.stdout.write(`${JSON.stringify(toJson(InferenceResponseSchema, res.response!), null, 2)}\n`);
    return 0;
  } catch (err) {
    const e = err as { code?: number; details?: string; message?: string };
    process.stderr.write(`infer failed (gRPC status ${e.code ?? '?'}): ${e.details ?? e.message ?? String(err)}\n`);
    if (e.code === 14) process.stderr.write(`is Yardmaster running at ${opts.address}? start it with \`npm start\`\n`);
    if (e.code === 16) process.stderr.write('pass an API key with --api-key or YARDMASTER_API_KEY (`npm start` prints one; `yardmaster keys create` makes more)\n');
    return 1;
  } finally {
    client.close();
  }
}
