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
  create,
  type ChatMessage,
  MessageToolsSchema,
  type ContentPart,
  type InferenceRequest,
  type JsonSchemaFormat,
  type MessageTools,
} from '@yardmaster/contracts';
import { jsonSchemaFormat, toolCalls, toolChoice, toolDefinitions } from './chat-tools.js';
import type { CatalogModels } from './catalog.js';
import { OpenAiError } from './errors.js';

type Json = Record<string, unknown>;

/** Parameters of OpenAI's chat completions request that Yardmaster takes. */
const KNOWN = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'metadata',
  'n',
  'stream',
  'stream_options',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'store',
  'service_tier',
  'reasoning_effort',
  'modalities',
  'audio',
  'prediction',
  'functions',
  'function_call',
  'web_search_options',
  'safety_identifier',
  'prompt_cache_key',
  'verbosity',
  'yardmaster',
]);

/**
 * Accepted and not passed on (they tune sampling or bookkeeping the pipeline does not carry);
 * the README lists them.
 */
export const IGNORED_PARAMS: readonly string[] = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'store', 'service_tier', 'reasoning_effort', 'safety_identifier', 'prompt_cache_key', 'verbosity'];

const STRATEGIES: Readonly<Record<string, Strategy>> = { balanced: Strategy.BALANCED, cost: Strategy.COST, quality: Strategy.QUALITY, latency: Strategy.LATENCY };
const PRIVACY: Readonly<Record<string, Privacy>> = { any: Privacy.ANY, self_hosted: Privacy.SELF_HOSTED_ONLY, self_hosted_only: Privacy.SELF_HOSTED_ONLY };
const PLANS: Readonly<Record<string, PlanKind>> = {
  single: PlanKind.SINGLE,
  cascade: PlanKind.CASCADE,
  vote: PlanKind.VOTE,
  judge: PlanKind.JUDGE,
  draft_review: PlanKind.DRAFT_REVIEW,
  chain: PlanKind.CHAIN,
  hedge: PlanKind.HEDGE,
  tool: PlanKind.TOOL,
};
const ROLES: Readonly<Record<string, Role>> = { system: Role.SYSTEM, developer: Role.SYSTEM, user: Role.USER, assistant: Role.ASSISTANT, tool: Role.TOOL };

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal';
  return `a ${typeof v}`;
}

