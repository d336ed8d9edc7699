import {
  PlanKind,
  PlanStepSchema,
  ResponseFormat,
  ResultStatus,
  TargetRole,
  create,
  type ChatMessage,
  type InferenceRequest,
  type PlanStep,
  type ProviderResult,
  type RoutingDecision,
  type Target,
} from '@yardmaster/contracts';
import { runChecks, type CheckFailure } from './checks.js';
import { chainMessages, judgeMessages, parseJudgeChoice, reviewMessages } from './prompts.js';
import { normaliseAnswer, tally } from './vote.js';

/**
 * The plan executor's decisions, as a pure function of the decision and the parts
 * recorded so far (issue 12). Every instance that sees the same recorded parts computes
 * the same actions, so redeliveries and crashes repeat work ids the worker drops, never
 * a different plan. Calls are named by slot (the index of a plan target that is not a
 * fallback) and attempt (0, then one per fallback replacing a failed call).
 */

/** Error codes after which a fallback cannot help (the router's `no_fallback` included). */
export const FINAL_ERRORS: ReadonlySet<string> = new Set(['deadline_exceeded', 'invalid_request', 'unknown_model', 'constraints_unsatisfiable', 'no_eligible_model', 'cancelled', 'no_fallback', 'invalid_follow_up']);

/** The work id of a plan call: `<request>:<slot>` for the first attempt (the router's own ids), `<request>:<slot>.<attempt>` after. */
export function planWorkId(requestId: string, slot: number, attempt: number): string {
  return attempt === 0 ? `${requestId}:${slot}` : `${requestId}:${slot}.${attempt}`;
}

/** Slot and attempt of a plan work id, or undefined for another kind of id (an early result). */
export function parsePlanWorkId(requestId: string, workId: string): { slot: number; attempt: number } | undefined {
  if (!workId.startsWith(`${requestId}:`)) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(workId.slice(requestId.length + 1));
  return m ? { slot: Number(m[1]), attempt: Number(m[2] ?? 0) } : undefined;
}

/** One recorded call: its result (with `work.target_index` set), slot and attempt. */
export interface Part {
  readonly result: ProviderResult;
  readonly slot: number;
  readonly attempt: number;
  /** Arrival order. */
  readonly seq: number;
}

/** A call the plan needs next; the router chooses the actual target (health, fallbacks). */
export interface CallAction {
  readonly kind: 'call';
  readonly workId: string;
  readonly slot: number;
  readonly attempt: number;
  /** The target the plan wants (for a fallback, the one whose call failed). */
  readonly targetIndex: number;
  /** The conversation for this call; empty = the request's messages. */
  readonly prompt: ChatMessage[];
  readonly fallback: boolean;
  readonly failedError: string;
  readonly tried: number[];
}

/** Work items whose calls are no longer needed (a hedge's loser). */
export interface CancelAction {
  readonly kind: 'cancel';
  readonly workIds: string[];
}

/** How the plan ended. */
export interface FinalAction {
  readonly kind: 'final';
  readonly ok: boolean;
  readonly output: string;
  /** The part whose output is the answer (absent when the plan failed). */
  readonly answer?: Part;
  readonly error?: { code: string; message: string };
  /** Every call in arrival order with its outcome, plus calls cancelled before they answered. */
  readonly steps: PlanStep[];
  /** One line: which step answered and why earlier ones were rejected. */
  readonly summary: string;
  /** The judge's and reviewer's share of the cost. */
  readonly judgeCostUsd: number;
  /** Estimated cost of cancelled calls with no result yet (counted in the total). */
  readonly cancelledCostUsd: number;
}

export type PlanAction = CallAction | CancelAction | FinalAction;

/** What {@link nextActions} reads. */
export interface PlanInput {
  readonly decision: RoutingDecision;
  /** The request with its messages. */
  readonly request: InferenceRequest;
  /** Every part recorded so far, any order. */
  readonly parts: readonly Part[];
  /** Input tokens of the request (to estimate what a cancelled call cost). */
  readonly inputTokens: number;
  /** A JSON Schema the answer must match, when the caller gave one. */
  readonly jsonSchema?: object;
}

