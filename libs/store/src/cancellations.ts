import type { Store } from './index.js';
import { PipelineKeys } from './pipeline-state.js';

/**
 * Which of the requests a worker is calling providers for were cancelled by their
 * callers (`PipelineState.markCancelled`): read with one `MGET` for all of them, so a
 * worker can poll its in-flight calls a few times a second and abort the cancelled ones.
 */
export abstract class CancelledRequests {
  /** The subset of `requestIds` that carry a cancel marker. */
  abstract which(requestIds: readonly string[]): Promise<Set<string>>;
}

/** {@link CancelledRequests} over Redis (one `MGET`). */
export class RedisCancelledRequests extends CancelledRequests {
  constructor(private readonly store: Store) {
    super();
  }

  async which(requestIds: readonly string[]): Promise<Set<string>> {
    if (requestIds.length === 0) return new Set();
    const values = await this.store.run(() => this.store.connection().mget(...requestIds.map((id) => this.store.key(PipelineKeys.cancelled(id)))));
    return new Set(requestIds.filter((_, i) => values[i] !== null && values[i] !== undefined));
  }
}
