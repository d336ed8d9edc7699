/**
 * The router's choice for a later call of a plan (issue 12): the aggregator names the
 * target the plan wants next, or asks for a fallback after a failed call; live health is
 * checked again for every such call, so a target whose circuit opened since the first
 * decision is replaced by a healthy fallback, and a fallback is only ever one whose
 * trigger errors match the failure.
 */
import { TargetRole, type RoutingDecision, type Target } from '@yardmaster/contracts';
import { targetUnavailable } from './route.js';
import type { HealthView } from './types.js';

/** What the aggregator asks for. */
export interface FollowUpQuery {
  /** The target the plan wants next (index into decision.targets); for a fallback, the one that failed. */
  readonly targetIndex: number;
  /** A fallback replacing a failed call: pick the first untried FALLBACK whose triggers match. */
  readonly fallback: boolean;
  /** The failed call's error class (for a fallback). */
  readonly failedError: string;
  /** Target indexes the plan already ran. */
  readonly tried: readonly number[];
}

/** The target to call, or why none may be called. */
export type FollowUpChoice =
  | { readonly ok: true; readonly targetIndex: number; readonly note: string }
  | { readonly ok: false; readonly code: 'no_fallback' | 'invalid_follow_up'; readonly reason: string };

const key = (t: Target) => `${t.provider}/${t.model}`;

function triggered(t: Target, error: string): boolean {
  return t.triggerErrors.length === 0 || t.triggerErrors.includes(error);
}

/**
 * Chooses the target of a plan's next call from the decision, live health and what ran.
 * A fallback is the first untried FALLBACK target triggered by the error and healthy now
 * (when every triggered one is unhealthy, the first of them: a call may still succeed,
 * whereas no call certainly fails). A named target that is unhealthy now is replaced by
 * such a fallback when one exists.
 */
export function followUpTarget(decision: RoutingDecision, q: FollowUpQuery, health: HealthView | undefined, nowMs = Date.now()): FollowUpChoice {
  const wanted = decision.targets[q.targetIndex];
  if (!wanted) return { ok: false, code: 'invalid_follow_up', reason: `the decision has no target ${q.targetIndex}` };
  const tried = new Set(q.tried);
  const down = (t: Target) => targetUnavailable(health?.get(key(t)), nowMs);
  const fallbacks = (error: string) =>
    decision.targets.map((t, i) => ({ t, i })).filter(({ t, i }) => t.role === TargetRole.FALLBACK && !tried.has(i) && i !== q.targetIndex && (error === '' || triggered(t, error)));
  if (q.fallback) {
    const options = fallbacks(q.failedError);
    if (options.length === 0) return { ok: false, code: 'no_fallback', reason: `no untried fallback handles ${q.failedError || 'the error'} of ${wanted.model}` };
    const healthy = options.find(({ t }) => down(t) === undefined);
    const pick = healthy ?? options[0]!;
    return { ok: true, targetIndex: pick.i, note: `fallback ${pick.t.model} after ${q.failedError || 'an error'} of ${wanted.model}${healthy ? '' : ` (${down(pick.t)})`}` };
  }
  const why = down(wanted);
  if (why === undefined) return { ok: true, targetIndex: q.targetIndex, note: `${wanted.model} as planned` };
  const replacement = fallbacks('unavailable').find(({ t }) => down(t) === undefined);
  if (!replacement) return { ok: true, targetIndex: q.targetIndex, note: `${wanted.model} as planned although ${why}: no healthy fallback` };
  return { ok: true, targetIndex: replacement.i, note: `${replacement.t.model} instead of ${wanted.model} (${why})` };
}
