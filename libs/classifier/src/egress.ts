/**
 * Whether a request's conversation may be sent to the second-stage endpoint. The
 * second stage is the classifier's only way out of our infrastructure, so this is
 * where the privacy rule is enforced for it: a request marked self-hosted-only, or
 * one in which the first stage found PII under a policy that keeps PII private,
 * never reaches an endpoint that is not self-hosted, by this or any other path.
 */

/** Where the caller allows the request to be processed (the routing hints' privacy). */
export type PrivacyHint = 'any' | 'self_hosted_only';

/** What may happen to a request in which PII was found: `private` keeps it on self-hosted endpoints. */
export type PiiPolicy = 'private' | 'allow';

/** Why the second stage was not consulted for a request that would otherwise have gone. */
export type SecondStageSkip = 'self_hosted_only' | 'pii_private';

/** What {@link secondStageSkipReason} decides on. */
export interface EgressFacts {
  /** The request's privacy hint; unspecified counts as `any`, as the router reads it. */
  privacy: PrivacyHint;
  /** Whether the first stage found any PII in the conversation. */
  piiFound: boolean;
  /** Whether the second-stage endpoint runs on our own infrastructure. */
  endpointSelfHosted: boolean;
  piiPolicy: PiiPolicy;
}

/**
 * Returns why the conversation must not be sent to the second stage, or null when
 * it may be. A self-hosted endpoint is inside our infrastructure, so every request
 * may use it; an external one gets neither self-hosted-only requests nor, under the
 * `private` policy, requests with PII. Pure, so the rule is tested on its own.
 */
export function secondStageSkipReason(facts: EgressFacts): SecondStageSkip | null {
  if (facts.endpointSelfHosted) return null;
  if (facts.privacy === 'self_hosted_only') return 'self_hosted_only';
  if (facts.piiFound && facts.piiPolicy === 'private') return 'pii_private';
  return null;
}