const ROLE_WORD: Partial<Record<TargetRole, string>> = {
  [TargetRole.PRIMARY]: 'primary',
  [TargetRole.FALLBACK]: 'fallback',
  [TargetRole.VOTER]: 'voter',
  [TargetRole.JUDGE]: 'judge',
  [TargetRole.DRAFTER]: 'drafter',
  [TargetRole.REVIEWER]: 'reviewer',
  [TargetRole.ESCALATION]: 'escalation',
  [TargetRole.HEDGE]: 'hedge',
  [TargetRole.STEP]: 'step',
};

/** Reads a slot's calls: the latest attempt decides its state. */
interface SlotView {
  readonly slot: number;
  /** No result yet for the latest attempt (or none requested). */
  readonly state: 'waiting' | 'ok' | 'failed';
  readonly latest?: Part;
  /** The fallback call to make after a failed attempt, when one may help. */
  readonly retry?: CallAction;
}

class Plan {
  readonly outcomes = new Map<Part, { outcome: string; detail: string }>();
  readonly actions: PlanAction[] = [];
  private readonly bySlot = new Map<number, Part[]>();
  private readonly synthetic: PlanStep[] = [];
  private cancelledCost = 0;

  constructor(readonly input: PlanInput) {
    for (const p of input.parts) {
      const list = this.bySlot.get(p.slot) ?? [];
      list.push(p);
      this.bySlot.set(p.slot, list);
    }
    for (const list of this.bySlot.values()) list.sort((a, b) => a.attempt - b.attempt);
  }

  get requestId(): string {
    return this.input.request.requestId;
  }

  target(i: number): Target | undefined {
    return this.input.decision.targets[i];
  }

