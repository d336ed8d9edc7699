import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commonConfig, commonEnv, parseEnv, z } from '@yardmaster/config';
import { InferenceResponseSchema, UsageSchema, create } from '@yardmaster/contracts';
import { InMemoryAdmissionControl, InMemoryApiKeys, type UsageInput } from '@yardmaster/store';
import { IngressConfig } from '../config.js';
import { DoorService } from './door.service.js';

/** Admission whose usage charges can fail, recording the ones made. */
class Charges extends InMemoryAdmissionControl {
  readonly made: string[] = [];
  fail = false;
  override recordUsage(input?: UsageInput): Promise<boolean> {
    if (this.fail) return Promise.reject(new Error('redis timeout'));
    this.made.push(input?.requestId ?? '');
    return Promise.resolve(true);
  }
}

const answered = (requestId: string) => create(InferenceResponseSchema, { requestId, costUsd: 0.001, usage: create(UsageSchema, { inputTokens: 10, outputTokens: 5, totalTokens: 15 }) });
const settle = () => new Promise((r) => setImmediate(r));

describe('DoorService usage charged at the door', () => {
  const config = new IngressConfig(commonConfig(parseEnv(z.object(commonEnv), {}), 'ingress'), { host: '127.0.0.1', port: 0 }, { maxRequestBytes: 1 << 20, maxMessages: 100, maxDeadlineMs: 3600_000 }, 1000, 60, 'test');

  it('remembers what it charged (so its usage consumer skips those responses), not what failed', async () => {
    const admission = new Charges();
    const door = new DoorService(admission, new InMemoryApiKeys(), config);
    door.recordUsageLater(answered('r-1'));
    await settle();
    assert.deepEqual(admission.made, ['r-1']);
    assert.equal(door.chargedHere('r-1'), true);
    assert.equal(door.chargedHere('r-2'), false);
    admission.fail = true;
    door.recordUsageLater(answered('r-3'));
    await settle();
    assert.equal(door.chargedHere('r-3'), false, 'a failed charge is left to the usage consumer');
  });

  it('remembers a bounded number of requests, dropping the oldest', async () => {
    const door = new DoorService(new Charges(), new InMemoryApiKeys(), config);
    for (let i = 0; i < 65_537; i++) door.recordUsageLater(answered(`r-${i}`));
    await settle();
    assert.equal(door.chargedHere('r-0'), false, 'the oldest is forgotten');
    assert.equal(door.chargedHere('r-1'), true);
    assert.equal(door.chargedHere('r-65536'), true);
  });
});
