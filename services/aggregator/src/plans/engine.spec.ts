import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CandidateSchema,
  ErrorInfoSchema,
  PlanKind,
  ProviderResultSchema,
  ResultStatus,
  RoutingDecisionSchema,
  TargetRole,
  TargetSchema,
  UsageSchema,
  WorkItemSchema,
  create,
  textRequest,
  type ProviderResult,
} from '@yardmaster/contracts';
import { messageText } from './prompts.js';
import { nextActions, parsePlanWorkId, planWorkId, type CallAction, type FinalAction, type Part, type PlanAction } from './engine.js';

const RID = 'req-1';
const request = textRequest('What is 6 times 7?', { requestId: RID });

function target(model: string, role: TargetRole, step = 0, extra: Partial<{ checks: string[]; hedgeDelayMs: number; instruction: string; triggerErrors: string[] }> = {}) {
  return create(TargetSchema, { model, provider: `p-${model}`, pool: 'sim', role, step, inputPricePerMtok: 1, outputPricePerMtok: 2, ...extra });
}

function decision(plan: PlanKind, targets: ReturnType<typeof target>[], quality: Record<string, number> = {}) {
  return create(RoutingDecisionSchema, { requestId: RID, plan, targets, candidates: Object.entries(quality).map(([model, q]) => create(CandidateSchema, { model, quality: q })) });
}

let seq = 0;
function part(slot: number, output: string | { error: string }, opts: { attempt?: number; targetIndex?: number; finishReason?: string; cost?: number; latencyMs?: number } = {}): Part {
  const attempt = opts.attempt ?? 0;
  const failed = typeof output !== 'string';
  const result: ProviderResult = create(ProviderResultSchema, {
    requestId: RID,
    workId: planWorkId(RID, slot, attempt),
    status: failed ? ResultStatus.ERROR : ResultStatus.OK,
    output: failed ? '' : output,
    finishReason: opts.finishReason ?? 'stop',
    costUsd: opts.cost ?? 0.001,
    latencyMs: opts.latencyMs ?? 100,
    usage: create(UsageSchema, { inputTokens: 10, outputTokens: 5, totalTokens: 15 }),
    ...(failed ? { error: create(ErrorInfoSchema, { code: output.error, message: 'boom' }) } : {}),
    work: create(WorkItemSchema, { requestId: RID, workId: planWorkId(RID, slot, attempt), targetIndex: opts.targetIndex ?? slot }),
  });
  return { result, slot, attempt, seq: ++seq };
}

const run = (d: ReturnType<typeof decision>, parts: Part[]) => nextActions({ decision: d, request, parts, inputTokens: 1000 }).actions;
const calls = (a: PlanAction[]) => a.filter((x): x is CallAction => x.kind === 'call');
const final = (a: PlanAction[]) => a.find((x): x is FinalAction => x.kind === 'final');

describe('plan work ids', () => {
  it('round-trips slot and attempt, and keeps the router\'s first ids', () => {
    assert.equal(planWorkId(RID, 0, 0), 'req-1:0');
    assert.deepEqual(parsePlanWorkId(RID, 'req-1:2.1'), { slot: 2, attempt: 1 });
    assert.equal(parsePlanWorkId(RID, 'req-1:early'), undefined);
  });
});

describe('single with fallbacks', () => {
  const d = decision(PlanKind.SINGLE, [target('a', TargetRole.PRIMARY), target('b', TargetRole.FALLBACK, 0, { triggerErrors: ['unavailable'] })]);
  it('asks for a fallback after a matching error, then answers with the fallback', () => {
    const first = part(0, { error: 'unavailable' });
    const c = calls(run(d, [first]));
    assert.equal(c.length, 1);
    assert.deepEqual([c[0]!.workId, c[0]!.fallback, c[0]!.failedError], ['req-1:0.1', true, 'unavailable']);
    const f = final(run(d, [first, part(0, 'ok', { attempt: 1, targetIndex: 1 })]))!;
    assert.equal(f.ok, true);
    assert.deepEqual(f.steps.map((s) => [s.model, s.outcome]), [['a', 'failed'], ['b', 'answered']]);
  });
  it('ends with the error when no fallback handles it', () => {
    const f = final(run(d, [part(0, { error: 'content_policy' })]))!;
    assert.equal(f.ok, false);
    assert.equal(f.error?.code, 'content_policy');
  });
});

describe('cascade', () => {
  const d = decision(PlanKind.CASCADE, [target('cheap', TargetRole.PRIMARY, 0, { checks: ['non_empty', 'no_refusal', 'finished'] }), target('strong', TargetRole.ESCALATION, 1)]);
  it('stops at the first stage when it passes its checks', () => {
    const f = final(run(d, [part(0, '42')]))!;
    assert.equal(f.output, '42');
    assert.match(f.summary, /stage 0 cheap answered/);
  });
  for (const [name, p, check] of [
    ['a refusal', part(0, "I'm sorry, but I can't help with that."), 'no_refusal'],
    ['an empty answer', part(0, ''), 'non_empty'],
    ['a truncated answer', part(0, 'The answer is', { finishReason: 'length' }), 'not_truncated'],
    ['an error', part(0, { error: 'server_error' }), 'server_error'],
  ] as const) {
    it(`escalates on ${name} and says why`, () => {
      const c = calls(run(d, [p]));
      assert.deepEqual(c.map((x) => [x.workId, x.targetIndex, x.fallback]), [['req-1:1', 1, false]]);
      const f = final(run(d, [p, part(1, 'forty-two')]))!;
      assert.equal(f.output, 'forty-two');
      assert.match(f.summary, new RegExp(`stage 1 strong answered after stage 0 cheap (rejected|failed) \\(${check}`));
      assert.equal(f.steps[0]!.outcome, name === 'an error' ? 'failed' : 'rejected');
    });
  }
});