  /** Plan targets that are not fallbacks, with their indexes, in step then index order. */
  slots(role?: TargetRole): number[] {
    return this.input.decision.targets
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.role !== TargetRole.FALLBACK && (role === undefined || t.role === role))
      .sort((a, b) => a.t.step - b.t.step || a.i - b.i)
      .map(({ i }) => i);
  }

  tried(): number[] {
    const set = new Set<number>(this.input.parts.map((p) => p.result.work?.targetIndex ?? p.slot));
    return [...set].sort((a, b) => a - b);
  }

  private fallbackExists(error: string): boolean {
    const tried = new Set(this.tried());
    return this.input.decision.targets.some((t, i) => t.role === TargetRole.FALLBACK && !tried.has(i) && (t.triggerErrors.length === 0 || t.triggerErrors.includes(error)));
  }

  view(slot: number, allowFallback = true): SlotView {
    const parts = this.bySlot.get(slot);
    const latest = parts?.at(-1);
    if (!latest) return { slot, state: 'waiting' };
    if (latest.result.status === ResultStatus.OK) return { slot, state: 'ok', latest };
    const code = latest.result.error?.code ?? 'error';
    if (allowFallback && !FINAL_ERRORS.has(code) && this.fallbackExists(code)) {
      const attempt = latest.attempt + 1;
      return {
        slot,
        state: 'waiting',
        latest,
        retry: { kind: 'call', workId: planWorkId(this.requestId, slot, attempt), slot, attempt, targetIndex: latest.result.work?.targetIndex ?? slot, prompt: [], fallback: true, failedError: code, tried: this.tried() },
      };
    }
    return { slot, state: 'failed', latest };
  }

  /** Requests the slot's next call when it has no result (its first attempt) or needs a fallback. */
  call(slot: number, prompt: ChatMessage[] = []): void {
    this.actions.push({ kind: 'call', workId: planWorkId(this.requestId, slot, 0), slot, attempt: 0, targetIndex: slot, prompt, fallback: false, failedError: '', tried: this.tried() });
  }

  /** Waits for a slot: emits its fallback call when it needs one. Fallback calls keep the first attempt's prompt. */
  wait(v: SlotView, prompt: ChatMessage[] = []): void {
    if (v.retry) this.actions.push({ ...v.retry, prompt });
  }

  mark(p: Part | undefined, outcome: string, detail = ''): void {
    if (p) this.outcomes.set(p, { outcome, detail });
  }

  /** Cancels a slot that has no result: its call is aborted and its input cost estimated. */
  cancelPending(slot: number, why: string, started = true): void {
    const v = this.view(slot, false);
    if (v.state !== 'waiting') return;
    const attempt = v.latest ? v.latest.attempt + 1 : 0;
    const t = this.target(slot);
    this.actions.push({ kind: 'cancel', workIds: [planWorkId(this.requestId, slot, attempt)] });
    // A call that started was sent the prompt: its input tokens are billed whatever happens next.
    const cost = t && started ? (this.input.inputTokens * t.inputPricePerMtok) / 1e6 : 0;
    this.cancelledCost += cost;
    this.synthetic.push(
      create(PlanStepSchema, {
        targetIndex: slot,
        model: t?.model ?? '',
        provider: t?.provider ?? '',
        role: t?.role ?? TargetRole.UNSPECIFIED,
        step: t?.step ?? 0,
        outcome: 'cancelled',
        detail: started ? `${why}; cost estimated from the prompt's input tokens` : `${why} before its delay ran out; no call was made`,
        costUsd: cost,
        workId: planWorkId(this.requestId, slot, attempt),
      }),
    );
  }

  steps(): PlanStep[] {
    const parts = [...this.input.parts].sort((a, b) => a.seq - b.seq);
    const steps = parts.map((p) => {
      const r = p.result;
      const index = r.work?.targetIndex ?? p.slot;
      const t = this.target(index);
      const ok = r.status === ResultStatus.OK;
      const o = this.outcomes.get(p) ?? { outcome: ok ? 'accepted' : 'failed', detail: ok ? '' : `${r.error?.code ?? 'error'}: ${r.error?.message ?? ''}` };
      return create(PlanStepSchema, {
        targetIndex: index,
        model: t?.model ?? '',
        provider: t?.provider ?? '',
        role: t?.role ?? TargetRole.UNSPECIFIED,
        step: t?.step ?? 0,
        outcome: o.outcome,
        detail: o.detail,
        latencyMs: r.latencyMs,
        costUsd: r.costUsd,
        ...(r.usage ? { usage: r.usage } : {}),
        workId: r.workId,
        finishReason: r.finishReason,
      });
    });
    return [...steps, ...this.synthetic];
  }

  label(p: Part): string {
    const t = this.target(p.result.work?.targetIndex ?? p.slot);
    return `${ROLE_WORD[t?.role ?? TargetRole.UNSPECIFIED] ?? 'call'} ${t?.model ?? '?'}`;
  }

  finish(ok: boolean, answer: Part | undefined, summary: string, error?: { code: string; message: string }): PlanAction[] {
    if (answer && ok) this.mark(answer, 'answered', this.outcomes.get(answer)?.detail ?? '');
    const steps = this.steps();
    const judgeCostUsd = steps.filter((s) => s.role === TargetRole.JUDGE || s.role === TargetRole.REVIEWER).reduce((sum, s) => sum + s.costUsd, 0);
    this.actions.push({
      kind: 'final',
      ok,
      output: ok && answer ? answer.result.output : '',
      ...(answer ? { answer } : {}),
      ...(error ? { error } : {}),
      steps,
      summary,
      judgeCostUsd,
      cancelledCostUsd: this.cancelledCost,
    });
    return this.actions;
  }

  /** The plan failed: the last failed call's error (or `code`), with the summary. */
  fail(summary: string, last: Part | undefined, code = 'plan_failed'): PlanAction[] {
    const e = last?.result.error;
    return this.finish(false, undefined, summary, e ? { code: e.code, message: `${summary}: ${e.message}` } : { code, message: summary });
  }

  checksFor(t: Target): string[] {
    const checks = t.checks.map((c) => (c === 'finished' ? 'not_truncated' : c));
    // A caller who asked for JSON gets a JSON check at every checked step.
    if (checks.length > 0 && this.input.request.params?.responseFormat === ResponseFormat.JSON && !checks.includes('valid_json')) checks.push('valid_json');
    return checks;
  }

  runChecks(p: Part, t: Target): CheckFailure[] {
    return runChecks({ output: p.result.output, finishReason: p.result.finishReason }, this.checksFor(t), this.input.jsonSchema ? { jsonSchema: this.input.jsonSchema } : {});
  }
}

function describeFailures(f: readonly CheckFailure[]): string {
  return f.map((x) => `${x.check}: ${x.detail}`).join('; ');
}

