import { Inject, Injectable } from '@nestjs/common';
import type { AffinityEntry } from '@yardmaster/catalog';
import { ConversationAffinity } from '@yardmaster/store';
import { LRUCache } from 'lru-cache';
import { RouterConfig } from '../config.js';

interface Local {
  readonly model: string;
  readonly intent: string;
  /** When this replica last wrote the entry to Redis (0: read from Redis, never written here). */
  readonly writtenAtMs: number;
}

/**
 * Conversation affinity: which model each conversation is on. Only requests that carry a
 * `conversation_id` touch it, so requests without one never wait on Redis. A replica
 * remembers the conversations it routed (LRU, ROUTER_AFFINITY_CACHE_SIZE entries, trusted
 * for ROUTER_AFFINITY_LOCAL_TTL_MS); on a local miss it reads Redis once. It writes
 * Redis only when the conversation's model changes or the entry is half-way to expiry,
 * so a steady conversation costs no Redis round trip per turn on the replica that saw it.
 */
@Injectable()
export class AffinityCache {
  private readonly local: LRUCache<string, Local> | undefined;

  constructor(
    @Inject(ConversationAffinity) private readonly store: ConversationAffinity,
    @Inject(RouterConfig) config: RouterConfig,
  ) {
    this.local = config.affinityCacheSize > 0 && config.affinityLocalTtlMs > 0 ? new LRUCache({ max: config.affinityCacheSize, ttl: config.affinityLocalTtlMs, ttlAutopurge: false }) : undefined;
  }

  /** The conversation's previous choice: local first, then Redis. */
  async lookup(tenantId: string, conversationId: string): Promise<AffinityEntry | undefined> {
    const key = `${tenantId}\u0000${conversationId}`;
    const hit = this.local?.get(key);
    if (hit) return hit;
    const stored = await this.store.get(tenantId, conversationId);
    if (stored) this.local?.set(key, { ...stored, writtenAtMs: 0 });
    return stored;
  }

  /** Records this turn's choice; writes Redis only when it changed or needs its TTL refreshed. */
  async remember(tenantId: string, conversationId: string, choice: AffinityEntry, ttlSeconds: number, nowMs = Date.now()): Promise<void> {
    const key = `${tenantId}\u0000${conversationId}`;
    const hit = this.local?.get(key);
    if (hit && hit.model === choice.model && hit.intent === choice.intent && nowMs - hit.writtenAtMs < (ttlSeconds * 1000) / 2) return;
    await this.store.set(tenantId, conversationId, choice, ttlSeconds);
    this.local?.set(key, { model: choice.model, intent: choice.intent, writtenAtMs: nowMs });
  }
}
