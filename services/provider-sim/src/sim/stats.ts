/** What provider-sim received for one model in one window. */
export interface ModelCounts {
  requests: number;
  /** Tokens (prompt + completion) of the requests that arrived in this window and were answered. */
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  /** Answers by HTTP status (`hang` for requests never answered). */
  statuses: Record<string, number>;
}

/** One counting window. */
export interface StatsWindow {
  startMs: number;
  models: Record<string, ModelCounts>;
  /** Requests by key fingerprint (never the key). */
  keys: Record<string, number>;
}

/**
 * Counts what provider-sim receives per model per window (a minute by default, aligned
 * to the epoch like a provider's per-minute limits), so tests can check limits at the
 * provider's side. Keeps the last `keep` windows.
 */
export class SimStats {
  private readonly windows: StatsWindow[] = [];

  constructor(
    readonly windowMs = 60_000,
    private readonly keep = 60,
  ) {}

  private current(now = Date.now()): StatsWindow {
    const startMs = now - (now % this.windowMs);
    let w = this.windows[this.windows.length - 1];
    if (!w || w.startMs !== startMs) {
      w = { startMs, models: {}, keys: {} };
      this.windows.push(w);
      if (this.windows.length > this.keep) this.windows.shift();
    }
    return w;
  }

  private model(model: string): ModelCounts {
    const w = this.current();
    return (w.models[model] ??= { requests: 0, tokens: 0, inputTokens: 0, outputTokens: 0, statuses: {} });
  }

  /** A request arrived (counted when received, as a provider's RPM does). */
  received(model: string, keyId: string | undefined): void {
    this.model(model).requests++;
    if (keyId) {
      const w = this.current();
      w.keys[keyId] = (w.keys[keyId] ?? 0) + 1;
    }
  }

  /** The tokens of a request that will be answered, counted in the window it arrived in (as a provider's TPM does). */
  tokens(model: string, inputTokens: number, outputTokens: number): void {
    const m = this.model(model);
    m.inputTokens += inputTokens;
    m.outputTokens += outputTokens;
    m.tokens += inputTokens + outputTokens;
  }

  /** How it was answered. */
  answered(model: string, status: number | 'hang'): void {
    const m = this.model(model);
    m.statuses[String(status)] = (m.statuses[String(status)] ?? 0) + 1;
  }

  snapshot(): { windowMs: number; windows: StatsWindow[]; totals: Record<string, ModelCounts>; keys: Record<string, number> } {
    const totals: Record<string, ModelCounts> = {};
    const keys: Record<string, number> = {};
    for (const w of this.windows) {
      for (const [model, c] of Object.entries(w.models)) {
        const t = (totals[model] ??= { requests: 0, tokens: 0, inputTokens: 0, outputTokens: 0, statuses: {} });
        t.requests += c.requests;
        t.tokens += c.tokens;
        t.inputTokens += c.inputTokens;
        t.outputTokens += c.outputTokens;
        for (const [s, n] of Object.entries(c.statuses)) t.statuses[s] = (t.statuses[s] ?? 0) + n;
      }
      for (const [k, n] of Object.entries(w.keys)) keys[k] = (keys[k] ?? 0) + n;
    }
    return { windowMs: this.windowMs, windows: structuredClone(this.windows), totals, keys };
  }

  reset(): void {
    this.windows.length = 0;
  }
}
