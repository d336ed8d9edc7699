import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A key's public name: `key-<n>#<first 8 hex of its SHA-256>`. Safe for logs, spans and
 * metrics; the key itself never leaves the ring except into an Authorization header.
 */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Splits a list of keys (commas, whitespace or newlines between them; `#` comments in files). */
export function parseKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .join(',')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * Loads a provider's keys: `single` (PROVIDER_API_KEY), `list` (PROVIDER_API_KEYS) and the
 * file at `file` (PROVIDER_API_KEY_FILE: a mounted Secret, one key per line), in that order,
 * without duplicates.
 * @throws Error naming the file (never its content) when it cannot be read.
 */
export function loadKeys(sources: { single?: string | undefined; list?: string | undefined; file?: string | undefined }): string[] {
  const keys = [...(sources.single ? [sources.single] : []), ...parseKeys(sources.list ?? '')];
  if (sources.file) {
    let text: string;
    try {
      text = readFileSync(sources.file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the API key file ${sources.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
    }
    keys.push(...parseKeys(text));
  }
  return [...new Set(keys)];
}

/** One key as handed out by {@link KeyRing.pick}. */
export interface PickedKey {
  /** The key, for the Authorization header only. */
  readonly key: string;
  /** Public name for logs and spans, see {@link keyFingerprint}. */
  readonly id: string;
}

/**
 * A provider's API keys, rotated round-robin; a key the provider throttled (429) rests
 * until its Retry-After passes while the others carry the traffic. An empty ring hands
 * out no key (unauthenticated servers, or Basic auth in the base URL).
 */
export class KeyRing {
  private readonly entries: { key: string; id: string; restUntil: number }[];
  private next = 0;

  constructor(keys: readonly string[]) {
    this.entries = keys.map((key, i) => ({ key, id: `key-${i + 1}#${keyFingerprint(key)}`, restUntil: 0 }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every key (for scrubbing them out of error messages). */
  secrets(): string[] {
    return this.entries.map((e) => e.key);
  }

  /**
   * The next key not resting, round-robin; `undefined` for an empty ring. When every key
   * rests, `resting` is true and `wakeAt` says when the first wakes.
   */
  pick(now = Date.now()): { picked: PickedKey | undefined; resting: boolean; wakeAt: number } {
    const n = this.entries.length;
    if (n === 0) return { picked: undefined, resting: false, wakeAt: now };
    for (let i = 0; i < n; i++) {
      const e = this.entries[(this.next + i) % n]!;
      if (e.restUntil <= now) {
        this.next = (this.next + i + 1) % n;
        return { picked: { key: e.key, id: e.id }, resting: false, wakeAt: now };
      }
    }
    return { picked: undefined, resting: true, wakeAt: Math.min(...this.entries.map((e) => e.restUntil)) };
  }

  /** The provider throttled `id`: it rests until `untilMs` (a later 429 only extends the rest). */
  rest(id: string, untilMs: number): void {
    const e = this.entries.find((x) => x.id === id);
    if (e) e.restUntil = Math.max(e.restUntil, untilMs);
  }

  /** Whether some key is not resting now. */
  anyAwake(now = Date.now()): boolean {
    return this.entries.length === 0 || this.entries.some((e) => e.restUntil <= now);
  }
}