describe('hedge', () => {
  const d = decision(PlanKind.HEDGE, [target('a', TargetRole.PRIMARY), target('b', TargetRole.HEDGE, 0, { hedgeDelayMs: 200 })]);
  it('the first answer wins and the other call is cancelled with its input cost counted', () => {
    const a = run(d, [part(1, 'from b', { latencyMs: 50 })]);
    const f = final(a)!;
    assert.equal(f.output, 'from b');
    assert.match(f.summary, /hedge: hedge b answered first/);
    assert.deepEqual(a.filter((x) => x.kind === 'cancel').flatMap((x) => (x.kind === 'cancel' ? x.workIds : [])), ['req-1:0']);
    const cancelled = f.steps.find((s) => s.outcome === 'cancelled')!;
    assert.equal(cancelled.model, 'a');
    assert.equal(cancelled.costUsd, 0.001);
    assert.equal(f.cancelledCostUsd, 0.001);
  });
  it('a hedge cancelled before its delay cost nothing', () => {
    const f = final(run(d, [part(0, 'from a', { latencyMs: 50 })]))!;
    assert.equal(f.steps.find((s) => s.outcome === 'cancelled')?.costUsd, 0);
  });
});

describe('vote', () => {
  const d = decision(PlanKind.VOTE, [target('a', TargetRole.VOTER), target('b', TargetRole.VOTER), target('c', TargetRole.VOTER)], { a: 0.7, b: 0.9, c: 0.8 });
  it('waits for every voter, then the normalised majority wins', () => {
    assert.equal(run(d, [part(0, '42')]).length, 0);
    const f = final(run(d, [part(0, '42'), part(1, 'The answer is 42.'), part(2, '41')]))!;
    assert.equal(f.output, 'The answer is 42.');
    assert.match(f.summary, /2 of 3 ballots/);
  });
  it('breaks a tie by expected quality', () => {
    const f = final(run(d, [part(0, 'x'), part(1, 'y'), part(2, 'z')]))!;
    assert.equal(f.output, 'y');
    assert.match(f.summary, /tie broken by expected quality/);
  });
  it('counts the voters that answered when one missed the deadline', () => {
    const f = final(run(d, [part(0, '7'), part(1, { error: 'deadline_exceeded' }), part(2, '7.0')]))!;
    assert.equal(f.ok, true);
    assert.equal(f.output, '7.0', 'the agreeing voter with the higher expected quality');
    assert.match(f.summary, /partial: 1 of 3 voters did not answer \(deadline_exceeded\)/);
  });
});

describe('judge', () => {
  const d = decision(PlanKind.JUDGE, [target('a', TargetRole.VOTER), target('b', TargetRole.VOTER), target('j', TargetRole.JUDGE, 1)]);
  it('asks the judge with the numbered candidates, then answers with its choice and books its cost apart', () => {
    const c = calls(run(d, [part(0, 'Paris'), part(1, 'Lyon')]));
    assert.equal(c.length, 1);
    assert.equal(c[0]!.targetIndex, 2);
    assert.match(c[0]!.prompt.map(messageText).join('\n'), /Candidate 1\nParis[\s\S]*Candidate 2\nLyon/);
    const f = final(run(d, [part(0, 'Paris'), part(1, 'Lyon'), part(2, 'Lyon is wrong. Choice: 1', { cost: 0.01 })]))!;
    assert.equal(f.output, 'Paris');
    assert.equal(f.judgeCostUsd, 0.01);
    assert.deepEqual(f.steps.map((s) => s.outcome), ['answered', 'not_chosen', 'chose']);
  });
});

describe('draft_review and chain', () => {
  it('the reviewer gets the draft and answers', () => {
    const d = decision(PlanKind.DRAFT_REVIEW, [target('cheap', TargetRole.DRAFTER), target('strong', TargetRole.REVIEWER, 1, { instruction: 'Review it.' })]);
    const c = calls(run(d, [part(0, 'draft text')]));
    assert.match(c[0]!.prompt.map(messageText).join('\n'), /draft text/);
    assert.equal(final(run(d, [part(0, 'draft text'), part(1, 'final text')]))!.output, 'final text');
  });
  it('a chain feeds each step the previous output', () => {
    const d = decision(PlanKind.CHAIN, [target('m', TargetRole.STEP, 0, { instruction: 'one' }), target('m', TargetRole.STEP, 1, { instruction: 'two' }), target('m', TargetRole.STEP, 2, { instruction: 'three' })]);
    const c1 = calls(run(d, [part(0, 'out-1')]));
    assert.deepEqual(c1.map((c) => c.targetIndex), [1]);
    assert.match(c1[0]!.prompt.map(messageText).join('\n'), /^two[\s\S]*out-1/);
    const c2 = calls(run(d, [part(0, 'out-1'), part(1, 'out-2')]));
    assert.match(c2[0]!.prompt.map(messageText).join('\n'), /out-2/);
    const f = final(run(d, [part(0, 'out-1'), part(1, 'out-2'), part(2, 'out-3')]))!;
    assert.equal(f.output, 'out-3');
    assert.match(f.summary, /chain: 3 steps/);
  });
});