function single(plan: Plan): PlanAction[] {
  const slot = plan.slots()[0] ?? 0;
  const v = plan.view(slot);
  if (v.state === 'waiting') {
    plan.wait(v);
    return plan.actions;
  }
  if (v.state === 'ok') return plan.finish(true, v.latest, v.latest!.attempt > 0 ? `${plan.label(v.latest!)} answered after ${v.latest!.attempt} failed call(s)` : `${plan.label(v.latest!)} answered`);
  return plan.fail(`every target failed`, v.latest);
}

function cascade(plan: Plan): PlanAction[] {
  const stages = plan.slots();
  const rejected: string[] = [];
  for (const [i, slot] of stages.entries()) {
    const last = i === stages.length - 1;
    const t = plan.target(slot)!;
    const v = plan.view(slot, last);
    if (v.state === 'waiting') {
      if (!v.latest && i > 0) plan.call(slot);
      else plan.wait(v);
      return plan.actions;
    }
    const p = v.latest!;
    if (v.state === 'failed') {
      const why = `${p.result.error?.code ?? 'error'}`;
      plan.mark(p, 'failed', `${why}: ${p.result.error?.message ?? ''}`);
      rejected.push(`stage ${i} ${t.model} failed (${why})`);
      if (last) return plan.fail(`cascade: ${rejected.join('; ')}`, p);
      continue;
    }
    const failures = last ? [] : plan.runChecks(p, t);
    if (failures.length === 0) {
      const summary = `cascade: stage ${i} ${plan.target(p.result.work?.targetIndex ?? slot)?.model ?? t.model} answered${rejected.length ? ` after ${rejected.join('; ')}` : ' (passed its checks)'}`;
      plan.mark(p, 'answered', rejected.length ? `escalated: ${rejected.join('; ')}` : `passed ${plan.checksFor(t).join(', ') || 'no checks'}`);
      return plan.finish(true, p, summary);
    }
    plan.mark(p, 'rejected', describeFailures(failures));
    rejected.push(`stage ${i} ${t.model} rejected (${failures.map((f) => f.check).join(', ')})`);
  }
  return plan.fail('cascade has no stages', undefined);
}

function hedge(plan: Plan): PlanAction[] {
  const slots = plan.slots();
  const views = slots.map((s) => plan.view(s));
  const oks = views.filter((v) => v.state === 'ok').sort((a, b) => a.latest!.seq - b.latest!.seq);
  const winner = oks[0];
  if (winner) {
    for (const v of views) {
      if (v === winner) continue;
      if (v.state === 'ok') plan.mark(v.latest, 'lost_race', `answered after ${plan.label(winner.latest!)}`);
      else {
        // The hedge starts only after its delay: when the winner answered sooner, it never called.
        const t = plan.target(v.slot);
        const started = t?.role !== TargetRole.HEDGE || winner.latest!.result.latencyMs >= t.hedgeDelayMs;
        plan.cancelPending(v.slot, `cancelled: ${plan.label(winner.latest!)} answered first`, started);
      }
    }
    return plan.finish(true, winner.latest, `hedge: ${plan.label(winner.latest!)} answered first`);
  }
  if (views.every((v) => v.state === 'failed')) return plan.fail('hedge: both calls failed', views.at(-1)?.latest);
  for (const v of views) plan.wait(v);
  return plan.actions;
}

function expectedQuality(plan: Plan, index: number): number {
  const model = plan.target(index)?.model;
  return plan.input.decision.candidates.find((c) => c.model === model)?.quality ?? 0;
}

function vote(plan: Plan): PlanAction[] {
  const slots = plan.slots(TargetRole.VOTER);
  const views = slots.map((s) => plan.view(s));
  if (views.some((v) => v.state === 'waiting')) {
    for (const v of views) plan.wait(v);
    return plan.actions;
  }
  const answered = views.filter((v) => v.state === 'ok');
  if (answered.length === 0) return plan.fail(`vote: none of ${slots.length} voters answered`, views.at(-1)?.latest);
  const t = tally(answered.map((v) => ({ target: v.latest!.result.work?.targetIndex ?? v.slot, output: v.latest!.result.output, expectedQuality: expectedQuality(plan, v.latest!.result.work?.targetIndex ?? v.slot) })));
  const winner = answered.find((v) => (v.latest!.result.work?.targetIndex ?? v.slot) === t.winner.target)!;
  const key = normaliseAnswer(t.winner.output);
  for (const v of answered) {
    const agrees = normaliseAnswer(v.latest!.result.output) === key;
    plan.mark(v.latest, agrees ? 'agreed' : 'outvoted', agrees ? `${t.votes} of ${t.ballots} votes` : `its answer had fewer votes than the winner's ${t.votes}`);
  }
  const missing = slots.length - answered.length;
  const parts = [
    `vote: ${t.votes} of ${t.ballots} ballots for the answer of ${plan.label(winner.latest!)}`,
    t.tie ? `tie broken by expected quality` : t.majority ? 'majority' : 'plurality',
    ...(missing > 0 ? [`partial: ${missing} of ${slots.length} voters did not answer (${views.filter((v) => v.state === 'failed').map((v) => v.latest?.result.error?.code ?? 'error').join(', ')})`] : []),
  ];
  plan.mark(winner.latest, 'answered', `${t.votes} of ${t.ballots} votes${t.tie ? ', tie broken by expected quality' : ''}`);
  return plan.finish(true, winner.latest, parts.join('; '));
}

