import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { intentFromName, type Intent } from '@yardmaster/contracts';
import { parse } from 'yaml';
import { catalogSchema, type CatalogAlias, type CatalogData, type CatalogModel, type CatalogProvider, type CatalogTier } from './schema.js';
import { API_KINDS_OF, INTENT_NAMES } from './vocabulary.js';

export type { CatalogAlias, CatalogData, CatalogHttpTool, CatalogModel, CatalogProvider, CatalogRule, CatalogTier } from './schema.js';

/** Thrown when a catalog file cannot be read, parsed or validated; lists every problem. */
export class CatalogError extends Error {
  readonly code = 'invalid_catalog';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid model catalog ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'CatalogError';
  }
}

/**
 * A model with everything the router needs at hand: its provider's pool, API, region and
 * whether it is self-hosted, and its quality prior per intent as an array indexed by the
 * `Intent` enum value (no lookups by name on the hot path).
 */
export interface ResolvedModel {
  readonly name: string;
  readonly data: CatalogModel;
  readonly provider: CatalogProvider;
  /** `Intent` enum value → expected quality at medium complexity. */
  readonly qualityByIntent: Float64Array;
  readonly languages: ReadonlySet<string>;
  readonly capabilities: ReadonlySet<string>;
  /** Position in the catalog (stable tie-breaks). */
  readonly index: number;
}

/** A validated model catalog with precomputed lookups. Immutable; a reload builds a new one. */
export class Catalog {
  private readonly modelsByName: ReadonlyMap<string, ResolvedModel>;
  private readonly providersByName: ReadonlyMap<string, CatalogProvider>;
  /** Chat and image models, in catalog order. */
  readonly models: readonly ResolvedModel[];
  /** Tool models, by the tool they serve: the calculator by its name, HTTP tools by their provider's `http_tool.tool`. */
  readonly tools: ReadonlyMap<string, ResolvedModel>;
  /** sha256 of the source text (first 12 hex digits): tells two files with the same `version` apart. */
  readonly digest: string;

  private constructor(
    readonly data: CatalogData,
    text: string,
  ) {
    this.providersByName = new Map(data.providers.map((p) => [p.name, p]));
    const resolved = data.models.map((m, index): ResolvedModel => {
      const q = new Float64Array(INTENT_NAMES.length + 1).fill(m.quality.default);
      for (const [intent, value] of Object.entries(m.quality.intents)) if (value !== undefined) q[intentFromName(intent)] = value;
      return {
        name: m.name,
        data: m,
        provider: this.providersByName.get(m.provider)!,
        qualityByIntent: q,
        languages: new Set(m.languages),
        capabilities: new Set(m.capabilities),
        index,
      };
    });
    this.modelsByName = new Map(resolved.map((m) => [m.name, m]));
    this.models = resolved.filter((m) => m.data.kind !== 'tool');
    this.tools = new Map(resolved.filter((m) => m.data.kind === 'tool').map((m) => [toolName(m.data, m.provider), m]));
    this.digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  }

  /**
   * Parses and validates catalog YAML: the schema (unknown keys, ranges, sources), then
   * cross-references (unique names, providers, pools with one API each, tiers, tenants,
   * aliases, rules).
   * @throws CatalogError with every problem found.
   */
  static parse(text: string, source = '<inline>'): Catalog {
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (err) {
      throw new CatalogError(source, [`YAML: ${err instanceof Error ? err.message : String(err)}`], { cause: err });
    }
    const result = catalogSchema.safeParse(raw);
    if (!result.success) {
      throw new CatalogError(source, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    }
    const problems = crossReferenceProblems(result.data);
    if (problems.length > 0) throw new CatalogError(source, problems);
    return new Catalog(result.data, text);
  }

  /** Reads and validates a catalog file. @throws CatalogError */
  static load(path: string): Catalog {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CatalogError(path, [`cannot read: ${err instanceof Error ? err.message : String(err)}`], { cause: err });
    }
    return Catalog.parse(text, path);
  }

  /** The catalog's `version` field. */
  get version(): string {
    return this.data.version;
  }

