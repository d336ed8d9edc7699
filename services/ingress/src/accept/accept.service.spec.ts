import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bus } from '@yardmaster/bus';
import { commonConfig, commonEnv, parseEnv, z } from '@yardmaster/config';
import { textRequest, timestampFromMs, timestampMs } from '@yardmaster/contracts';
import { InMemoryPipelineState, type AcceptState } from '@yardmaster/store';
import { IngressConfig } from '../config.js';
import { AcceptService, Unavailable } from './accept.service.js';

/** The in-memory pipeline state, with switchable Redis failures. */
class FlakyState extends InMemoryPipelineState {
  failNext = 0;
  failMarkAccepted = false;
  private maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('redis timeout'), { infrastructure: true });
    }
  }
  /** While set, beginAccept waits for it (a slow Redis round trip). */
  holdBegin: Promise<void> | undefined;
  override async beginAccept(requestId: string): Promise<AcceptState> {
    this.maybeFail();
    if (this.holdBegin) await this.holdBegin;
    return super.beginAccept(requestId);
  }
  override async markAccepted(requestId: string): Promise<void> {
    this.maybeFail();
    if (this.failMarkAccepted) throw Object.assign(new Error('redis timeout'), { infrastructure: true });
    return super.markAccepted(requestId);
  }
}

/** Records publishes; can fail them, or hold them until released. */
class FakeBus {
  readonly published: string[] = [];
  fail = false;
  /** While set, a publish waits for it. */
  hold: Promise<void> | undefined;
  async publish(_topic: unknown, key: string): Promise<void> {
    if (this.hold) await this.hold;
    if (this.fail) throw new Error('broker down');
    this.published.push(key);
  }
}

function setup() {
  const store = new FlakyState();
  const bus = new FakeBus();
  const config = new IngressConfig(commonConfig(parseEnv(z.object(commonEnv), {}), 'ingress'), { host: '127.0.0.1', port: 0 }, { maxRequestBytes: 1 << 20, maxMessages: 100, maxDeadlineMs: 3600_000 }, 1000, 60, 'test');
  const service = new AcceptService(bus as unknown as Bus, store, config);
  return { store, bus, service };
}

describe('AcceptService', () => {
  it('publishes a new request once and reports a resubmission as not new', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-1' }));
    assert.equal(await service.accept(request), true);
    assert.equal(await service.accept(request), false);
    assert.deepEqual(bus.published, ['a-1']);
    assert.equal(store.values.get('accepted:a-1'), 'published');
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
    store.values.set('accepted:a-3', 'pending');
    assert.equal(await service.accept(request), true);
    assert.deepEqual(bus.published, ['a-3']);
  });

  it('keeps a published request even when recording it fails', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-4' }));
    store.failMarkAccepted = true;
    assert.equal(await service.accept(request), true);
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

  it('a request id the door saw first writes its pending marker beside the publish, not before it', async () => {
    const { bus, service, store } = setup();
    let release!: () => void;
    store.holdBegin = new Promise<void>((r) => (release = r));
    let settled = false;
    const accepting = service.accept(service.prepare(textRequest('hi', { requestId: 'a-7' })), { fresh: true }).finally(() => (settled = true));
    // The marker's round trip is slow: the request is on Kafka meanwhile, and accept waits for both.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(bus.published, ['a-7']);
    assert.equal(settled, false);
    release();
    assert.equal(await accepting, true);
    assert.equal(store.values.get('accepted:a-7'), 'published');
    // Without the door's word, the marker comes first (the old order).
    store.holdBegin = new Promise<void>((r) => (release = r));
    const old = service.accept(service.prepare(textRequest('hi', { requestId: 'a-7b' })));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(bus.published, ['a-7']);
    release();
    assert.equal(await old, true);
    assert.deepEqual(bus.published, ['a-7', 'a-7b']);
  });

  it('a fresh request is published even when its pending marker cannot be written', async () => {
    const { bus, service, store } = setup();
    store.failNext = 1;
    assert.equal(await service.accept(service.prepare(textRequest('hi', { requestId: 'a-8' })), { fresh: true }), true);
    assert.deepEqual(bus.published, ['a-8']);
    assert.equal(store.values.get('accepted:a-8'), 'published');
  });

  it('a fresh request whose publish fails answers Unavailable and leaves the marker pending, so the retry publishes', async () => {
    const { bus, service, store } = setup();
    const request = service.prepare(textRequest('hi', { requestId: 'a-9' }));
    bus.fail = true;
    await assert.rejects(service.accept(request, { fresh: true }), Unavailable);
    assert.equal(store.values.get('accepted:a-9'), 'pending');
    bus.fail = false;
    // The retry is no longer fresh at the door.
    assert.equal(await service.accept(request), true);
    assert.deepEqual(bus.published, ['a-9']);
  });

  it('records a cancellation as the cancelled: marker', async () => {
    const { service, store } = setup();
    await service.cancel('a-6');
    assert.equal(store.values.get('cancelled:a-6'), '1');
  });
});
