import { statSync } from 'node:fs';
import { Catalog, CatalogError } from '@yardmaster/catalog';

/** A model the catalog offers, as `GET /v1/models` lists it. */
export interface CatalogEntry {
  readonly name: string;
  readonly provider: string;
  readonly capabilities: readonly string[];
}

/** Thrown when the catalog file cannot be read or is invalid (the message lists every problem). */
export class CatalogUnreadable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogUnreadable';
  }
}

/**
 * The router's model catalog as ingress needs it, read through the catalog library: which
 * names a caller may send as `model` (a catalog model, or a route alias such as `auto`,
 * `auto:cheap`; the router resolves aliases) and what `GET /v1/models` lists. The router
 * stays the judge of everything else. Re-read when the file changes (checked at most once
 * a second); a broken file keeps the last good catalog (the router reports it).
 */
export class CatalogModels {
  private catalog: Catalog | undefined;
  private loadedMtimeMs = -1;
  private checkedAtMs = 0;
  /** When the catalog was first read (epoch seconds): `created` of every listed model. */
  readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(private readonly path: string) {
    this.reload();
  }

  /** @throws CatalogUnreadable */
  private reload(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
      if (mtimeMs === this.loadedMtimeMs) return;
      this.catalog = Catalog.load(this.path);
    } catch (err) {
      throw new CatalogUnreadable(err instanceof CatalogError ? err.message : `cannot read the model catalog ${this.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.loadedMtimeMs = mtimeMs;
  }

  private fresh(): Catalog {
    const now = Date.now();
    if (now - this.checkedAtMs >= 1000) {
      this.checkedAtMs = now;
      try {
        this.reload();
      } catch {
        // Keep serving the last good catalog; the router reports a broken one.
      }
    }
    return this.catalog!;
  }

  /** The model of that name, if the catalog has it. */
  model(name: string): CatalogEntry | undefined {
    const m = this.fresh().model(name);
    return m ? { name: m.name, provider: m.provider.name, capabilities: [...m.capabilities] } : undefined;
  }

  /** Whether the name is one of the catalog's route aliases. */
  isAlias(name: string): boolean {
    return this.fresh().alias(name) !== undefined;
  }

  /** The route aliases, in catalog order. */
  aliases(): string[] {
    return Object.keys(this.fresh().data.aliases);
  }

  /** Every model, in catalog order. */
  list(): CatalogEntry[] {
    const c = this.fresh();
    return c.models.map((m) => this.model(m.name)!).filter((m) => m !== undefined);
  }
}
