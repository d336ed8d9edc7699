import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bus } from '@yardmaster/bus';
import { commonConfig, commonEnv, parseEnv, z } from '@yardmaster/config';
import { textRequest, timestampFromMs, timestampMs } from '@yardmaster/contracts';
import type { Store } from '@yardmaster/store';
import { IngressConfig } from '../config.js';
import { AcceptService, Unavailable } from './accept.service.js';

/** An in-memory stand-in for the store, with switchable failures. */
class FakeStore {
  readonly data = new Map<string, string>();
  failNext = 0;
  private maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('redis timeout'), { infrastructure: true });
    }
  }
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    this.maybeFail();
    if (this.data.has(key)) return false;
    this.data.set(key, value);
    return true;
  }
  readonly ttls = new Map<string, number>();
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.maybeFail();
    this.data.set(key, value);
    this.ttls.set(key, ttlSeconds);
  }
  async get(key: string): Promise<string | null> {
    this.maybeFail();
    return this.data.get(key) ?? null;
  }
}

/** Records publishes; can fail them. */
class FakeBus {
  readonly published: string[] = [];
  fail = false;
  async publish(_topic: unknown, key: string): Promise<void> {
    if (this.fail) throw new Error('broker down');
    this.published.push(key);
  }
}

function setup() {
  const store = new FakeStore();
  const bus = new FakeBus();
  const config = new IngressConfig(commonConfig(parseEnv(z.object(commonEnv), {}), 'ingress'), { host: '127.0.0.1', port: 0 }, { maxRequestBytes: 1 << 20, maxMessages: 100, maxDeadlineMs: 3600_000 }, 1000, 60, 'test');
  const service = new AcceptService(bus as unknown as Bus, store as unknown as Store, config);
  return { store, bus, service };
}

describe('AcceptService', () => {
  it('publishes a new request once and reports a resubmission as not new', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-1' }));
    assert.equal(await service.accept(request), true);
    assert.equal(await service.accept(request), false);
    assert.deepEqual(bus.published, ['a-1']);
    assert.equal(store.data.get('accepted:a-1'), 'published');
  });

  it('fills in request id, tenant and creation time', () => {
    const { service } = setup();
    const request = service.prepare(textRequest('hi'));
    assert.match(request.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(request.tenantId, 'default');
    assert.ok(request.createdAt);
  });

  it('answers Unavailable when Kafka fails, and publishes on the retry', async () => {
    const { bus, service } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-2' }));
    bus.fail = true;
    await assert.rejects(service.accept(request), Unavailable);
    bus.fail = false;
    assert.equal(await service.accept(request), true);
    assert.deepEqual(bus.published, ['a-2']);
  });

  it('does not lose a request whose marker was written but whose publish never happened', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-3' }));
    // A Redis timeout on an earlier attempt that Redis applied anyway leaves the marker pending.
    store.data.set('accepted:a-3', 'pending');
    assert.equal(await service.accept(request), true);
    assert.deepEqual(bus.published, ['a-3']);
  });

  it('keeps a published request even when recording it fails', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-4' }));
    store.failNext = 0;
    const original = store.set.bind(store);
    store.set = async () => {
      throw Object.assign(new Error('redis timeout'), { infrastructure: true });
    };
    assert.equal(await service.accept(request), true);
    store.set = original;
    assert.deepEqual(bus.published, ['a-4']);
  });

  it('answers Unavailable when Redis fails before anything was published', async () => {
    const { bus, service, store } = setup();
    store.failNext = 1;
    await assert.rejects(service.accept(service.prepare(textRequest('hi', { requestId: 'a-5' }))), Unavailable);
    assert.deepEqual(bus.published, []);
  });

  it('takes the call deadline as the request deadline when the request has none or a later one', () => {
    const { service } = setup();
    const call = Date.now() + 5000;
    const none = service.prepare(textRequest('hi'), { callDeadlineMs: call });
    assert.equal(timestampMs(none.deadline!), call);
    const later = textRequest('hi');
    later.deadline = timestampFromMs(Date.now() + 60_000);
    assert.equal(timestampMs(service.prepare(later, { callDeadlineMs: call }).deadline!), call);
    const earlierMs = Date.now() + 2000;
    const earlier = textRequest('hi');
    earlier.deadline = timestampFromMs(earlierMs);
    assert.equal(timestampMs(service.prepare(earlier, { callDeadlineMs: call }).deadline!), earlierMs);
    assert.equal(service.prepare(textRequest('hi'), { callDeadlineMs: Number.POSITIVE_INFINITY }).deadline, undefined);
  });

  it('records a cancellation as the cancelled: marker with the accept TTL', async () => {
    const { service, store } = setup();
    await service.cancel('a-6');
    assert.equal(store.data.get('cancelled:a-6'), '1');
    assert.equal(store.ttls.get('cancelled:a-6'), 60);
  });
});
