import type { Candidate, Classification, Constraint, InferenceRequest, RoutingDecision } from '@yardmaster/contracts';
import type { QualityPosteriors } from '../learning/posteriors.js';

/**
 * A target's live health as the router reads it (structurally the `TargetHealth` of
 * `@yardmaster/store`, so this library needs no Redis client).
 */
export interface TargetHealthView {
  readonly errorRate: number;
  readonly latencyMs: number;
  readonly samples: number;
  readonly circuitOpenUntilMs: number;
  readonly cooldownUntilMs: number;
  readonly headroom: number | undefined;
  readonly reason: string;
  /** When the workers last reported on the target (epoch ms); old error rates fade (see ERROR_RATE_HALF_LIFE_MS). */
  readonly updatedAtMs?: number;
}

/** Live health by target key `<provider>/<model>` (a local cache; never a network call). */
export interface HealthView {
  get(target: string): TargetHealthView | undefined;
}

/** What the router remembers about a conversation's previous turn. */
export interface AffinityEntry {
  readonly model: string;
  /** Intent (taxonomy name) of the turn that chose the model. */
  readonly intent: string;
}

/** Everything a decision depends on besides the catalog. */
export interface RouteInput {
  readonly request: InferenceRequest;
  readonly classification: Classification;
  /** Live health; absent = everything healthy, priors only. */
  readonly health?: HealthView;
  /** The conversation's previous choice, when the request has a conversation_id the router remembers. */
  readonly affinity?: AffinityEntry;
  /** Clock for health checks (epoch ms). */
  readonly nowMs?: number;
  /** Quality learned from feedback; `explore` draws from the posteriors (Thompson sampling) instead of using their means. */
  readonly learned?: { readonly posteriors: QualityPosteriors; readonly explore: boolean };
}

/** The outcome of routing: a decision, or the reason nothing may serve the request (with what was considered). */
export type Routed =
  | { readonly ok: true; readonly decision: RoutingDecision }
  | {
      readonly ok: false;
      /** Stable code: no_compliant_model, pii_refused, injection_refused, denied_by_rule, unknown_model, constraints_unsatisfiable, no_eligible_model. */
      readonly code: string;
      readonly reason: string;
      readonly candidates: Candidate[];
      readonly constraints: Constraint[];
      readonly rulesApplied: string[];
      readonly tier: string;
      readonly alias: string;
    };