function judge(plan: Plan): PlanAction[] {
  const candidates = plan.slots(TargetRole.VOTER);
  const judgeSlot = plan.slots(TargetRole.JUDGE)[0];
  const views = candidates.map((s) => plan.view(s));
  if (views.some((v) => v.state === 'waiting')) {
    for (const v of views) plan.wait(v);
    return plan.actions;
  }
  const answered = views.filter((v) => v.state === 'ok');
  if (answered.length === 0) return plan.fail(`judge: none of ${candidates.length} candidates answered`, views.at(-1)?.latest);
  const byQuality = () => {
    const t = tally(answered.map((v) => ({ target: v.slot, output: v.latest!.result.output, expectedQuality: expectedQuality(plan, v.latest!.result.work?.targetIndex ?? v.slot) })));
    return answered.find((v) => v.slot === t.winner.target)!;
  };
  const missing = candidates.length - answered.length;
  const partial = missing > 0 ? `; partial: ${missing} of ${candidates.length} candidates did not answer` : '';
  if (answered.length === 1 || judgeSlot === undefined) {
    const only = answered.length === 1 ? answered[0]! : byQuality();
    for (const v of answered) if (v !== only) plan.mark(v.latest, 'not_chosen', 'no judge ran');
    return plan.finish(true, only.latest, `judge: skipped, ${answered.length === 1 ? 'one candidate answered' : 'no judge target'}${partial}`);
  }
  const keys = new Set(answered.map((v) => normaliseAnswer(v.latest!.result.output)));
  if (keys.size === 1) {
    const best = byQuality();
    for (const v of answered) if (v !== best) plan.mark(v.latest, 'agreed', 'every candidate gave the same answer');
    return plan.finish(true, best.latest, `judge: skipped, all ${answered.length} candidates agree${partial}`);
  }
  const judgeTarget = plan.target(judgeSlot)!;
  const prompt = judgeMessages(plan.input.request.messages, answered.map((v) => v.latest!.result.output), judgeTarget.instruction || undefined);
  const jv = plan.view(judgeSlot);
  if (jv.state === 'waiting') {
    if (!jv.latest) plan.call(judgeSlot, prompt);
    else plan.wait(jv, prompt);
    return plan.actions;
  }
  if (jv.state === 'failed') {
    const best = byQuality();
    plan.mark(jv.latest, 'failed', `${jv.latest!.result.error?.code ?? 'error'}: the candidate with the highest expected quality answers`);
    return plan.finish(true, best.latest, `judge: the judge failed; ${plan.label(best.latest!)} chosen by expected quality${partial}`);
  }
  const choice = parseJudgeChoice(jv.latest!.result.output, answered.length);
  if (choice === null) {
    const best = byQuality();
    plan.mark(jv.latest, 'unparsed', 'the judge named no candidate; the highest expected quality answers');
    return plan.finish(true, best.latest, `judge: no choice in the judge's reply; ${plan.label(best.latest!)} chosen by expected quality${partial}`);
  }
  const chosen = answered[choice]!;
  plan.mark(jv.latest, 'chose', `candidate ${choice + 1} (${plan.label(chosen.latest!)})`);
  for (const v of answered) if (v !== chosen) plan.mark(v.latest, 'not_chosen', `the judge chose candidate ${choice + 1}`);
  return plan.finish(true, chosen.latest, `judge: ${plan.label(jv.latest!)} chose candidate ${choice + 1} of ${answered.length} (${plan.label(chosen.latest!)})${partial}`);
}