function wrongType(param: string, expected: string, got: unknown): OpenAiError {
  return OpenAiError.invalid(param, `Invalid type for '${param}': expected ${expected}, but got ${typeName(got)} instead.`, 'invalid_type');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unsupported(param: string, message: string): OpenAiError {
  return OpenAiError.invalid(param, message, 'unsupported_parameter');
}

/** A number parameter within [min, max] (`minExclusive` makes the lower bound open). */
function numberIn(body: Json, param: string, min: number, max: number, options: { integer?: boolean; minExclusive?: boolean } = {}): number | undefined {
  const v = body[param];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(param, options.integer ? 'an integer' : 'a number', v);
  if (options.integer && !Number.isInteger(v)) throw wrongType(param, 'an integer', v);
  const kind = options.integer ? 'integer' : 'decimal';
  if (options.minExclusive ? v <= min : v < min) {
    throw OpenAiError.invalid(param, `Invalid '${param}': ${kind} below minimum value. Expected a value ${options.minExclusive ? '>' : '>='} ${min}, but got ${v} instead.`, `${kind}_below_min_value`);
  }
  if (v > max) throw OpenAiError.invalid(param, `Invalid '${param}': ${kind} above maximum value. Expected a value <= ${max}, but got ${v} instead.`, `${kind}_above_max_value`);
  return v;
}

/** `data:<mime>;base64,<bytes>` → mime and bytes. */
function dataUrl(url: string): { mime: string; data: Uint8Array } | undefined {
  const m = /^data:([a-z0-9.+/-]+);base64,(.*)$/is.exec(url);
  if (!m) return undefined;
  return { mime: m[1]!.toLowerCase(), data: new Uint8Array(Buffer.from(m[2]!, 'base64')) };
}

function contentParts(content: unknown, param: string, role: string): ContentPart[] {
  if (typeof content === 'string') return [create(ContentPartSchema, { part: { case: 'text', value: content } })];
  if (!Array.isArray(content)) throw wrongType(param, 'a string or an array of content parts', content);
  if (content.length === 0) throw OpenAiError.invalid(param, `Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`, 'empty_array');
  return content.map((part: unknown, j) => {
    const p = `${param}[${j}]`;
    if (!isObject(part)) throw wrongType(p, 'an object', part);
    switch (part['type']) {
      case 'text':
        if (typeof part['text'] !== 'string') throw wrongType(`${p}.text`, 'a string', part['text']);
        return create(ContentPartSchema, { part: { case: 'text', value: part['text'] } });
      case 'refusal':
        if (role !== 'assistant') throw OpenAiError.invalid(`${p}.type`, `Invalid '${p}.type': 'refusal' parts are only for assistant messages.`);
        if (typeof part['refusal'] !== 'string') throw wrongType(`${p}.refusal`, 'a string', part['refusal']);
        return create(ContentPartSchema, { part: { case: 'text', value: part['refusal'] } });
      case 'image_url': {
        if (role !== 'user') throw OpenAiError.invalid(`${p}.type`, `Invalid '${p}.type': image parts are only for user messages.`);
        const image = part['image_url'];
        if (!isObject(image)) throw wrongType(`${p}.image_url`, 'an object', image);
        const url = image['url'];
        if (typeof url !== 'string' || url === '') throw wrongType(`${p}.image_url.url`, 'a URL string', url);
        const inline = dataUrl(url);
        if (url.startsWith('data:') && !inline) throw OpenAiError.invalid(`${p}.image_url.url`, `Invalid '${p}.image_url.url': a data URL must be data:<mime type>;base64,<data>.`);
        if (!inline && !/^https?:\/\//i.test(url)) throw OpenAiError.invalid(`${p}.image_url.url`, `Invalid '${p}.image_url.url': expected an http(s) URL or a base64 data URL.`);
        const imagePart = inline ? create(ImagePartSchema, { mimeType: inline.mime, data: inline.data }) : create(ImagePartSchema, { url });
        return create(ContentPartSchema, { part: { case: 'image', value: imagePart } });
      }
      case 'input_audio':
      case 'file':
        throw unsupported(`${p}.type`, `Content parts of type '${part['type']}' are not supported; send text and image_url parts.`);
      default:
        throw OpenAiError.invalid(`${p}.type`, `Invalid value: '${String(part['type'])}'. Supported values are: 'text' and 'image_url'.`);
    }
  });
}

function messages(body: Json, maxMessages: number): { messages: ChatMessage[]; tools: MessageTools[] } {
  const list = body['messages'];
  if (list === undefined) throw OpenAiError.invalid('messages', "Missing required parameter: 'messages'.", 'missing_required_parameter');
  if (!Array.isArray(list)) throw wrongType('messages', 'an array', list);
  if (list.length === 0) throw OpenAiError.invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array');
  if (list.length > maxMessages) throw OpenAiError.invalid('messages', `Invalid 'messages': array too long. Expected an array with maximum length ${maxMessages}, but got an array with length ${list.length} instead.`, 'array_above_max_length');
  const tools: MessageTools[] = [];
  const messages = list.map((m: unknown, i) => {
    const p = `messages[${i}]`;
    if (!isObject(m)) throw wrongType(p, 'an object', m);
    const role = m['role'];
    if (role === undefined) throw OpenAiError.invalid(`${p}.role`, `Missing required parameter: '${p}.role'.`, 'missing_required_parameter');
    if (role === 'function') throw unsupported(`${p}.role`, "Messages with role 'function' are not supported (deprecated by OpenAI); use 'tool' messages.");
    if (typeof role !== 'string' || ROLES[role] === undefined) {
      throw OpenAiError.invalid(`${p}.role`, `Invalid value: ${JSON.stringify(role)}. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.`);
    }
    if (m['function_call'] !== undefined && m['function_call'] !== null) throw unsupported(`${p}.function_call`, "Assistant 'function_call' is not supported (deprecated by OpenAI); use 'tool_calls'.");
    const calls = role === 'assistant' && m['tool_calls'] !== undefined && m['tool_calls'] !== null ? toolCalls(m['tool_calls'], `${p}.tool_calls`) : [];
    if (role !== 'assistant' && m['tool_calls'] !== undefined) throw OpenAiError.invalid(`${p}.tool_calls`, `Invalid '${p}.tool_calls': only assistant messages carry tool calls.`);
    let toolCallId = '';
    if (role === 'tool') {
      const id = m['tool_call_id'];
      if (id === undefined) throw OpenAiError.invalid(`${p}.tool_call_id`, `Missing required parameter: '${p}.tool_call_id'.`, 'missing_required_parameter');
      if (typeof id !== 'string' || id === '') throw wrongType(`${p}.tool_call_id`, 'a non-empty string', id);
      toolCallId = id;
    }
    // An assistant message that only calls tools has no content.
    const content = m['content'];
    if ((content === undefined || content === null) && calls.length === 0) throw OpenAiError.invalid(`${p}.content`, `Missing required parameter: '${p}.content'.`, 'missing_required_parameter');
    const name = m['name'];
    if (name !== undefined && typeof name !== 'string') throw wrongType(`${p}.name`, 'a string', name);
    if (calls.length > 0 || toolCallId) tools.push(create(MessageToolsSchema, { messageIndex: i, toolCalls: calls, toolCallId }));
    const parts = content === undefined || content === null ? [create(ContentPartSchema, { part: { case: 'text', value: '' } })] : contentParts(content, `${p}.content`, role);
    return create(ChatMessageSchema, { role: ROLES[role], content: parts, name: name ?? '' });
  });
  return { messages, tools };
}

/** Routing hints from `X-Yardmaster-*` headers and the body's `yardmaster` object (the body wins). */
interface HintInput {
  strategy?: unknown;
  max_cost_usd?: unknown;
  privacy?: unknown;
  plan?: unknown;
  max_latency_ms?: unknown;
}

function hintsFrom(headers: Readonly<Record<string, string | string[] | undefined>>, body: Json): { input: HintInput; source: Record<keyof HintInput, string> } {
  const h = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const input: HintInput = {};
  const source = { strategy: 'X-Yardmaster-Strategy', max_cost_usd: 'X-Yardmaster-Max-Cost-Usd', privacy: 'X-Yardmaster-Privacy', plan: 'X-Yardmaster-Plan', max_latency_ms: 'X-Yardmaster-Max-Latency-Ms' };
  const strategy = h('x-yardmaster-strategy');
  const maxCost = h('x-yardmaster-max-cost-usd');
  const privacy = h('x-yardmaster-privacy');
  const plan = h('x-yardmaster-plan');
  const maxLatency = h('x-yardmaster-max-latency-ms');
  if (strategy !== undefined) input.strategy = strategy.trim().toLowerCase();
  if (maxCost !== undefined) input.max_cost_usd = maxCost.trim() === '' ? Number.NaN : Number(maxCost);
  if (privacy !== undefined) input.privacy = privacy.trim().toLowerCase();
  if (plan !== undefined) input.plan = plan.trim().toLowerCase();
  if (maxLatency !== undefined) input.max_latency_ms = maxLatency.trim() === '' ? Number.NaN : Number(maxLatency);
  const ext = body['yardmaster'];
  if (ext !== undefined) {
    if (!isObject(ext)) throw wrongType('yardmaster', 'an object', ext);
    for (const key of Object.keys(ext)) {
      if (!(key in source)) throw OpenAiError.invalid(`yardmaster.${key}`, `Unrecognized routing hint: 'yardmaster.${key}'. Supported: strategy, max_cost_usd, max_latency_ms, privacy, plan.`, 'unknown_parameter');
      (input as Record<string, unknown>)[key] = ext[key];
      source[key as keyof HintInput] = `yardmaster.${key}`;
    }
  }
  return { input, source };
}

function choice<T>(table: Readonly<Record<string, T>>, value: unknown, param: string): T | undefined {
  if (value === undefined) return undefined;
  const found = typeof value === 'string' ? table[value.toLowerCase()] : undefined;
  if (found === undefined) throw OpenAiError.invalid(param, `Invalid value for '${param}': ${JSON.stringify(value)}. Supported values are: ${Object.keys(table).map((k) => `'${k}'`).join(', ')}.`);
  return found;
}

/** What a chat completions body becomes. */
export interface TranslatedChat {
  /** The request, without request id, tenant or deadline (the door and the controller set them). */
  readonly request: InferenceRequest;
  /** `stream: true` was asked for. */
  readonly stream: boolean;
  /** `stream_options.include_usage`: usage in a last chunk. */
  readonly includeUsage: boolean;
  /** The `model` the caller sent. */
  readonly model: string;
}

/**
 * Translates an OpenAI chat completions request into an `InferenceRequest`, checking it
 * against OpenAI's request schema; every refusal names the parameter (`param`) like OpenAI does.
 * @throws OpenAiError (400 invalid_request_error; 404 model_not_found for an unknown model)
 */
export function translateChatRequest(
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  catalog: CatalogModels,
  limits: { maxMessages: number },
): TranslatedChat {
  if (!isObject(body)) throw OpenAiError.invalid(null, 'The request body must be a JSON object.', 'invalid_body');
  for (const key of Object.keys(body)) {
    if (!KNOWN.has(key)) throw OpenAiError.invalid(key, `Unrecognized request argument supplied: ${key}`, 'unknown_parameter');
  }
  const model = body['model'];
  if (model === undefined) throw OpenAiError.invalid('model', "Missing required parameter: 'model'.", 'missing_required_parameter');
  if (typeof model !== 'string') throw wrongType('model', 'a string', model);
  const { messages: msgs, tools: messageTools } = messages(body, limits.maxMessages);

  // Parameters the pipeline cannot honour are refused, not silently dropped.
  const n = numberIn(body, 'n', 1, 128, { integer: true });
  if (n !== undefined && n > 1) throw unsupported('n', `Invalid 'n': only n=1 is supported (one choice per request); send ${n} requests instead.`);
  const tools = toolDefinitions(body['tools']);
  const toolUse = toolChoice(body['tool_choice'], body['parallel_tool_calls'], tools);
  if (body['functions'] !== undefined || body['function_call'] !== undefined) throw unsupported(body['functions'] !== undefined ? 'functions' : 'function_call', 'Function calling is not supported.');
  if (body['logprobs'] === true) throw unsupported('logprobs', 'logprobs are not supported.');
  if (body['top_logprobs'] !== undefined && body['top_logprobs'] !== null) throw unsupported('top_logprobs', 'logprobs are not supported.');
  if (body['audio'] !== undefined && body['audio'] !== null) throw unsupported('audio', 'Audio output is not supported.');
  const modalities = body['modalities'];
  if (modalities !== undefined && modalities !== null && !(Array.isArray(modalities) && modalities.every((m) => m === 'text'))) throw unsupported('modalities', "Only the 'text' modality is supported.");
  if (body['prediction'] !== undefined && body['prediction'] !== null) throw unsupported('prediction', 'Predicted outputs are not supported.');
  if (body['web_search_options'] !== undefined) throw unsupported('web_search_options', 'Web search is not supported.');
  const stream = body['stream'];
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') throw wrongType('stream', 'a boolean', stream);
  let includeUsage = false;
  const streamOptions = body['stream_options'];
  if (streamOptions !== undefined && streamOptions !== null) {
    if (stream !== true) throw OpenAiError.invalid('stream_options', "Invalid 'stream_options': only allowed when 'stream' is true.");
    if (!isObject(streamOptions)) throw wrongType('stream_options', 'an object', streamOptions);
    for (const key of Object.keys(streamOptions)) {
      if (key !== 'include_usage' && key !== 'include_obfuscation') throw OpenAiError.invalid(`stream_options.${key}`, `Unrecognized parameter: 'stream_options.${key}'. Supported: include_usage.`, 'unknown_parameter');
    }
    const iu = streamOptions['include_usage'];
    if (iu !== undefined && iu !== null && typeof iu !== 'boolean') throw wrongType('stream_options.include_usage', 'a boolean', iu);
    includeUsage = iu === true;
  }

  const temperature = numberIn(body, 'temperature', 0, 2);
  const topP = numberIn(body, 'top_p', 0, 1, { minExclusive: true });
  const maxTokens = numberIn(body, 'max_tokens', 1, 4_294_967_295, { integer: true });
  const maxCompletionTokens = numberIn(body, 'max_completion_tokens', 1, 4_294_967_295, { integer: true });
  if (maxTokens !== undefined && maxCompletionTokens !== undefined && maxTokens !== maxCompletionTokens) {
    throw OpenAiError.invalid('max_tokens', "Give either 'max_tokens' or 'max_completion_tokens' (they differ).");
  }
  const seed = numberIn(body, 'seed', 0, Number.MAX_SAFE_INTEGER, { integer: true });
  let stop: string[] = [];
  const rawStop = body['stop'];
  if (typeof rawStop === 'string') stop = [rawStop];
  else if (Array.isArray(rawStop)) {
    if (rawStop.length > 4) throw OpenAiError.invalid('stop', `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${rawStop.length} instead.`, 'array_above_max_length');
    rawStop.forEach((s, i) => {
      if (typeof s !== 'string') throw wrongType(`stop[${i}]`, 'a string', s);
    });
    stop = rawStop as string[];
  } else if (rawStop !== undefined && rawStop !== null) throw wrongType('stop', 'a string or an array of strings', rawStop);

  let responseFormat = ResponseFormat.UNSPECIFIED;
  let jsonSchema: JsonSchemaFormat | undefined;
  const rf = body['response_format'];
  if (rf !== undefined && rf !== null) {
    if (!isObject(rf)) throw wrongType('response_format', 'an object', rf);
    switch (rf['type']) {
      case 'text':
        responseFormat = ResponseFormat.TEXT;
        break;
      case 'json_object':
        responseFormat = ResponseFormat.JSON;
        break;
      case 'json_schema':
        jsonSchema = jsonSchemaFormat(rf);
        responseFormat = ResponseFormat.JSON;
        break;
      default:
        throw OpenAiError.invalid('response_format.type', `Invalid value: '${String(rf['type'])}'. Supported values are: 'text', 'json_object' and 'json_schema'.`);
    }
  }

  const metadata: Record<string, string> = {};
  const rawMeta = body['metadata'];
  if (rawMeta !== undefined && rawMeta !== null) {
    if (!isObject(rawMeta)) throw wrongType('metadata', 'an object', rawMeta);
    const entries = Object.entries(rawMeta);
    if (entries.length > 16) throw OpenAiError.invalid('metadata', `Invalid 'metadata': at most 16 keys, got ${entries.length}.`);
    for (const [k, v] of entries) {
      if (k.length > 64) throw OpenAiError.invalid('metadata', `Invalid 'metadata': key '${k.slice(0, 20)}…' is longer than 64 characters.`);
      if (typeof v !== 'string') throw wrongType(`metadata.${k}`, 'a string', v);
      if (v.length > 512) throw OpenAiError.invalid(`metadata.${k}`, `Invalid 'metadata.${k}': longer than 512 characters.`);
      metadata[k] = v;
    }
  }
  const user = body['user'];
  if (user !== undefined && user !== null) {
    if (typeof user !== 'string') throw wrongType('user', 'a string', user);
    if (user.length > 256) throw OpenAiError.invalid('user', "Invalid 'user': longer than 256 characters.");
    metadata['yardmaster.user'] = user;
  }

  // Model: a route alias of the catalog (`auto`, `auto:cheap`, …: the router resolves it,
  // after the caller's own hints) or a pinned catalog model.
  const { input: hint, source } = hintsFrom(headers, body);
  const isAlias = catalog.isAlias(model);
  if (!isAlias && !catalog.model(model)) {
    throw new OpenAiError(404, `The model '${model}' does not exist. Use a route alias (${catalog.aliases().join(', ')}) or a model from GET /v1/models.`, 'invalid_request_error', 'model', 'model_not_found');
  }
  const strategy = choice(STRATEGIES, hint.strategy, source.strategy);
  let maxCostUsd = 0;
  if (hint.max_cost_usd !== undefined) {
    if (typeof hint.max_cost_usd !== 'number' || !Number.isFinite(hint.max_cost_usd) || hint.max_cost_usd <= 0) {
      throw OpenAiError.invalid(source.max_cost_usd, `Invalid value for '${source.max_cost_usd}': expected a number of USD > 0.`);
    }
    maxCostUsd = hint.max_cost_usd;
  }
  let maxLatencyMs = 0;
  if (hint.max_latency_ms !== undefined) {
    if (typeof hint.max_latency_ms !== 'number' || !Number.isInteger(hint.max_latency_ms) || hint.max_latency_ms <= 0 || hint.max_latency_ms > 4_294_967_295) {
      throw OpenAiError.invalid(source.max_latency_ms, `Invalid value for '${source.max_latency_ms}': expected a whole number of milliseconds > 0.`);
    }
    maxLatencyMs = hint.max_latency_ms;
  }
  const privacy = choice(PRIVACY, hint.privacy, source.privacy);
  const plan = choice(PLANS, hint.plan, source.plan);

  const request = create(InferenceRequestSchema, {
    messages: msgs,
    hints: create(RoutingHintsSchema, {
      mode: isAlias ? RoutingMode.AUTO : RoutingMode.PINNED,
      pinnedModel: model,
      strategy: strategy ?? Strategy.UNSPECIFIED,
      maxCostUsd,
      maxLatencyMs,
      privacy: privacy ?? Privacy.UNSPECIFIED,
      plan: plan ?? PlanKind.UNSPECIFIED,
    }),
    params: create(GenerationParamsSchema, {
      ...(temperature !== undefined ? { temperature } : {}),
      ...(topP !== undefined ? { topP } : {}),
      ...((maxCompletionTokens ?? maxTokens) !== undefined ? { maxTokens: maxCompletionTokens ?? maxTokens } : {}),
      stop,
      ...(seed !== undefined ? { seed: BigInt(seed) } : {}),
      responseFormat,
    }),
    metadata,
    stream: stream === true,
    ...(jsonSchema ? { jsonSchema } : {}),
    tools,
    ...(toolUse ? { toolChoice: toolUse } : {}),
    messageTools,
  });
  return { request, stream: stream === true, includeUsage, model };
}
