import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { Bus } from '@yardmaster/bus';
import {
  FeedbackRequestSchema,
  InferRequestSchema,
  InferenceRequestSchema,
  InferenceResponseSchema,
  ResponseStatus,
  Topics,
  create,
  createRouterClient,
  textRequest,
  toJson,
  type RouterClient,
  type StreamResponsesResponse,
} from '@yardmaster/contracts';
import { Catalog } from '@yardmaster/catalog';
import { defaultCatalogPath, grpcAuthOptions, launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { RedisApiKeys, Store } from '@yardmaster/store';
import OpenAI from 'openai';
import { TraceCollector } from '../support/collector.js';
import { testInfra, uniquePrefix, waitFor } from '../support/infra.js';
import { TopicReader } from '../support/topic-reader.js';

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** What a 4xx/5xx of the OpenAI SDK carries. */
function apiError(err: unknown): { status: number; code: unknown; param: unknown; type: unknown; message: string; headers: Headers } {
  assert.ok(err instanceof OpenAI.APIError, `expected an OpenAI APIError, got ${String(err)}`);
  return { status: err.status as number, code: err.code, param: err.param, type: err.type, message: err.message, headers: err.headers as Headers };
}

describe('OpenAI-compatible HTTP API with API keys, tenants and limits (official openai client, real pipeline)', () => {
  let system: RunningSystem;
  let bus: Bus;
  let store: Store;
  let logDir: string;
  const collector = new TraceCollector();
  let requests: TopicReader<typeof Topics.requests.schema>;
  let responses: TopicReader<typeof Topics.responses.schema>;
  let feedback: TopicReader<typeof Topics.feedback.schema>;
  const secrets: string[] = [];
  let acme: OpenAI;
  let acmeKey: string;
  let betaKey: string;
  let grpcAcme: RouterClient;
  let grpcBeta: RouterClient;

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${system.httpUrl}/v1`, maxRetries: 0, timeout: 60_000 });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.httpUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${acmeKey}`, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const catalog = Catalog.load(defaultCatalogPath);
  const hello = { model: 'auto', messages: [{ role: 'user' as const, content: 'Write a haiku about freight trains.' }] };

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('openai');
    logDir = mkdtempSync(path.join(tmpdir(), 'ym-openai-http-'));
    const otlp = await collector.start();
    // Provider calls take 150 ms, so a client can go away while its request is in flight.
    system = await launchSystem({ brokers: infra.brokers, redisUrl: infra.redisUrl, topicPrefix: prefix, partitions: 2, simLatencyMs: 150, logs: { kind: 'file', dir: logDir }, otlpEndpoint: otlp });
    secrets.push(system.apiKey!);
    store = await Store.connect({ url: infra.redisUrl, keyPrefix: `ym:${prefix}:` });
    const keys = new RedisApiKeys(store);
    acmeKey = (await keys.create({ tenantId: 'acme' })).secret;
    betaKey = (await keys.create({ tenantId: 'beta' })).secret;
    secrets.push(acmeKey, betaKey);
    acme = client(acmeKey);
    grpcAcme = createRouterClient(system.grpcAddress, grpcAuthOptions(acmeKey));
    grpcBeta = createRouterClient(system.grpcAddress, grpcAuthOptions(betaKey));
    bus = await Bus.connect({ brokers: infra.brokers.split(','), clientId: 'openai-http-test', topicPrefix: prefix });
    requests = await new TopicReader(bus, Topics.requests).start();
    feedback = await new TopicReader(bus, Topics.feedback).start();
    responses = await new TopicReader(bus, Topics.responses).start();
  });

  after(async () => {
    grpcAcme?.close();
    grpcBeta?.close();
    await requests?.stop();
    await feedback?.stop();
    await responses?.stop();
    await bus?.close();
    await store?.close();
    await system?.stop();
    await collector.stop();
  });

  it('answers model "auto" in OpenAI\'s shape with the model that answered, usage, x-yardmaster headers and the extension object', async () => {
    const { data, response } = await acme.chat.completions.create(hello).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.match(data.id, /^chatcmpl-/);
    assert.ok(catalog.model(data.model) !== undefined, `${data.model} is a catalog model`);
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0]!.message.role, 'assistant');
    assert.ok((data.choices[0]!.message.content ?? '').length > 0);
    assert.ok(data.usage && data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0 && data.usage.total_tokens === data.usage.prompt_tokens + data.usage.completion_tokens);
    const requestId = response.headers.get('x-yardmaster-request-id');
    assert.equal(data.id, `chatcmpl-${requestId}`);
    assert.equal(response.headers.get('x-yardmaster-model'), data.model);
    assert.ok((response.headers.get('x-yardmaster-reason') ?? '').length > 0);
    assert.ok(Number(response.headers.get('x-yardmaster-cost-usd')) > 0);
    const ext = (data as unknown as { yardmaster: { tenant_id: string; classification: { intent: string }; decision: { reason: string; targets: unknown[] } } }).yardmaster;
    assert.equal(ext.tenant_id, 'acme', 'the tenant comes from the key');
    assert.equal(ext.classification.intent, 'INTENT_CREATIVE_WRITING');
    // The header is the reason in printable ASCII ("→" becomes "->").
    assert.equal(response.headers.get('x-yardmaster-reason'), ext.decision.reason.replace(/→/g, '->'));
    const onTopic = await waitFor('the request on llm.requests.v1', () => requests.messages.find((m) => m.key === requestId));
    assert.equal(onTopic.value.tenantId, 'acme');
  });

  it('pins a catalog model, an alias sets the strategy, and the caller\'s own strategy comes first', async () => {
    const pinned = await acme.chat.completions.create({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'hello there' }], temperature: 0.2, max_tokens: 64, seed: 7 });
    assert.equal(pinned.model, 'gpt-5.4-mini');
    const cheap = await acme.chat.completions.create({ ...hello, model: 'auto:cheap' });
    assert.equal((cheap as unknown as { yardmaster: { decision: { strategy: string } } }).yardmaster.decision.strategy, 'STRATEGY_COST');
    const viaHeader = await acme.chat.completions.create(hello, { headers: { 'X-Yardmaster-Strategy': 'quality' } });
    assert.equal((viaHeader as unknown as { yardmaster: { decision: { strategy: string } } }).yardmaster.decision.strategy, 'STRATEGY_QUALITY');
    const both = await acme.chat.completions.create({ ...hello, model: 'auto:cheap' }, { headers: { 'X-Yardmaster-Strategy': 'quality' } });
    assert.equal((both as unknown as { yardmaster: { decision: { strategy: string } } }).yardmaster.decision.strategy, 'STRATEGY_QUALITY');
  });

  it('lists the catalog models and the route aliases (GET /v1/models)', async () => {
    const ids: string[] = [];
    for await (const m of acme.models.list()) ids.push(m.id);
    assert.deepEqual([...ids].sort(), catalog.modelNames().sort(), 'every alias and model of the catalog');
    for (const id of ['auto', 'auto:cheap', 'auto:best', 'auto:fast']) assert.ok(ids.includes(id), id);
    const one = await acme.models.retrieve('gpt-5.4-mini');
    assert.equal(one.owned_by, 'openai');
    assert.equal(apiError(await rejection(acme.models.retrieve('no-such-model'))).status, 404);
  });

  it('refuses bad requests with OpenAI-shaped errors: exact status, type, param and code', async () => {
    const cases: { body: Record<string, unknown>; status: number; param: string | null; code: string }[] = [
      { body: { ...hello, model: 'gpt-9' }, status: 404, param: 'model', code: 'model_not_found' },
      { body: { ...hello, n: 2 }, status: 400, param: 'n', code: 'unsupported_parameter' },
      { body: { ...hello, temperature: 3 }, status: 400, param: 'temperature', code: 'decimal_above_max_value' },
      { body: { ...hello, temperature: 'hot' }, status: 400, param: 'temperature', code: 'invalid_type' },
      { body: { ...hello, tools: [{ type: 'function', function: { name: 'f g', parameters: {} } }] }, status: 400, param: 'tools[0].function.name', code: 'invalid_value' },
      { body: { ...hello, response_format: { type: 'json_schema', json_schema: { schema: {} } } }, status: 400, param: 'response_format.json_schema.name', code: 'missing_required_parameter' },
      { body: { model: 'auto' }, status: 400, param: 'messages', code: 'missing_required_parameter' },
      { body: { ...hello, messages: [{ role: 'robot', content: 'x' }] }, status: 400, param: 'messages[0].role', code: 'invalid_value' },
      { body: { ...hello, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }] }, status: 400, param: 'messages[0].content[0].image_url.url', code: 'invalid_value' },
      { body: { ...hello, frobnicate: 1 }, status: 400, param: 'frobnicate', code: 'unknown_parameter' },
    ];
    for (const c of cases) {
      const res = await post(c.body);
      const body = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string } };
      assert.equal(res.status, c.status, `${JSON.stringify(c.body)} -> ${JSON.stringify(body)}`);
      assert.deepEqual({ param: body.error.param, code: body.error.code }, { param: c.param, code: c.code }, JSON.stringify(body));
      assert.equal(body.error.type, 'invalid_request_error');
      assert.ok(body.error.message.length > 10);
    }
    // Through the SDK too: the error classes carry the same fields.
    const e = apiError(await rejection(acme.chat.completions.create({ ...hello, n: 3 })));
    assert.deepEqual([e.status, e.param, e.code], [400, 'n', 'unsupported_parameter']);
    const huge = await post({ ...hello, messages: [{ role: 'user', content: 'x'.repeat(3 * 1024 * 1024) }] });
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'request_too_large');
    const large = await post({ ...hello, messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 10) }] });
    assert.equal(large.status, 413, 'over MAX_REQUEST_BYTES once translated');
    assert.match(((await large.json()) as { error: { message: string } }).error.message, /the limit is 1048576/);
    const badJson = await post('{"model": "auto", ');
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { error: { code: string } }).error.code, 'invalid_json');
    const unknownUrl = await fetch(`${system.httpUrl}/v1/nothing-here`, { headers: { authorization: `Bearer ${acmeKey}` } });
    assert.equal(unknownUrl.status, 404);
    assert.equal(((await unknownUrl.json()) as { error: { code: string } }).error.code, 'unknown_url');
  });

  it('answers 401 for a missing, malformed, invalid or revoked key, before looking at the body', async () => {
    const missing = await post({ model: 'auto' }, { authorization: '' });
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'missing_api_key');
    const basic = await post(hello, { authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(basic.status, 401);
    const invalid = apiError(await rejection(client('ym-' + 'x'.repeat(43)).chat.completions.create({ ...hello, n: 5 })));
    assert.deepEqual([invalid.status, invalid.code], [401, 'invalid_api_key'], 'auth before validation');
    const { secret, key } = await new RedisApiKeys(store).create({ tenantId: 'acme' });
    secrets.push(secret);
    const revocable = client(secret);
    assert.ok((await revocable.chat.completions.create(hello)).id);
    await new RedisApiKeys(store).revoke(key.id);
    const revoked = apiError(await rejection(revocable.chat.completions.create(hello)));
    assert.deepEqual([revoked.status, revoked.code], [401, 'revoked_api_key']);
    assert.ok(!revoked.message.includes(secret));
    const viaHeader = await post(hello, { authorization: '', 'x-api-key': acmeKey });
    assert.equal(viaHeader.status, 200);
    const scraped = await (await fetch(`${system.httpUrl}/metrics`)).text();
    assert.match(scraped, /yardmaster_door_refusals_total\{[^}]*error_type="revoked_api_key"[^}]*yardmaster_door="http"[^}]*\} 1/);
    // The gRPC door: the same keys.
    const noKey = createRouterClient(system.grpcAddress);
    try {
      const err = (await rejection(noKey.infer(create(InferRequestSchema, { request: textRequest('hi') })))) as unknown as ServiceError;
      assert.equal(err.code, GrpcStatus.UNAUTHENTICATED);
    } finally {
      noKey.close();
    }
  });

  it('maps an Idempotency-Key to one request: a retry gets the same answer, the topic holds one response; another body is refused', async () => {
    const key = `idem-${Date.now()}`;
    const first = await acme.chat.completions.create(hello, { headers: { 'Idempotency-Key': key } }).withResponse();
    const again = await acme.chat.completions.create(hello, { headers: { 'Idempotency-Key': key } }).withResponse();
    assert.equal(again.data.id, first.data.id);
    assert.equal(again.data.choices[0]!.message.content, first.data.choices[0]!.message.content);
    const requestId = first.response.headers.get('x-yardmaster-request-id')!;
    await waitFor('the response on the topic', () => responses.messages.some((m) => m.key === requestId));
    // Let a second response, if there were one, reach the topic reader too.
    const marker = await acme.chat.completions.create(hello).withResponse();
    await waitFor('a later response on the topic', () => responses.messages.some((m) => m.key === marker.response.headers.get('x-yardmaster-request-id')));
    assert.equal(responses.messages.filter((m) => m.key === requestId).length, 1);
    assert.equal(requests.messages.filter((m) => m.key === requestId).length, 1);
    const other = apiError(await rejection(acme.chat.completions.create({ ...hello, temperature: 1 }, { headers: { 'Idempotency-Key': key } })));
    assert.deepEqual([other.status, other.code], [422, 'idempotency_key_reused']);
    // Another tenant's equal key is another request.
    const beta = await client(betaKey).chat.completions.create(hello, { headers: { 'Idempotency-Key': key } });
    assert.notEqual(beta.id, first.data.id);
  });

  it('scopes stored responses to the tenant: another tenant\'s request id answers NOT_FOUND like an unknown one (gRPC GetResponse and StreamResponses)', async () => {
    const { response } = await acme.chat.completions.create(hello).withResponse();
    const requestId = response.headers.get('x-yardmaster-request-id')!;
    const own = await grpcAcme.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId });
    assert.equal(own.ready, true);
    assert.equal(own.response?.tenantId, 'acme');
    const foreign = (await rejection(grpcBeta.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId }))) as unknown as ServiceError;
    const unknown = (await rejection(grpcBeta.getResponse({ $typeName: 'yardmaster.v1.GetResponseRequest', requestId: 'never-sent-xyz' }))) as unknown as ServiceError;
    assert.equal(foreign.code, GrpcStatus.NOT_FOUND);
    assert.equal(unknown.code, GrpcStatus.NOT_FOUND);
    assert.equal(foreign.details.replace(requestId, 'ID'), unknown.details.replace('never-sent-xyz', 'ID'), 'indistinguishable from unknown');
    // StreamResponses: beta's stream of acme's id and of its own sends beta's response only.
    const mine = await grpcBeta.infer(create(InferRequestSchema, { request: textRequest('hello', { requestId: `beta-${Date.now()}` }) }));
    const call = grpcBeta.streamResponses({ $typeName: 'yardmaster.v1.StreamResponsesRequest', batchId: '', requestIds: [requestId, mine.response!.requestId] });
    const got: string[] = [];
    call.on('data', (r: StreamResponsesResponse) => got.push(r.response!.requestId));
    call.on('error', () => undefined);
    await waitFor("beta's own response on its stream", () => got.includes(mine.response!.requestId));
    call.cancel();
    assert.deepEqual(got, [mine.response!.requestId]);
    // A body that names another tenant is refused; the same tenant is fine.
    const named = (await rejection(grpcAcme.infer(create(InferRequestSchema, { request: textRequest('hi', { tenantId: 'beta' }) })))) as unknown as ServiceError;
    assert.equal(named.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(named.details, /tenant_id "beta" is not the tenant of the API key/);
    assert.equal((await grpcAcme.infer(create(InferRequestSchema, { request: textRequest('hi', { tenantId: 'acme' }) }))).response?.status, ResponseStatus.OK);
  });

  it('limits a key\'s requests per minute across the door: 429 with Retry-After and x-ratelimit-* headers (and RESOURCE_EXHAUSTED over gRPC)', async () => {
    const { secret } = await new RedisApiKeys(store).create({ tenantId: 'limited', limits: { requestsPerMinute: 2 } });
    secrets.push(secret);
    const limited = client(secret);
    const first = await limited.chat.completions.create(hello).withResponse();
    assert.equal(first.response.headers.get('x-ratelimit-limit-requests'), '2');
    assert.equal(first.response.headers.get('x-ratelimit-remaining-requests'), '1');
    const grpcLimited = createRouterClient(system.grpcAddress, grpcAuthOptions(secret));
    try {
      assert.equal((await grpcLimited.infer(create(InferRequestSchema, { request: textRequest('hello') }))).response?.status, ResponseStatus.OK);
      const over = apiError(await rejection(limited.chat.completions.create(hello)));
      assert.equal(over.status, 429);
      assert.equal(over.code, 'rate_limit_exceeded');
      assert.equal(over.type, 'rate_limit_error');
      assert.match(over.message, /allows 2 requests per minute/);
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 30, String(retryAfter));
      assert.equal(over.headers.get('x-ratelimit-limit-requests'), '2');
      assert.equal(over.headers.get('x-ratelimit-remaining-requests'), '0');
      assert.match(over.headers.get('x-ratelimit-reset-requests') ?? '', /^\d+(\.\d+)?s$/);
      const grpcOver = (await rejection(grpcLimited.infer(create(InferRequestSchema, { request: textRequest('hello') })))) as unknown as ServiceError;
      assert.equal(grpcOver.code, GrpcStatus.RESOURCE_EXHAUSTED);
      assert.match(grpcOver.details, /allows 2 requests per minute/);
      assert.equal(grpcOver.metadata.get('retry-after')[0], String(retryAfter));
    } finally {
      grpcLimited.close();
    }
  });

  it('refuses a key over its daily budget with 429 budget_exceeded once its spend is recorded', async () => {
    const { secret } = await new RedisApiKeys(store).create({ tenantId: 'thrifty', limits: { dailyBudgetUsd: 0.000001 } });
    secrets.push(secret);
    const thrifty = client(secret);
    await thrifty.chat.completions.create(hello);
    const over = apiError(
      await waitFor('the budget to be charged', async () => {
        try {
          await thrifty.chat.completions.create(hello);
          return undefined;
        } catch (err) {
          return err;
        }
      }),
    );
    assert.equal(over.status, 429);
    assert.equal(over.code, 'budget_exceeded');
    assert.match(over.message, /a budget of \$0.000001 per UTC day/);
  });

  it('cancels the request of a client that disconnects (the cancelled: marker gRPC Infer also sets), and only that one', async () => {
    const prompt = `Describe a shunting yard at dawn (${Date.now()}).`;
    const cancelledMarker = (requestId: string) => store.run(() => store.connection().get(store.key(`cancelled:${requestId}`)));
    const abort = new AbortController();
    const aborted = fetch(`${system.httpUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acmeKey}` },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: prompt }] }),
      signal: abort.signal,
    }).catch((err: unknown) => err);
    const seen = await waitFor('the request on llm.requests.v1', () => requests.messages.find((m) => m.value.messages[0]?.content[0]?.part.value === prompt));
    abort.abort();
    await aborted;
    await waitFor('the cancelled: marker', async () => (await cancelledMarker(seen.key)) === '1');
    const { response } = await acme.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: `${prompt} (kept)` }] }).withResponse();
    assert.equal(await cancelledMarker(response.headers.get('x-yardmaster-request-id')!), null, 'an answered request is not marked cancelled');
  });

  it('keeps API keys out of logs, spans and topics', async () => {
    await waitFor('spans exported', () => collector.spans.length > 0);
    const logs = readdirSync(logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(path.join(logDir, f), 'utf8'))
      .join('\n');
    const spans = JSON.stringify(collector.spans);
    const topics = JSON.stringify([...requests.messages.map((m) => toJson(InferenceRequestSchema, m.value)), ...responses.messages.map((m) => toJson(InferenceResponseSchema, m.value))]);
    assert.ok(logs.length > 0 && spans.length > 2 && topics.length > 2);
    for (const secret of secrets) {
      for (const [where, text] of [['logs', logs], ['spans', spans], ['topics', topics]] as const) {
        assert.ok(!text.includes(secret), `an API key appears in the ${where}`);
        assert.ok(!text.includes(secret.slice(7)), `part of an API key appears in the ${where}`);
      }
    }
  });
  it('takes feedback on an answer over HTTP and gRPC: tenant-scoped, checked, published with the model and the cell for the router', async () => {
    const { data, response } = await acme.chat.completions.create(hello).withResponse();
    const requestId = response.headers.get('x-yardmaster-request-id')!;
    const send = (key: string, body: unknown) => fetch(`${system.httpUrl}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    const ok = await send(acmeKey, { request_id: requestId, score: 0.25, label: 'thumbs_down' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { object: 'feedback', request_id: requestId, model: data.model });
    const onTopic = await waitFor('the feedback on llm.feedback.v1', () => feedback.messages.find((m) => m.key === requestId)?.value);
    assert.deepEqual([onTopic.tenantId, onTopic.score, onTopic.label, onTopic.source, onTopic.model, onTopic.intent], ['acme', 0.25, 'thumbs_down', 'caller', data.model, 'creative_writing']);
    assert.ok(onTopic.band !== '' && onTopic.subject !== '');
    // The answer's length travels with the score: the router learns the model's cost per cell from it.
    assert.ok(onTopic.outputTokens > 0);
    assert.equal(onTopic.outputTokens, data.usage?.completion_tokens);
    // Another tenant cannot score it (answered like an unknown id); a bad score is refused precisely.
    const foreign = await send(betaKey, { request_id: requestId, score: 1 });
    assert.equal(foreign.status, 404);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'request_not_found');
    const bad = await send(acmeKey, { request_id: requestId, score: 2 });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { param: string } }).error.param, 'score');
    assert.equal((await send('ym-not-a-key', { request_id: requestId, score: 1 })).status, 401);
    // gRPC: the same rules.
    const viaGrpc = await grpcAcme.feedback(create(FeedbackRequestSchema, { requestId, score: 1 }));
    assert.equal(viaGrpc.model, data.model);
    const denied = (await rejection(grpcBeta.feedback(create(FeedbackRequestSchema, { requestId, score: 1 })))) as unknown as ServiceError;
    assert.equal(denied.code, GrpcStatus.NOT_FOUND);
    const outOfRange = (await rejection(grpcAcme.feedback(create(FeedbackRequestSchema, { requestId, score: -0.1 })))) as unknown as ServiceError;
    assert.equal(outOfRange.code, GrpcStatus.INVALID_ARGUMENT);
  });
});
