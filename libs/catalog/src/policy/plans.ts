/**
 * Plan emission: the targets of each execution plan with their roles and steps, and the
 * fallback chain with the error classes that trigger each step. Executing multi-model
 * plans is the aggregator's work; the layout keeps today's executor correct as well:
 * `targets[0]` runs first, and on failure the next targets run in order.
 */
import { PlanKind, TargetRole, TargetSchema, create, type Target } from '@yardmaster/contracts';
import type { Catalog, ResolvedModel } from '../catalog.js';
import { ErrorClasses } from '../vocabulary.js';
import { expectedCost, priorLatencyMs, type Scored } from './score.js';

/** What {@link buildPlan} needs. */
export interface PlanInput {
  readonly plan: PlanKind;
  /** Eligible candidates, best first. */
  readonly ordered: readonly Scored[];
  readonly floor: number;
  readonly tool: ResolvedModel | undefined;
  readonly toolHealthy: boolean;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly maxFallbacks: number;
  readonly pinned: boolean;
}

/** A plan ready for the decision. */
export interface BuiltPlan {
  /** The plan actually emitted (a plan that cannot be formed falls back to single, with a note). */
  readonly plan: PlanKind;
  readonly targets: Target[];
  /** The model candidate the explanation leads with. */
  readonly primary: Scored;
  readonly expectedCost: number;
  readonly expectedLatencyMs: number;
  /** One line on the plan's targets. */
  readonly summary: string;
  readonly notes: string[];
}

function target(m: ResolvedModel, role: TargetRole, step: number, extra: Partial<Pick<Target, 'triggerErrors' | 'hedgeDelayMs' | 'checks' | 'instruction'>> = {}): Target {
  return create(TargetSchema, {
    model: m.name,
    provider: m.provider.name,
    pool: m.provider.pool,
    role,
    inputPricePerMtok: m.data.input_price_per_mtok,
    outputPricePerMtok: m.data.output_price_per_mtok,
    api: m.provider.api,
    step,
    ...extra,
  });
}

/** Up to `n` candidates, preferring distinct providers (independent errors), best first. */
function diverse(ordered: readonly Scored[], n: number): Scored[] {
  const picked: Scored[] = [];
  const providers = new Set<string>();
  for (const s of ordered) {
    if (picked.length >= n) break;
    if (!providers.has(s.model.provider.name)) {
      picked.push(s);
      providers.add(s.model.provider.name);
    }
  }
  for (const s of ordered) {
    if (picked.length >= n) break;
    if (!picked.includes(s)) picked.push(s);
  }
  return picked;
}

/** The cheapest candidate whose quality clears `floor - margin` (the cheapest overall when none does). */
function cheapEnough(ordered: readonly Scored[], floor: number, margin: number): Scored {
  const byCost = [...ordered].sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  return byCost.find((s) => s.quality >= floor - margin) ?? byCost[0]!;
}

function bestQuality(ordered: readonly Scored[], except?: Scored): Scored | undefined {
  let best: Scored | undefined;
  for (const s of ordered) if (s !== except && (best === undefined || s.quality - s.healthPenalty > best.quality - best.healthPenalty)) best = s;
  return best;
}

/** The error classes of the step before that should move a request to `next`. */
export function triggersFor(first: ResolvedModel, next: ResolvedModel): string[] {
  const t = [...ErrorClasses.outage];
  if (next.provider.name !== first.provider.name) t.push(...ErrorClasses.contentPolicy);
  if (next.data.context_window > first.data.context_window) t.push(...ErrorClasses.contextLength);
  return t;
}

