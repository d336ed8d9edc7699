// Record lookups end to end with docs/examples/catalog-orders.yaml as the catalog: gRPC
// Infer → classifier (an order_lookup / customer_lookup suggestion with the id) → router
// (the orders pool, when the tenant's tier may use it) → the pool's worker calling
// provider-sim's example record API with the pool's key → aggregator, on real Kafka and Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PlanKind, ResponseStatus, createRouterClient, type InferenceResponse, type RouterClient } from '@yardmaster/contracts';
import { launchSystem, type RunningSystem } from '@yardmaster/deploy';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testInfra, uniquePrefix } from '../support/infra.js';
import { ORDERS_CATALOG } from '../support/catalog.js';
import { inferText } from '../support/infer.js';

describe('Record lookups end to end with the example orders catalog (real Kafka, Redis, gRPC, provider-sim)', () => {
  let system: RunningSystem;
  let client: RouterClient;
  const infer = (text: string): Promise<InferenceResponse> => inferText(client, text, { idPrefix: 'rec' });

  before(async () => {
    const infra = await testInfra();
    const prefix = uniquePrefix('records');
    system = await launchSystem({
      brokers: infra.brokers,
      redisUrl: infra.redisUrl,
      topicPrefix: prefix,
      redisKeyPrefix: `ym:${prefix}:`,
      catalogPath: ORDERS_CATALOG,
      partitions: 2,
      sessionTimeoutMs: 6000,
      simLatencyMs: 5,
      logs: { kind: 'file', dir: mkdtempSync(path.join(tmpdir(), 'ym-records-')) },
      env: { PROVIDER_RETRY_BASE_MS: '20' },
      // The record API's key (the catalog's credentials.env names ORDERS_API_KEY; a worker reads PROVIDER_API_KEY).
      poolEnv: { orders: { PROVIDER_API_KEY: 'orders-e2e-key' }, customers: { PROVIDER_API_KEY: 'orders-e2e-key' } },
    });
    client = createRouterClient(system.grpcAddress, system.clientOptions);
    // Warm-up: each pool has its partitions.
    for (const text of ['hello there', 'where is my order 48213?']) await infer(text);
  });

  after(async () => {
    client?.close();
    await system?.stop();
  });

  it('"Where is my order #A-10442?" is answered by the orders pool with the record', async () => {
    const r = await infer('Where is my order #A-10442?');
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.equal(r.decision?.plan, PlanKind.TOOL);
    assert.deepEqual(r.models.map((m) => m.model), ['orders']);
    assert.equal(r.costUsd, 0);
    const o = JSON.parse(r.output) as Record<string, unknown>;
    assert.deepEqual([o['order_id'], o['status']], ['A-10442', 'processing']);
  });

  it('an unknown order gets exactly one precise answer, "no such order", from the orders pool (no model fallback)', async () => {
    const r = await infer('Wo ist meine Bestellung 99999?');
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.deepEqual(r.models.map((m) => m.model), ['orders']);
    assert.deepEqual(JSON.parse(r.output), { error: { type: 'not_found', message: 'no order with id 99999' }, order_id: '99999', found: false });
  });

  it("a customer lookup by a tenant whose tier may not use the customers pool is answered by a model, and the reason says why", async () => {
    const r = await infer('look up customer C-2291');
    assert.equal(r.status, ResponseStatus.OK, r.error?.message);
    assert.deepEqual(r.models.map((m) => m.model), ['chat-small']);
    assert.match(r.decision?.reason ?? '', /tool customers not used: not in tier standard's allowed models/);
  });
});