function draftReview(plan: Plan): PlanAction[] {
  const drafter = plan.slots(TargetRole.DRAFTER)[0] ?? plan.slots()[0] ?? 0;
  const reviewer = plan.slots(TargetRole.REVIEWER)[0];
  const dv = plan.view(drafter);
  if (dv.state === 'waiting') {
    plan.wait(dv);
    return plan.actions;
  }
  if (dv.state === 'failed') return plan.fail('draft_review: the draft failed', dv.latest);
  if (reviewer === undefined) return plan.finish(true, dv.latest, 'draft_review: no reviewer, the draft answers');
  const prompt = reviewMessages(plan.input.request.messages, dv.latest!.result.output, plan.target(reviewer)!.instruction || undefined);
  const rv = plan.view(reviewer);
  if (rv.state === 'waiting') {
    if (!rv.latest) plan.call(reviewer, prompt);
    else plan.wait(rv, prompt);
    return plan.actions;
  }
  plan.mark(dv.latest, 'accepted', 'draft passed to the reviewer');
  if (rv.state === 'ok' && rv.latest!.result.output.trim() !== '') return plan.finish(true, rv.latest, `draft_review: ${plan.label(rv.latest!)} reviewed the draft of ${plan.label(dv.latest!)}`);
  plan.mark(rv.latest, rv.state === 'ok' ? 'rejected' : 'failed', rv.state === 'ok' ? 'the review was empty' : `${rv.latest!.result.error?.code ?? 'error'}`);
  return plan.finish(true, dv.latest, `draft_review: the review ${rv.state === 'ok' ? 'was empty' : 'failed'}, the draft answers`);
}

function chain(plan: Plan): PlanAction[] {
  const steps = plan.slots();
  let previous: string | undefined;
  for (const [i, slot] of steps.entries()) {
    const t = plan.target(slot)!;
    const prompt = i === 0 ? firstChainPrompt(plan.input.request, t.instruction) : chainMessages(plan.input.request.messages, previous, t.instruction);
    const v = plan.view(slot);
    if (v.state === 'waiting') {
      if (!v.latest && i > 0) plan.call(slot, prompt);
      else plan.wait(v, prompt);
      return plan.actions;
    }
    if (v.state === 'failed') return plan.fail(`chain: step ${i + 1} of ${steps.length} (${t.model}) failed`, v.latest);
    previous = v.latest!.result.output;
    if (i < steps.length - 1) plan.mark(v.latest, 'accepted', `output passed to step ${i + 2}`);
    else return plan.finish(true, v.latest, `chain: ${steps.length} steps (${steps.map((s) => plan.target(s)?.model ?? '?').join(' → ')})`);
  }
  return plan.fail('chain has no steps', undefined);
}

/** The first call of a chain step: the step's instruction before the request (the router sends it). */
export function firstChainPrompt(request: InferenceRequest, instruction: string): ChatMessage[] {
  return instruction ? chainMessages(request.messages, undefined, instruction) : [];
}

/**
 * The next actions of a plan from the decision and the parts recorded so far: calls to
 * request (through the router), work to cancel, or the final outcome. Pure and
 * deterministic (candidate order is by target index, never by arrival, except a hedge's
 * race, decided by the recorded arrival order).
 */
export function nextActions(input: PlanInput): { actions: PlanAction[]; steps: PlanStep[] } {
  const plan = new Plan(input);
  const actions = run(plan);
  const final = actions.find((a): a is FinalAction => a.kind === 'final');
  return { actions, steps: final ? final.steps : plan.steps() };
}

function run(plan: Plan): PlanAction[] {
  switch (plan.input.decision.plan) {
    case PlanKind.CASCADE:
      return cascade(plan);
    case PlanKind.HEDGE:
      return hedge(plan);
    case PlanKind.VOTE:
      return vote(plan);
    case PlanKind.JUDGE:
      return judge(plan);
    case PlanKind.DRAFT_REVIEW:
      return draftReview(plan);
    case PlanKind.CHAIN:
      return chain(plan);
    case PlanKind.SINGLE:
    case PlanKind.TOOL:
    case PlanKind.UNSPECIFIED:
      return single(plan);
  }
}
