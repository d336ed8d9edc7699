import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingFeedback, type EvidenceSums, type FeedbackEvidence } from '@yardmaster/store';
import { LearnedRouting } from './learned-routing.js';
import { LearningConfig } from './learning-config.js';

/** Evidence held in memory (the Redis implementation is tested in the router e2e test). */
class MemoryFeedback extends RoutingFeedback {
  rows: EvidenceSums[] = [];
  record(_e: FeedbackEvidence): Promise<boolean> {
    return Promise.resolve(true);
  }
  snapshot(): Promise<EvidenceSums[]> {
    return Promise.resolve(this.rows);
  }
  addSums(rows: readonly EvidenceSums[]): Promise<void> {
    this.rows.push(...rows);
    return Promise.resolve();
  }
}

describe('LearnedRouting', () => {
  it('leaves routing to the priors until feedback exists', async () => {
    const l = new LearnedRouting(new MemoryFeedback(), new LearningConfig(true, 1000, 8, 0.1, 60));
    await l.refresh();
    assert.equal(l.forRequest('acme'), undefined);
  });

  it('caps each tenant\'s exploratory share exactly', async () => {
    const fb = new MemoryFeedback();
    await fb.addSums([{ level: 'math', model: 'm', sum: 3, n: 4 }]);
    const l = new LearnedRouting(fb, new LearningConfig(true, 1000, 8, 0.1, 60));
    await l.refresh();
    const explored = (tenant: string, n: number) => Array.from({ length: n }, () => l.forRequest(tenant)!.explore).filter(Boolean).length;
    assert.equal(explored('acme', 1000), 100);
    assert.equal(explored('beta', 9), 0, 'a tenant with fewer than 10 requests has not earned an exploratory one at 10%');
    assert.equal(l.forRequest('acme')!.posteriors.count({ intent: 'math', band: '', subject: '' }, 'm'), 0);
  });

  it('never explores when the share is 0, and not at all when learning is off', async () => {
    const fb = new MemoryFeedback();
    await fb.addSums([{ level: 'math', model: 'm', sum: 3, n: 4 }]);
    const none = new LearnedRouting(fb, new LearningConfig(true, 1000, 8, 0, 60));
    await none.refresh();
    assert.equal(Array.from({ length: 200 }, () => none.forRequest('acme')!.explore).some(Boolean), false);
    const off = new LearnedRouting(fb, new LearningConfig(false, 1000, 8, 0.5, 60));
    await off.onApplicationBootstrap();
    assert.equal(off.forRequest('acme'), undefined);
  });
});
