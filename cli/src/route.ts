/**
 * `yardmaster route`: an offline dry run of the routing policy on JSONL prompts (the input
 * format of `yardmaster classify`), with no Kafka or Redis: each line is classified and
 * routed with the catalog, as the router would with no live health. One JSON line out per
 * input line; `--summary` prints traffic shares and expected cost instead; `--compare F2`
 * shows what another catalog would change.
 *
 * Besides `prompt` or `messages`, an input line may carry what a caller would send:
 * `tenant`, `model` (a catalog model or a route alias such as `auto:cheap`), `strategy`,
 * `plan`, `max_tokens`, `json` (true for JSON output), `privacy` (`self_hosted_only`),
 * `metadata` (string labels).
 */
import { createReadStream } from 'node:fs';
import { Catalog, classificationFromResult, expectedCost, expectedOutputTokens, planFromName, planName, route, strategyFromName, strategyName, type Routed } from '@yardmaster/catalog';
import { Classifier, parseInputLine, toSnakeCase, type ChatTurn } from '@yardmaster/classifier';
import {
  ChatMessageSchema,
  ContentPartSchema,
  GenerationParamsSchema,
  ImagePartSchema,
  InferenceRequestSchema,
  PlanKind,
  Privacy,
  ResponseFormat,
  Role,
  RoutingHintsSchema,
  RoutingMode,
  Strategy,
  TargetRole,
  create,
  type Classification,
  type InferenceRequest,
} from '@yardmaster/contracts';
import { jsonLines } from './jsonl.js';
import { offlineClassifier } from './classify.js';

const ROLES: Record<ChatTurn['role'], Role> = { system: Role.SYSTEM, user: Role.USER, assistant: Role.ASSISTANT, tool: Role.TOOL };

/** Options of {@link routeJsonLines}. */
export interface RouteOptions {
  catalog: Catalog;
  /** A second catalog to compare with. */
  compare?: Catalog;
  classifier?: Classifier;
  /** Tenant of lines that name none. */
  tenant?: string;
}

/** What one routed line contributes to the summary. */
interface Tally {
  lines: number;
  errors: number;
  refused: Map<string, number>;
  models: Map<string, number>;
  plans: Map<string, number>;
  cost: number;
  maxModelCost: number;
  changed: number;
  moves: Map<string, number>;
  compareModels: Map<string, number>;
  compareCost: number;
}

/** The request a caller would send for one input line. @throws Error with a readable message. */
export function requestFromLine(line: string, lineNo: number, defaultTenant: string): InferenceRequest {
  const turns = parseInputLine(line);
  const obj = JSON.parse(line) as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = obj[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new Error(`"${k}" must be a string`);
    return v;
  };
  const request = create(InferenceRequestSchema, {
    requestId: `line-${lineNo}`,
    tenantId: str('tenant') ?? defaultTenant,
    conversationId: str('conversation_id') ?? '',
    messages: turns.map((t) =>
      create(ChatMessageSchema, {
        role: ROLES[t.role],
        content: [
          create(ContentPartSchema, { part: { case: 'text', value: t.content } }),
          ...Array.from({ length: t.images ?? 0 }, () => create(ContentPartSchema, { part: { case: 'image', value: create(ImagePartSchema, { url: 'dry-run:image' }) } })),
        ],
      }),
    ),
  });
  const model = str('model');
  const strategy = str('strategy');
  const plan = str('plan');
  const privacy = str('privacy');
  if (strategy !== undefined && strategyFromName(strategy) === Strategy.UNSPECIFIED) throw new Error(`unknown strategy "${strategy}" (balanced, cost, quality, latency)`);
  if (plan !== undefined && planFromName(plan) === PlanKind.UNSPECIFIED) throw new Error(`unknown plan "${plan}"`);
  if (privacy !== undefined && privacy !== 'self_hosted_only' && privacy !== 'any') throw new Error('"privacy" must be self_hosted_only or any');
  request.hints = create(RoutingHintsSchema, {
    mode: model ? RoutingMode.PINNED : RoutingMode.AUTO,
    pinnedModel: model ?? '',
    strategy: strategy ? strategyFromName(strategy) : Strategy.UNSPECIFIED,
    plan: plan ? planFromName(plan) : PlanKind.UNSPECIFIED,
    privacy: privacy === 'self_hosted_only' ? Privacy.SELF_HOSTED_ONLY : Privacy.UNSPECIFIED,
  });
  const maxTokens = obj['max_tokens'];
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0)) throw new Error('"max_tokens" must be a positive integer');
  request.params = create(GenerationParamsSchema, {
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    ...(obj['json'] === true ? { responseFormat: ResponseFormat.JSON } : {}),
  });
  const metadata = obj['metadata'];
  if (metadata !== undefined) {
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) throw new Error('"metadata" must be an object of strings');
    request.metadata = metadata as Record<string, string>;
  }
  return request;
}