  /** Any model, tool included. */
  model(name: string): ResolvedModel | undefined {
    return this.modelsByName.get(name);
  }

  provider(name: string): CatalogProvider | undefined {
    return this.providersByName.get(name);
  }

  alias(name: string): CatalogAlias | undefined {
    return Object.hasOwn(this.data.aliases, name) ? this.data.aliases[name] : undefined;
  }

  /** Whether callers may name this as the model: a catalog model or a route alias. */
  isModelName(name: string): boolean {
    return this.modelsByName.has(name) || this.alias(name) !== undefined;
  }

  /** Every name a caller may use as the model (aliases first), e.g. for `/v1/models`. */
  modelNames(): string[] {
    return [...Object.keys(this.data.aliases), ...this.models.map((m) => m.name)];
  }

  /** The tier of a tenant (its own, else `defaults.tier`). */
  tierOf(tenantId: string): { name: string; tier: CatalogTier } {
    const name = (Object.hasOwn(this.data.tenants, tenantId) ? this.data.tenants[tenantId] : undefined) ?? this.data.defaults.tier;
    return { name, tier: this.data.tiers[name]! };
  }

  /** Every worker pool the catalog sends work to, in catalog order. */
  pools(): string[] {
    return [...new Set(this.data.providers.map((p) => p.pool))];
  }

  /** Each pool with the API kind its worker speaks. */
  poolApis(): Map<string, string> {
    return new Map(this.data.providers.map((p) => [p.pool, p.api]));
  }
}

/** The tool a tool model serves: its HTTP provider's `http_tool.tool`, else its own name (the calculator). */
export function toolName(model: CatalogModel, provider: CatalogProvider | undefined): string {
  return provider?.http_tool?.tool ?? model.name;
}

/** Problems of `http-tool` providers: the request template, the base URL, the credential, one provider per pool. */
function httpToolProblems(data: CatalogData): string[] {
  const problems: string[] = [];
  const perPool = new Map<string, number>();
  for (const p of data.providers) {
    if (p.api !== 'http-tool') {
      if (p.http_tool) problems.push(`provider "${p.name}": http_tool is only for api http-tool (it has api ${p.api})`);
      continue;
    }
    perPool.set(p.pool, (perPool.get(p.pool) ?? 0) + 1);
    if (!p.http_tool) problems.push(`provider "${p.name}" (api http-tool) needs http_tool: { tool, path, method, headers, timeout_ms }`);
    if (!p.base_url) problems.push(`provider "${p.name}" (api http-tool) needs base_url (the tool's endpoint; the worker may override it with PROVIDER_BASE_URL)`);
    const usesCredential = Object.values(p.http_tool?.headers ?? {}).some((v) => v.includes('{credential}'));
    if (usesCredential && !p.credentials) problems.push(`provider "${p.name}": a header uses {credential} but the provider has no credentials`);
    if (p.credentials && p.http_tool && !usesCredential) problems.push(`provider "${p.name}": credentials are given but no http_tool header uses {credential}`);
  }
  for (const [pool, n] of perPool) if (n > 1) problems.push(`pool "${pool}" has ${n} http-tool providers (its worker calls one endpoint: one provider per http-tool pool)`);
  return problems;
}

