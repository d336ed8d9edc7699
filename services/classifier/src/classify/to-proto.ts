import type { ClassifierInput } from '@yardmaster/classifier';
import { Privacy, Role, messageImageCount, messageText, type InferenceRequest } from '@yardmaster/contracts';

const ROLES: Record<Role, 'system' | 'user' | 'assistant' | 'tool'> = {
  [Role.UNSPECIFIED]: 'user',
  [Role.SYSTEM]: 'system',
  [Role.USER]: 'user',
  [Role.ASSISTANT]: 'assistant',
  [Role.TOOL]: 'tool',
};

/**
 * The classifier library's view of a request: its conversation as plain turns, and
 * whether it must stay on our infrastructure (read as the router's policy reads it).
 */
export function toClassifierInput(request: InferenceRequest): ClassifierInput {
  return {
    messages: request.messages.map((m) => ({ role: ROLES[m.role], content: messageText(m), images: messageImageCount(m) })),
    privacy: request.hints?.privacy === Privacy.SELF_HOSTED_ONLY ? 'self_hosted_only' : 'any',
  };
}

/** The wire form of a classification (one implementation, shared with offline routing). */
export { classificationFromResult as toClassification } from '@yardmaster/catalog';