const round = (v: number, digits = 8) => Number(v.toFixed(digits));

/** The JSON form of a routing outcome (snake_case, as the issue's dry run specifies). */
export function decisionJson(routed: Routed): Record<string, unknown> {
  if (!routed.ok) return { refused: { code: routed.code, reason: routed.reason }, tier: routed.tier, rules_applied: routed.rulesApplied };
  const d = routed.decision;
  return {
    plan: planName(d.plan),
    strategy: strategyName(d.strategy),
    tier: d.tier,
    alias: d.alias,
    targets: d.targets.map((t) => ({
      model: t.model,
      provider: t.provider,
      pool: t.pool,
      role: (TargetRole[t.role] ?? '').toLowerCase(),
      ...(t.step ? { step: t.step } : {}),
      ...(t.triggerErrors.length > 0 ? { trigger_errors: t.triggerErrors } : {}),
      ...(t.hedgeDelayMs ? { hedge_delay_ms: t.hedgeDelayMs } : {}),
      ...(t.checks.length > 0 ? { checks: t.checks } : {}),
    })),
    reason: d.reason,
    expected_cost_usd: round(d.expectedCostUsd),
    expected_latency_ms: d.expectedLatencyMs,
    expected_quality: round(d.expectedQuality, 4),
    rules_applied: d.rulesApplied,
    candidates: d.candidates.map((c) => ({
      model: c.model,
      score: round(c.score, 6),
      quality: round(c.quality, 4),
      cost_usd: round(c.costUsd),
      latency_ms: c.latencyMs,
      utility: round(c.utility, 6),
      ...(c.excluded ? { excluded: c.excluded, note: c.note } : {}),
    })),
    catalog_version: d.catalogVersion,
  };
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Routes JSONL lines; writes one JSON line per input line unless `summary` collects them. Returns the tally. */
export async function routeJsonLines(lines: AsyncIterable<string> | Iterable<string>, write: ((line: string) => void) | undefined, opts: RouteOptions): Promise<Tally> {
  const clf = opts.classifier ?? Classifier.load();
  const tally: Tally = { lines: 0, errors: 0, refused: new Map(), models: new Map(), plans: new Map(), cost: 0, maxModelCost: 0, changed: 0, moves: new Map(), compareModels: new Map(), compareCost: 0 };
  const priciest = (catalog: Catalog) => catalog.models.filter((m) => m.data.kind === 'chat').reduce((a, b) => (b.data.input_price_per_mtok + b.data.output_price_per_mtok > a.data.input_price_per_mtok + a.data.output_price_per_mtok ? b : a));
  const mostExpensive = priciest(opts.catalog);
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length === 0) continue;
    let request: InferenceRequest;
    let classification: Classification;
    let snake: ReturnType<typeof toSnakeCase>;
    try {
      request = requestFromLine(line, lineNo, opts.tenant ?? 'dry-run');
      const result = clf.classify({ messages: parseInputLine(line), privacy: request.hints?.privacy === Privacy.SELF_HOSTED_ONLY ? 'self_hosted_only' : 'any' });
      snake = toSnakeCase(result);
      classification = classificationFromResult(request.requestId, result);
    } catch (err) {
      tally.errors++;
      write?.(JSON.stringify({ error: err instanceof Error ? err.message : String(err), line: lineNo }));
      continue;
    }
    tally.lines++;
    const routed = route(opts.catalog, { request, classification });
    const out: Record<string, unknown> = { line: lineNo, classification: snake, decision: decisionJson(routed) };
    const model = routed.ok ? routed.decision.targets[0]!.model : `(refused: ${routed.code})`;
    if (routed.ok) {
      bump(tally.models, model);
      bump(tally.plans, planName(routed.decision.plan));
      tally.cost += routed.decision.expectedCostUsd;
    } else bump(tally.refused, routed.code);
    tally.maxModelCost += expectedCost(mostExpensive, classification.inputTokens, expectedOutputTokens(opts.catalog, snake.intent, request.params?.maxTokens));
    if (opts.compare) {
      const other = route(opts.compare, { request, classification });
      const otherModel = other.ok ? other.decision.targets[0]!.model : `(refused: ${other.code})`;
      const otherPlan = other.ok ? planName(other.decision.plan) : '';
      const changed = otherModel !== model || (routed.ok && otherPlan !== planName(routed.decision.plan));
      if (changed) {
        tally.changed++;
        bump(tally.moves, `${model} → ${otherModel}`);
      }
      bump(tally.compareModels, otherModel);
      if (other.ok) tally.compareCost += other.decision.expectedCostUsd;
      out['compare'] = { changed, catalog_version: opts.compare.version, decision: decisionJson(other) };
    }
    write?.(JSON.stringify(out));
  }
  return tally;
}

