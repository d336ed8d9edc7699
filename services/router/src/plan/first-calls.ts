import {
  ChatMessageSchema,
  ContentPartSchema,
  PlanKind,
  Role,
  TargetRole,
  create,
  remainingMs,
  timestampFromMs,
  type InferenceRequest,
  type RoutingDecision,
  type ChatMessage,
} from '@yardmaster/contracts';

type Timestamp = ReturnType<typeof timestampFromMs>;

/** Share of the time left that a judge plan's candidates may use (the judge needs the rest). */
export const JUDGE_CANDIDATE_SHARE = 0.6;

/** One call the router starts with the decision. */
export interface FirstCall {
  readonly targetIndex: number;
  /** Not before this time (a hedge's delay). */
  readonly startAfterMs?: number;
  /** A deadline of its own, earlier than the request's (a judge's candidates). */
  readonly deadline?: Timestamp;
  /** The conversation to send instead of the request's messages. */
  readonly prompt: ChatMessage[];
}

function system(text: string): ChatMessage {
  return create(ChatMessageSchema, { role: Role.SYSTEM, content: [create(ContentPartSchema, { part: { case: 'text', value: text } })] });
}

/**
 * The calls a decision starts at once (issue 12): the first target of sequential plans
 * (single, tool, cascade, draft_review, chain — the chain's first step with its
 * instruction), every target of the first parallel step (vote's voters, judge's
 * candidates with a deadline that leaves time for the judge) and both targets of a hedge
 * (the second one delayed). Later calls are requested by the aggregator.
 */
export function firstCalls(decision: RoutingDecision, request: InferenceRequest, nowMs = Date.now()): FirstCall[] {
  const targets = decision.targets;
  const indexes = (role: TargetRole) => targets.map((t, i) => (t.role === role ? i : -1)).filter((i) => i >= 0);
  switch (decision.plan) {
    case PlanKind.HEDGE:
      return targets
        .map((t, i) => ({ t, i }))
        .filter(({ t, i }) => i === 0 || t.role === TargetRole.HEDGE)
        .map(({ t, i }) => ({ targetIndex: i, prompt: [], ...(t.role === TargetRole.HEDGE ? { startAfterMs: nowMs + t.hedgeDelayMs } : {}) }));
    case PlanKind.VOTE:
      return indexes(TargetRole.VOTER).map((i) => ({ targetIndex: i, prompt: [] }));
    case PlanKind.JUDGE: {
      const left = remainingMs(request.deadline, nowMs);
      const deadline = Number.isFinite(left) ? timestampFromMs(nowMs + Math.max(0, Math.floor(left * JUDGE_CANDIDATE_SHARE))) : undefined;
      return indexes(TargetRole.VOTER).map((i) => ({ targetIndex: i, prompt: [], ...(deadline ? { deadline } : {}) }));
    }
    case PlanKind.CHAIN: {
      const instruction = targets[0]?.instruction ?? '';
      return [{ targetIndex: 0, prompt: instruction ? [system(instruction), ...request.messages] : [] }];
    }
    default:
      return [{ targetIndex: 0, prompt: [] }];
  }
}
