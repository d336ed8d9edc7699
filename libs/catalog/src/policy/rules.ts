import type { CatalogRule } from '../schema.js';

/** The request facts rules match on. */
export interface RuleFacts {
  readonly intent: string;
  readonly band: string;
  readonly complexity: number;
  readonly language: string;
  readonly tenant: string;
  readonly tier: string;
  readonly alias: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly pii: readonly string[];
  readonly tool: string;
  readonly imageInput: boolean;
  readonly imageOutput: boolean;
  readonly injection: boolean;
  readonly inputTokens: number;
}

/** What the matching rules decided; the first rule that sets an action wins it. */
export interface RuleOutcome {
  /** Names of every matching rule, in catalog order (up to a deny). */
  readonly applied: string[];
  deny?: { rule: string; reason: string };
  model?: { rule: string; name: string };
  pool?: { rule: string; name: string };
  models?: { rule: string; names: ReadonlySet<string> };
  plan?: { rule: string; name: string };
  strategy?: { rule: string; name: string };
  floor?: { rule: string; value: number };
}

/** Whether every condition of a rule holds for these facts. */
export function ruleMatches(when: CatalogRule['when'], f: RuleFacts): boolean {
  if (when.intent && !when.intent.includes(f.intent)) return false;
  if (when.band && !when.band.includes(f.band)) return false;
  if (when.complexity_min !== undefined && f.complexity < when.complexity_min) return false;
  if (when.complexity_max !== undefined && f.complexity > when.complexity_max) return false;
  if (when.language && !when.language.includes(f.language)) return false;
  if (when.tenant && !when.tenant.includes(f.tenant)) return false;
  if (when.tier && !when.tier.includes(f.tier)) return false;
  if (when.alias && !when.alias.includes(f.alias)) return false;
  if (when.metadata) {
    for (const [key, want] of Object.entries(when.metadata)) {
      const have = Object.hasOwn(f.metadata, key) ? f.metadata[key] : undefined;
      if (have === undefined || (typeof want === 'string' ? have !== want : !want.includes(have))) return false;
    }
  }
  if (when.pii !== undefined) {
    if (typeof when.pii === 'boolean') {
      if (when.pii !== f.pii.length > 0) return false;
    } else if (!when.pii.some((k) => f.pii.includes(k))) return false;
  }
  if (when.tool !== undefined) {
    if (typeof when.tool === 'boolean') {
      if (when.tool !== (f.tool !== '')) return false;
    } else if (when.tool !== f.tool) return false;
  }
  if (when.image_input !== undefined && when.image_input !== f.imageInput) return false;
  if (when.image_output !== undefined && when.image_output !== f.imageOutput) return false;
  if (when.injection !== undefined && when.injection !== f.injection) return false;
  if (when.tokens_min !== undefined && f.inputTokens < when.tokens_min) return false;
  if (when.tokens_max !== undefined && f.inputTokens > when.tokens_max) return false;
  return true;
}

/** Evaluates the rules in order. A deny stops evaluation; for every other action the first rule that sets it wins. */
export function evaluateRules(rules: readonly CatalogRule[], facts: RuleFacts): RuleOutcome {
  const out: RuleOutcome = { applied: [] };
  for (const rule of rules) {
    if (!ruleMatches(rule.when, facts)) continue;
    out.applied.push(rule.name);
    const t = rule.then;
    if (t.deny !== undefined) {
      out.deny = { rule: rule.name, reason: t.deny };
      break;
    }
    if (t.model !== undefined) out.model ??= { rule: rule.name, name: t.model };
    if (t.pool !== undefined) out.pool ??= { rule: rule.name, name: t.pool };
    if (t.models !== undefined) out.models ??= { rule: rule.name, names: new Set(t.models) };
    if (t.plan !== undefined) out.plan ??= { rule: rule.name, name: t.plan };
    if (t.strategy !== undefined) out.strategy ??= { rule: rule.name, name: t.strategy };
    if (t.quality_floor !== undefined) out.floor ??= { rule: rule.name, value: t.quality_floor };
  }
  return out;
}