function shares(map: Map<string, number>, total: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k.padEnd(36)} ${String(n).padStart(6)}  ${((100 * n) / Math.max(1, total)).toFixed(1).padStart(5)}%`);
}

/** The human-readable summary of a dry run. */
export function summaryText(t: Tally, catalog: Catalog, compare?: Catalog): string {
  const out: string[] = [];
  out.push(`routed ${t.lines} requests with catalog ${catalog.version}${t.errors ? ` (${t.errors} input lines could not be read)` : ''}`);
  out.push('traffic by model (first target):', ...shares(t.models, t.lines));
  if (t.refused.size > 0) out.push('refused:', ...shares(t.refused, t.lines));
  out.push('traffic by plan:', ...shares(t.plans, t.lines));
  const priciest = catalog.models.filter((m) => m.data.kind === 'chat').reduce((a, b) => (b.data.input_price_per_mtok + b.data.output_price_per_mtok > a.data.input_price_per_mtok + a.data.output_price_per_mtok ? b : a));
  const saved = t.maxModelCost > 0 ? (100 * (1 - t.cost / t.maxModelCost)).toFixed(1) : '0';
  out.push(`expected cost: $${t.cost.toFixed(4)} routed vs $${t.maxModelCost.toFixed(4)} all on ${priciest.name} (${saved}% less)`);
  if (compare) {
    out.push(`compared with catalog ${compare.version}: ${t.changed} of ${t.lines} requests change (${((100 * t.changed) / Math.max(1, t.lines)).toFixed(1)}%); expected cost $${t.compareCost.toFixed(4)} (${t.compareCost >= t.cost ? '+' : ''}${(t.compareCost - t.cost).toFixed(4)})`);
    if (t.moves.size > 0) out.push('moves (this catalog → the other):', ...shares(t.moves, t.lines));
    out.push(`traffic by model with ${compare.version}:`, ...shares(t.compareModels, t.lines));
  }
  return out.join('\n');
}

/** `yardmaster route [--catalog F] [--file F.jsonl] [--summary] [--compare F2] [--tenant T]`. */
export async function routeCommand(opts: { catalog?: string; file?: string; summary?: boolean; compare?: string; tenant?: string; exactTokens?: string; defaultCatalog: string }): Promise<number> {
  const classifier = offlineClassifier(opts.exactTokens);
  const catalog = Catalog.load(opts.catalog ?? opts.defaultCatalog);
  const compare = opts.compare ? Catalog.load(opts.compare) : undefined;
  const input = opts.file ? createReadStream(opts.file) : process.stdin;
  const write = opts.summary ? undefined : (line: string) => process.stdout.write(`${line}\n`);
  const tally = await routeJsonLines(jsonLines(input), write, { catalog, classifier, ...(compare ? { compare } : {}), ...(opts.tenant ? { tenant: opts.tenant } : {}) });
  if (opts.summary) process.stdout.write(`${summaryText(tally, catalog, compare)}\n`);
  return tally.errors === 0 ? 0 : 1;
}