/** Every cross-reference problem of schema-valid catalog data. */
function crossReferenceProblems(data: CatalogData): string[] {
  const problems: string[] = [];
  const duplicates = (names: string[], what: string) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) problems.push(`${what} "${n}" is defined twice`);
      seen.add(n);
    }
  };
  duplicates(data.providers.map((p) => p.name), 'provider');
  duplicates(data.models.map((m) => m.name), 'model');
  duplicates(data.rules.map((r) => r.name), 'rule');

  const providers = new Map(data.providers.map((p) => [p.name, p]));
  const models = new Map(data.models.map((m) => [m.name, m]));
  const pools = new Set(data.providers.map((p) => p.pool));
  const tiers = new Set(Object.keys(data.tiers));

  const poolApi = new Map<string, string>();
  for (const p of data.providers) {
    const api = poolApi.get(p.pool);
    if (api !== undefined && api !== p.api) problems.push(`pool "${p.pool}" mixes API kinds ${api} and ${p.api} (one worker per pool speaks one API)`);
    poolApi.set(p.pool, p.api);
  }
  for (const m of data.models) {
    const p = providers.get(m.provider);
    if (!p) {
      problems.push(`model "${m.name}" names unknown provider "${m.provider}"`);
      continue;
    }
    if (!API_KINDS_OF[m.kind].includes(p.api)) problems.push(`model "${m.name}" (kind ${m.kind}) cannot be served by provider "${p.name}" (api ${p.api})`);
    if (m.kind === 'image' && !m.capabilities.includes('image_output')) problems.push(`model "${m.name}" is an image model without the image_output capability`);
    if (m.max_output_tokens > m.context_window) problems.push(`model "${m.name}": max_output_tokens ${m.max_output_tokens} exceeds its context_window ${m.context_window}`);
  }
  if (!data.models.some((m) => m.kind === 'chat')) problems.push('the catalog needs at least one chat model');
  problems.push(...httpToolProblems(data));
  const servedBy = new Map<string, string>();
  for (const m of data.models) {
    if (m.kind !== 'tool') continue;
    const tool = toolName(m, providers.get(m.provider));
    const other = servedBy.get(tool);
    if (other !== undefined) problems.push(`tool "${tool}" is served by two models, "${other}" and "${m.name}" (the router sends a tool suggestion to one)`);
    servedBy.set(tool, m.name);
  }

  const known = (where: string, name: string) => {
    if (!models.has(name)) problems.push(`${where} names unknown model "${name}"`);
  };
  if (!tiers.has(data.defaults.tier)) problems.push(`defaults.tier names unknown tier "${data.defaults.tier}"`);
  for (const [tenant, tier] of Object.entries(data.tenants)) if (!tiers.has(tier)) problems.push(`tenants.${tenant} names unknown tier "${tier}"`);
  for (const [name, t] of Object.entries(data.tiers)) {
    for (const m of t.allowed_models) known(`tiers.${name}.allowed_models`, m);
    if (t.injection.model !== undefined) known(`tiers.${name}.injection.model`, t.injection.model);
    if (t.reference !== undefined) known(`tiers.${name}.reference.model`, t.reference.model);
    const regions = new Set(data.providers.map((p) => p.region));
    for (const r of t.regions) if (!regions.has(r)) problems.push(`tiers.${name}.regions names region "${r}" that no provider is in`);
  }
  for (const [name, a] of Object.entries(data.aliases)) {
    if (models.has(name)) problems.push(`alias "${name}" is also a model name`);
    for (const m of a.models ?? []) known(`aliases.${name}.models`, m);
  }
  data.rules.forEach((r, i) => {
    const where = `rules[${i}] "${r.name}"`;
    if (r.then.model !== undefined) known(where, r.then.model);
    for (const m of r.then.models ?? []) known(where, m);
    if (r.then.pool !== undefined && !pools.has(r.then.pool)) problems.push(`${where} names unknown pool "${r.then.pool}"`);
    for (const t of r.when.tier ?? []) if (!tiers.has(t)) problems.push(`${where} names unknown tier "${t}"`);
    for (const a of r.when.alias ?? []) if (!Object.hasOwn(data.aliases, a)) problems.push(`${where} names unknown alias "${a}"`);
    const { complexity_min: lo, complexity_max: hi, tokens_min: tlo, tokens_max: thi } = r.when;
    if (lo !== undefined && hi !== undefined && lo > hi) problems.push(`${where}: complexity_min ${lo} > complexity_max ${hi}`);
    if (tlo !== undefined && thi !== undefined && tlo > thi) problems.push(`${where}: tokens_min ${tlo} > tokens_max ${thi}`);
  });
  return problems;
}

/** Quality prior of a model for an intent at medium complexity. */
export function qualityPrior(model: ResolvedModel, intent: Intent): number {
  return model.qualityByIntent[intent] ?? model.data.quality.default;
}
