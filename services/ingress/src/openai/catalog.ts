import { readFileSync, statSync } from 'node:fs';
import { Strategy } from '@yardmaster/contracts';
import { parse } from 'yaml';

/** A model the catalog offers, as `GET /v1/models` lists it. */
export interface CatalogEntry {
  readonly name: string;
  readonly provider: string;
  readonly capabilities: readonly string[];
}

/** Route aliases callers may send as `model`: each is automatic routing with a strategy. */
export const ROUTE_ALIASES: Readonly<Record<string, Strategy>> = Object.freeze({
  auto: Strategy.UNSPECIFIED,
  'auto:balanced': Strategy.BALANCED,
  'auto:cheap': Strategy.COST,
  'auto:best': Strategy.QUALITY,
  'auto:fast': Strategy.LATENCY,
});

/** Thrown when the catalog file cannot be read or has no models. */
export class CatalogUnreadable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogUnreadable';
  }
}

/**
 * A small reader of the router's catalog YAML (`models[].name`, `provider`, `capabilities`)
 * for ingress: which model names exist (so an unknown `model` is refused at the door with
 * 404 `model_not_found`) and what `GET /v1/models` lists. The router stays the judge of
 * everything else. Re-read when the file changes (checked at most once a second).
 */
export class CatalogModels {
  private models: ReadonlyMap<string, CatalogEntry> = new Map();
  private loadedMtimeMs = -1;
  private checkedAtMs = 0;
  /** When the catalog was first read (epoch seconds): `created` of every listed model. */
  readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(private readonly path: string) {
    this.reload();
  }

  /** @throws CatalogUnreadable */
  private reload(): void {
    let text: string;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
      if (mtimeMs === this.loadedMtimeMs) return;
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      throw new CatalogUnreadable(`cannot read the model catalog ${this.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const doc = parse(text) as { models?: { name?: unknown; provider?: unknown; capabilities?: unknown }[] } | null;
    const models = new Map<string, CatalogEntry>();
    for (const m of doc?.models ?? []) {
      if (typeof m.name !== 'string') continue;
      models.set(m.name, {
        name: m.name,
        provider: typeof m.provider === 'string' ? m.provider : '',
        capabilities: Array.isArray(m.capabilities) ? m.capabilities.filter((c): c is string => typeof c === 'string') : [],
      });
    }
    if (models.size === 0) throw new CatalogUnreadable(`the model catalog ${this.path} lists no models`);
    this.models = models;
    this.loadedMtimeMs = mtimeMs;
  }

  private fresh(): ReadonlyMap<string, CatalogEntry> {
    const now = Date.now();
    if (now - this.checkedAtMs >= 1000) {
      this.checkedAtMs = now;
      try {
        this.reload();
      } catch {
        // Keep serving the last good catalog; the router reports a broken one.
      }
    }
    return this.models;
  }

  /** The model of that name, if the catalog has it. */
  model(name: string): CatalogEntry | undefined {
    return this.fresh().get(name);
  }

  /** Every model, in catalog order. */
  list(): CatalogEntry[] {
    return [...this.fresh().values()];
  }
}
