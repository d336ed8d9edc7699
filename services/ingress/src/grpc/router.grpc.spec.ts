import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commonConfig, commonEnv, parseEnv, z } from '@yardmaster/config';
import { createRouterClient, textRequest, type InferenceRequest, type RouterClient, type SubmitStreamResponse } from '@yardmaster/contracts';
import type { Bus } from '@yardmaster/bus';
import { Readiness } from '@yardmaster/service-kit';
import { InMemoryAdmissionControl, InMemoryApiKeys } from '@yardmaster/store';
import type { AcceptService } from '../accept/accept.service.js';
import { IngressConfig, defaultAccess, defaultCaps } from '../config.js';
import { DoorService } from '../door/door.service.js';
import { FeedbackService } from '../feedback/feedback.service.js';
import type { ResponseWaiters } from '../wait/response-waiters.js';
import { RouterGrpcServer } from './router.grpc.js';

const MAX_IN_FLIGHT = 3;

/** Accepts every request after a short delay and records how many accepts ran at once. */
class SlowAccept {
  active = 0;
  maxActive = 0;
  accepted = 0;
  prepare(input: InferenceRequest | undefined): InferenceRequest {
    if (!input) throw new Error('request is required');
    return input;
  }
  async accept(): Promise<boolean> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    // Long enough for every message the client wrote to reach the server meanwhile.
    await new Promise((r) => setTimeout(r, 20));
    this.active--;
    this.accepted++;
    return true;
  }
}

/** SubmitStream never waits for responses; the waiters are not used. */
const noWaiters = {} as ResponseWaiters;

describe('RouterGrpcServer over a real gRPC socket (fake accept)', () => {
  let server: RouterGrpcServer;
  let client: RouterClient;
  const accept = new SlowAccept();

  before(async () => {
    const common = commonConfig(parseEnv(z.object(commonEnv), {}), 'ingress');
    const config = new IngressConfig(common, { host: '127.0.0.1', port: 0 }, { maxRequestBytes: 1 << 20, maxMessages: 100, maxDeadlineMs: 3600_000 }, 1000, 60, 'test', {
      ...defaultCaps,
      submitStreamInFlight: MAX_IN_FLIGHT,
    }, { ...defaultAccess, auth: 'disabled' });
    const door = new DoorService(new InMemoryAdmissionControl(), new InMemoryApiKeys(), config);
    // Feedback is not exercised here (no bus): its own e2e test covers it.
    const feedback = new FeedbackService(undefined as unknown as Bus, accept as unknown as AcceptService, door);
    server = new RouterGrpcServer(accept as unknown as AcceptService, noWaiters, config, new Readiness(), door, feedback);
    await server.onApplicationBootstrap();
    client = createRouterClient(`127.0.0.1:${server.port}`);
  });

  after(async () => {
    client?.close();
    await server?.beforeApplicationShutdown();
  });

  it('SubmitStream stops reading at the in-flight limit and still acks every request in order', async () => {
    const total = 40;
    const stream = client.submitStream();
    const acks: SubmitStreamResponse[] = [];
    stream.on('data', (ack: SubmitStreamResponse) => acks.push(ack));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    for (let i = 0; i < total; i++) stream.write({ $typeName: 'yardmaster.v1.SubmitStreamRequest', request: textRequest(`prompt ${i}`, { requestId: `ss-${i}` }) });
    stream.end();
    await ended;
    assert.deepEqual(
      acks.map((a) => a.requestId),
      Array.from({ length: total }, (_, i) => `ss-${i}`),
    );
    assert.ok(acks.every((a) => a.acceptedNew && a.error === ''));
    assert.equal(accept.accepted, total);
    // Without the limit every message is accepted the moment it arrives (all 40 at once).
    assert.ok(accept.maxActive <= MAX_IN_FLIGHT, `at most ${MAX_IN_FLIGHT} accepts at once, saw ${accept.maxActive}`);
  });
});
