import type { Store } from './index.js';

/** The model a conversation was routed to, and the intent of the turn that chose it. */
export interface ConversationChoice {
  readonly model: string;
  readonly intent: string;
}

/** Key layout (the store adds its own prefix). Conversations are scoped by tenant. */
export const AffinityKeys = Object.freeze({
  conversation: (tenantId: string, conversationId: string) => `affinity:${tenantId}:${conversationId}`,
});

/**
 * Which model each conversation is on, shared by every router replica, so the turns of
 * one conversation stay on one model. An abstract class so that it is also the
 * dependency-injection token. Each method is one Redis round trip.
 */
export abstract class ConversationAffinity {
  abstract get(tenantId: string, conversationId: string): Promise<ConversationChoice | undefined>;
  /** Remembers the choice for `ttlSeconds` after this turn. */
  abstract set(tenantId: string, conversationId: string, choice: ConversationChoice, ttlSeconds: number): Promise<void>;
}

function encode(choice: ConversationChoice): string {
  return `${choice.model}\n${choice.intent}`;
}

function decode(value: string | null): ConversationChoice | undefined {
  if (value === null) return undefined;
  const nl = value.indexOf('\n');
  return nl < 0 ? { model: value, intent: '' } : { model: value.slice(0, nl), intent: value.slice(nl + 1) };
}

/** {@link ConversationAffinity} in Redis: one string key per conversation with a TTL. */
export class RedisConversationAffinity extends ConversationAffinity {
  constructor(private readonly store: Store) {
    super();
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationChoice | undefined> {
    const value = await this.store.run(() => this.store.connection().get(this.store.key(AffinityKeys.conversation(tenantId, conversationId))));
    return decode(value);
  }

  async set(tenantId: string, conversationId: string, choice: ConversationChoice, ttlSeconds: number): Promise<void> {
    await this.store.run(() => this.store.connection().set(this.store.key(AffinityKeys.conversation(tenantId, conversationId)), encode(choice), 'EX', Math.max(1, Math.round(ttlSeconds))));
  }
}

/** {@link ConversationAffinity} in one process's memory (unit tests, single-process tools). */
export class InMemoryConversationAffinity extends ConversationAffinity {
  private readonly entries = new Map<string, { value: string; expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  get(tenantId: string, conversationId: string): Promise<ConversationChoice | undefined> {
    const key = AffinityKeys.conversation(tenantId, conversationId);
    const e = this.entries.get(key);
    if (e && e.expiresAtMs <= this.now()) this.entries.delete(key);
    return Promise.resolve(e && e.expiresAtMs > this.now() ? decode(e.value) : undefined);
  }

  set(tenantId: string, conversationId: string, choice: ConversationChoice, ttlSeconds: number): Promise<void> {
    this.entries.set(AffinityKeys.conversation(tenantId, conversationId), { value: encode(choice), expiresAtMs: this.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }
}