/** Builds the plan's targets and its fallback chain. */
export function buildPlan(catalog: Catalog, p: PlanInput): BuiltPlan {
  const settings = catalog.data.plans;
  const notes: string[] = [];
  const ordered = p.ordered;
  const head = ordered[0]!;
  const cost = (s: Scored, inTokens = p.inputTokens, outTokens = p.outputTokens) => expectedCost(s.model, inTokens, outTokens);
  const single = (): Omit<BuiltPlan, 'targets' | 'notes'> & { main: Target[] } => ({
    plan: PlanKind.SINGLE,
    main: [target(head.model, TargetRole.PRIMARY, 0)],
    primary: head,
    expectedCost: head.cost,
    expectedLatencyMs: head.latencyMs,
    summary: head.model.name,
  });

  let built: ReturnType<typeof single>;
  switch (p.plan) {
    case PlanKind.TOOL: {
      if (!p.tool || !p.toolHealthy) {
        notes.push(`${p.tool?.name ?? 'tool'} unavailable: a model answers instead`);
        built = single();
        break;
      }
      built = {
        plan: PlanKind.TOOL,
        main: [target(p.tool, TargetRole.PRIMARY, 0)],
        primary: head,
        expectedCost: 0,
        expectedLatencyMs: priorLatencyMs(p.tool, p.outputTokens),
        summary: `${p.tool.name}, then ${head.model.name} if the tool fails`,
      };
      break;
    }
    case PlanKind.CASCADE: {
      const first = cheapEnough(ordered, p.floor, settings.cascade.first_step_margin);
      const steps = [first];
      for (const next of [head, bestQuality(ordered)]) {
        if (next && steps.length < settings.cascade.max_steps && next.quality > steps[steps.length - 1]!.quality && !steps.includes(next)) steps.push(next);
      }
      if (steps.length < 2) {
        notes.push('cascade needs a stronger model than the first step: single');
        built = single();
        break;
      }
      const checks = [...settings.cascade.checks];
      built = {
        plan: PlanKind.CASCADE,
        main: steps.map((s, i) => target(s.model, i === 0 ? TargetRole.PRIMARY : TargetRole.ESCALATION, i, i < steps.length - 1 ? { checks } : {})),
        primary: first,
        expectedCost: first.cost,
        expectedLatencyMs: first.latencyMs,
        summary: `${steps.map((s) => s.model.name).join(' → ')} on a failed check (${checks.join(', ')})`,
      };
      break;
    }
    case PlanKind.HEDGE: {
      const second = ordered.slice(1).find((s) => s.model.provider.name !== head.model.provider.name) ?? ordered[1];
      if (!second) {
        notes.push('hedge needs a second model: single');
        built = single();
        break;
      }
      const delay = Math.round(settings.hedge.delay_ms ?? Math.max(settings.hedge.min_delay_ms, head.latencyMs * settings.hedge.latency_factor));
      built = {
        plan: PlanKind.HEDGE,
        main: [target(head.model, TargetRole.PRIMARY, 0), target(second.model, TargetRole.HEDGE, 0, { hedgeDelayMs: delay })],
        primary: head,
        expectedCost: head.cost,
        expectedLatencyMs: Math.min(head.latencyMs, delay + second.latencyMs),
        summary: `${head.model.name}, ${second.model.name} after ${delay} ms`,
      };
      break;
    }
    case PlanKind.VOTE: {
      const voters = diverse(ordered, settings.vote.voters);
      if (voters.length < 2) {
        notes.push('vote needs two models: single');
        built = single();
        break;
      }
      built = {
        plan: PlanKind.VOTE,
        main: voters.map((s) => target(s.model, TargetRole.VOTER, 0)),
        primary: head,
        expectedCost: voters.reduce((sum, s) => sum + s.cost, 0),
        expectedLatencyMs: Math.max(...voters.map((s) => s.latencyMs)),
        summary: `voters ${voters.map((s) => s.model.name).join(', ')}`,
      };
      break;
    }
    case PlanKind.JUDGE: {
      const answerers = diverse(ordered, settings.judge.candidates);
      const judge = bestQuality(ordered);
      if (answerers.length < 2 || !judge) {
        notes.push('judge needs two candidate models: single');
        built = single();
        break;
      }
      const judgeIn = p.inputTokens + p.outputTokens * answerers.length;
      built = {
        plan: PlanKind.JUDGE,
        main: [...answerers.map((s) => target(s.model, TargetRole.VOTER, 0)), target(judge.model, TargetRole.JUDGE, 1, { instruction: settings.judge.instruction })],
        primary: head,
        expectedCost: answerers.reduce((sum, s) => sum + s.cost, 0) + cost(judge, judgeIn),
        expectedLatencyMs: Math.max(...answerers.map((s) => s.latencyMs)) + judge.latencyMs,
        summary: `candidates ${answerers.map((s) => s.model.name).join(', ')}, judge ${judge.model.name}`,
      };
      break;
    }
    case PlanKind.DRAFT_REVIEW: {
      const drafter = cheapEnough(ordered, p.floor, settings.cascade.first_step_margin);
      const reviewer = bestQuality(ordered, drafter);
      if (!reviewer) {
        notes.push('draft_review needs a second model: single');
        built = single();
        break;
      }
      built = {
        plan: PlanKind.DRAFT_REVIEW,
        main: [target(drafter.model, TargetRole.DRAFTER, 0), target(reviewer.model, TargetRole.REVIEWER, 1, { instruction: settings.draft_review.instruction })],
        primary: drafter,
        expectedCost: drafter.cost + cost(reviewer, p.inputTokens + p.outputTokens),
        expectedLatencyMs: drafter.latencyMs + reviewer.latencyMs,
        summary: `draft ${drafter.model.name}, review ${reviewer.model.name}`,
      };
      break;
    }
    case PlanKind.CHAIN: {
      if (p.tool && p.toolHealthy) {
        // The tool's exact result, phrased for the user by the cheapest model good enough.
        const phraser = cheapEnough(ordered, p.floor, settings.cascade.first_step_margin);
        built = {
          plan: PlanKind.CHAIN,
          main: [target(p.tool, TargetRole.STEP, 0), target(phraser.model, TargetRole.STEP, 1, { instruction: settings.chain.tool_instruction })],
          primary: phraser,
          expectedCost: cost(phraser, p.inputTokens + 20),
          expectedLatencyMs: priorLatencyMs(p.tool, 20) + phraser.latencyMs,
          summary: `${p.tool.name}, then ${phraser.model.name} phrases its result`,
        };
        break;
      }
      const steps = settings.chain.steps;
      built = {
        plan: PlanKind.CHAIN,
        main: steps.map((st, i) => target(head.model, TargetRole.STEP, i, { instruction: st.instruction })),
        primary: head,
        expectedCost: head.cost + (steps.length - 1) * cost(head, p.inputTokens + p.outputTokens),
        expectedLatencyMs: head.latencyMs * steps.length,
        summary: `${steps.length} steps on ${head.model.name}`,
      };
      break;
    }
    default:
      built = single();
  }

  // --- Fallback chain: the remaining candidates by score, each with its triggers -------------
  const used = new Set(built.main.map((t) => t.model));
  const firstModel = built.plan === PlanKind.TOOL ? p.tool! : built.primary.model;
  const fallbacks: Target[] = [];
  const remaining = ordered.filter((s) => !used.has(s.model.name));
  if (built.plan === PlanKind.TOOL) {
    // After the tool, the best model answers whatever went wrong (any error).
    fallbacks.push(target(head.model, TargetRole.FALLBACK, 0, { triggerErrors: [] }));
    used.add(head.model.name);
  }
  for (const s of remaining) {
    if (fallbacks.length >= p.maxFallbacks) break;
    if (used.has(s.model.name)) continue;
    fallbacks.push(target(s.model, TargetRole.FALLBACK, 0, { triggerErrors: triggersFor(built.plan === PlanKind.TOOL ? head.model : firstModel, s.model) }));
    used.add(s.model.name);
  }
  if (!p.pinned) {
    // A prompt too long for the first target needs a larger window, even past max_fallbacks.
    const window = firstModel.data.context_window;
    const covered = fallbacks.some((t) => (catalog.model(t.model)?.data.context_window ?? 0) > window);
    if (!covered && built.plan !== PlanKind.TOOL) {
      const larger = remaining.filter((s) => !used.has(s.model.name) && s.model.data.context_window > window).sort((a, b) => b.model.data.context_window - a.model.data.context_window || a.cost - b.cost)[0];
      if (larger) fallbacks.push(target(larger.model, TargetRole.FALLBACK, 0, { triggerErrors: [...ErrorClasses.contextLength] }));
    }
  }
  return { plan: built.plan, targets: [...built.main, ...fallbacks], primary: built.primary, expectedCost: built.expectedCost, expectedLatencyMs: built.expectedLatencyMs, summary: built.summary, notes };
}
