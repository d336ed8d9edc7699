import { readFileSync } from 'node:fs';
import { isValidPoolName } from '@yardmaster/contracts';
import { z } from '@yardmaster/config';
import { parse } from 'yaml';

const INTENTS = [
  'code', 'math', 'reasoning', 'creative_writing', 'writing', 'summarization', 'translation', 'extraction',
  'classification', 'rewrite', 'open_qa', 'brainstorming', 'chat', 'image_generation', 'other',
] as const;

const CAPABILITIES = ['vision', 'json', 'tools', 'image_output', 'long_context'] as const;

const route = z.object({
  primary: z.string().min(1),
  strong: z.string().min(1).optional(),
  fallbacks: z.array(z.string().min(1)).default([]),
});

const schema = z.object({
  version: z.string().min(1),
  providers: z
    .array(
      z.object({
        name: z.string().min(1),
        pool: z.string().refine(isValidPoolName, 'pool must be lowercase letters, digits and dashes'),
        api: z.enum(['openai-chat']),
        self_hosted: z.boolean().default(false),
      }),
    )
    .min(1),
  models: z
    .array(
      z.object({
        name: z.string().min(1),
        provider: z.string().min(1),
        tier: z.enum(['small', 'frontier', 'specialist']),
        input_price_per_mtok: z.number().nonnegative(),
        output_price_per_mtok: z.number().nonnegative(),
        context_window: z.number().int().positive(),
        typical_latency_ms: z.number().int().positive(),
        capabilities: z.array(z.enum(CAPABILITIES)).default([]),
      }),
    )
    .min(1),
  policy: z.object({
    strong_threshold: z.number().min(0).max(1).default(0.6),
    default: route,
    intents: z.partialRecord(z.enum(INTENTS), route).default({}),
  }),
});

export type CatalogData = z.infer<typeof schema>;
export type CatalogModel = CatalogData['models'][number];
export type CatalogProvider = CatalogData['providers'][number];
export type CatalogRoute = z.infer<typeof route>;

/** Thrown when a catalog file cannot be read, parsed or validated; lists every problem. */
export class CatalogError extends Error {
  readonly code = 'invalid_catalog';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid model catalog ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

/** A validated model catalog with lookups by name. */
export class Catalog {
  private readonly modelsByName: ReadonlyMap<string, CatalogModel>;
  private readonly providersByName: ReadonlyMap<string, CatalogProvider>;

  private constructor(readonly data: CatalogData) {
    this.modelsByName = new Map(data.models.map((m) => [m.name, m]));
    this.providersByName = new Map(data.providers.map((p) => [p.name, p]));
  }

  /**
   * Parses and validates catalog YAML: the schema, then cross-references (unique names,
   * every model's provider exists, every route names known models).
   * @throws CatalogError with every problem found.
   */
  static parse(text: string, source = '<inline>'): Catalog {
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (err) {
      throw new CatalogError(source, [`YAML: ${err instanceof Error ? err.message : String(err)}`]);
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      throw new CatalogError(source, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    }
    const data = result.data;
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
    const providers = new Set(data.providers.map((p) => p.name));
    const models = new Set(data.models.map((m) => m.name));
    for (const m of data.models) if (!providers.has(m.provider)) problems.push(`model "${m.name}" names unknown provider "${m.provider}"`);
    const checkRoute = (where: string, r: CatalogRoute) => {
      for (const name of [r.primary, ...(r.strong ? [r.strong] : []), ...r.fallbacks]) {
        if (!models.has(name)) problems.push(`${where} names unknown model "${name}"`);
      }
    };
    checkRoute('policy.default', data.policy.default);
    for (const [intent, r] of Object.entries(data.policy.intents)) if (r) checkRoute(`policy.intents.${intent}`, r);
    if (problems.length > 0) throw new CatalogError(source, problems);
    return new Catalog(data);
  }

  /** Reads and validates a catalog file. @throws CatalogError */
  static load(path: string): Catalog {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CatalogError(path, [`cannot read: ${err instanceof Error ? err.message : String(err)}`]);
    }
    return Catalog.parse(text, path);
  }

  get version(): string {
    return this.data.version;
  }

  model(name: string): CatalogModel | undefined {
    return this.modelsByName.get(name);
  }

  provider(name: string): CatalogProvider | undefined {
    return this.providersByName.get(name);
  }

  /** The route for an intent, or the default route. */
  route(intent: string): CatalogRoute {
    return (this.data.policy.intents as Partial<Record<string, CatalogRoute>>)[intent] ?? this.data.policy.default;
  }

  /** Every worker pool the catalog sends work to. */
  pools(): string[] {
    return [...new Set(this.data.providers.map((p) => p.pool))];
  }
}
