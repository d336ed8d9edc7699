import { translateChatRequest, type TranslatedChat } from '../openai/chat-request.js';
import type { CatalogModels } from '../openai/catalog.js';
import { OpenAiError } from '../openai/errors.js';

type Json = Record<string, unknown>;

/** Fields of Anthropic's Messages request that Yardmaster takes. */
const KNOWN = new Set(['model', 'max_tokens', 'messages', 'system', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream', 'metadata', 'tools', 'tool_choice', 'service_tier', 'thinking', 'yardmaster']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(param: string | null, message: string, code = 'invalid_value'): OpenAiError {
  return OpenAiError.invalid(param, message, code);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** An image block's source as an OpenAI `image_url` part. */
function imagePart(block: Json, p: string): Json {
  const source = block['source'];
  if (!isObject(source)) throw invalid(`${p}.source`, `${p}.source: Field required`, 'missing_required_parameter');
  if (source['type'] === 'base64') {
    if (typeof source['media_type'] !== 'string' || typeof source['data'] !== 'string') throw invalid(`${p}.source`, `${p}.source: base64 images need 'media_type' and 'data' strings`);
    return { type: 'image_url', image_url: { url: `data:${source['media_type']};base64,${source['data']}` } };
  }
  if (source['type'] === 'url') {
    if (typeof source['url'] !== 'string') throw invalid(`${p}.source.url`, `${p}.source.url: Input should be a valid string`);
    return { type: 'image_url', image_url: { url: source['url'] } };
  }
  throw invalid(`${p}.source.type`, `${p}.source.type: Input should be 'base64' or 'url'`);
}

/** A tool_result block's content as text. */
function resultText(content: unknown, p: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid(`${p}.content`, `${p}.content: Input should be a valid string or list of content blocks`);
  return content.map((b: unknown, i) => (isObject(b) && b['type'] === 'text' && typeof b['text'] === 'string' ? b['text'] : (() => {
    throw invalid(`${p}.content.${i}`, `${p}.content.${i}: only text blocks are supported in tool results`);
  })())).join('\n');
}

/** Anthropic messages as OpenAI chat messages (tool_result blocks become tool messages). */
function chatMessages(list: unknown, system: unknown): Json[] {
  const out: Json[] = [];
  if (system !== undefined && system !== null) {
    if (typeof system === 'string') out.push({ role: 'system', content: system });
    else if (Array.isArray(system)) out.push({ role: 'system', content: system.map((b: unknown, i) => (isObject(b) && b['type'] === 'text' ? { type: 'text', text: b['text'] } : (() => {
      throw invalid(`system.${i}`, `system.${i}: only text blocks are supported`);
    })())) });
    else throw invalid('system', `system: Input should be a valid string or list of text blocks, got ${kind(system)}`);
  }
  if (list === undefined) throw invalid('messages', 'messages: Field required', 'missing_required_parameter');
  if (!Array.isArray(list)) throw invalid('messages', `messages: Input should be a valid list, got ${kind(list)}`, 'invalid_type');
  list.forEach((m: unknown, i) => {
    const p = `messages.${i}`;
    if (!isObject(m)) throw invalid(p, `${p}: Input should be an object`, 'invalid_type');
    const role = m['role'];
    if (role !== 'user' && role !== 'assistant') throw invalid(`${p}.role`, `${p}.role: Input should be 'user' or 'assistant'`);
    const content = m['content'];
    if (typeof content === 'string') {
      out.push({ role, content });
      return;
    }
    if (!Array.isArray(content)) throw invalid(`${p}.content`, `${p}.content: Input should be a valid string or list of content blocks`, content === undefined ? 'missing_required_parameter' : 'invalid_type');
    const parts: Json[] = [];
    const toolCalls: Json[] = [];
    content.forEach((b: unknown, j) => {
      const q = `${p}.content.${j}`;
      if (!isObject(b)) throw invalid(q, `${q}: Input should be a content block`, 'invalid_type');
      switch (b['type']) {
        case 'text':
          if (typeof b['text'] !== 'string') throw invalid(`${q}.text`, `${q}.text: Input should be a valid string`, 'invalid_type');
          parts.push({ type: 'text', text: b['text'] });
          break;
        case 'image':
          if (role !== 'user') throw invalid(q, `${q}: images are only allowed in user messages`);
          parts.push(imagePart(b, q));
          break;
        case 'tool_use':
          if (role !== 'assistant') throw invalid(q, `${q}: tool_use blocks are only allowed in assistant messages`);
          if (typeof b['id'] !== 'string' || typeof b['name'] !== 'string') throw invalid(q, `${q}: tool_use needs 'id' and 'name' strings`, 'missing_required_parameter');
          toolCalls.push({ id: b['id'], type: 'function', function: { name: b['name'], arguments: JSON.stringify(b['input'] ?? {}) } });
          break;
        case 'tool_result':
          if (role !== 'user') throw invalid(q, `${q}: tool_result blocks are only allowed in user messages`);
          if (typeof b['tool_use_id'] !== 'string') throw invalid(`${q}.tool_use_id`, `${q}.tool_use_id: Field required`, 'missing_required_parameter');
          out.push({ role: 'tool', tool_call_id: b['tool_use_id'], content: resultText(b['content'], q) || (b['is_error'] === true ? 'error' : '') });
          break;
        default:
          throw invalid(`${q}.type`, `${q}.type: '${String(b['type'])}' is not supported; use text, image, tool_use or tool_result`, 'unsupported_parameter');
      }
    });
    if (parts.length === 0 && toolCalls.length === 0) return;
    out.push({ role, content: parts.length ? parts : null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
  });
  return out;
}

/** OpenAI parameter names in errors as the Messages API names them. */
function anthropicParam(param: string | null): string | null {
  if (param === null) return null;
  return param
    .replace(/^stop\b/, 'stop_sequences')
    .replace(/^max_tokens\b/, 'max_tokens')
    .replace(/^tools\[(\d+)\]\.function\.parameters/, 'tools.$1.input_schema')
    .replace(/^tools\[(\d+)\]\.function\./, 'tools.$1.')
    .replace(/^tool_choice\.function\.name/, 'tool_choice.name')
    .replace(/\[(\d+)\]/g, '.$1');
}

/**
 * Translates an Anthropic Messages request into an `InferenceRequest` through the chat
 * completions translation (one set of rules for both doors): `system` becomes a system
 * message, `tool_use` blocks tool calls, `tool_result` blocks tool messages, `tools`
 * functions with `input_schema` as parameters, `tool_choice` `any` OpenAI's `required`.
 * @throws OpenAiError (400 with Anthropic's parameter names; 404 for an unknown model)
 */
export function translateMessagesRequest(
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  catalog: CatalogModels,
  limits: { maxMessages: number },
): TranslatedChat {
  if (!isObject(body)) throw invalid(null, 'The request body must be a JSON object.', 'invalid_body');
  for (const key of Object.keys(body)) if (!KNOWN.has(key)) throw invalid(key, `${key}: Extra inputs are not permitted`, 'unknown_parameter');
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) throw invalid('max_tokens', 'max_tokens: Field required', 'missing_required_parameter');
  if (body['thinking'] !== undefined && body['thinking'] !== null) throw invalid('thinking', 'thinking: extended thinking is not supported', 'unsupported_parameter');
  const metadata = body['metadata'];
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) throw invalid('metadata', 'metadata: Input should be an object', 'invalid_type');
  const userId = isObject(metadata) ? metadata['user_id'] : undefined;
  if (userId !== undefined && userId !== null && typeof userId !== 'string') throw invalid('metadata.user_id', 'metadata.user_id: Input should be a valid string', 'invalid_type');
  let tools: unknown;
  const rawTools = body['tools'];
  if (rawTools !== undefined && rawTools !== null) {
    if (!Array.isArray(rawTools)) throw invalid('tools', 'tools: Input should be a valid list', 'invalid_type');
    tools = rawTools.map((t: unknown, i) => {
      if (!isObject(t)) throw invalid(`tools.${i}`, `tools.${i}: Input should be an object`, 'invalid_type');
      if (t['type'] !== undefined && t['type'] !== 'custom') throw invalid(`tools.${i}.type`, `tools.${i}.type: server tools (${JSON.stringify(t['type'])}) are not supported; define custom tools`, 'unsupported_parameter');
      if (t['input_schema'] === undefined) throw invalid(`tools.${i}.input_schema`, `tools.${i}.input_schema: Field required`, 'missing_required_parameter');
      return { type: 'function', function: { name: t['name'], ...(t['description'] !== undefined ? { description: t['description'] } : {}), parameters: t['input_schema'] } };
    });
  }
  let toolChoice: unknown;
  let parallel: boolean | undefined;
  const choice = body['tool_choice'];
  if (choice !== undefined && choice !== null) {
    if (!isObject(choice)) throw invalid('tool_choice', 'tool_choice: Input should be an object', 'invalid_type');
    const type = choice['type'];
    if (type === 'auto') toolChoice = 'auto';
    else if (type === 'any') toolChoice = 'required';
    else if (type === 'none') toolChoice = 'none';
    else if (type === 'tool') toolChoice = { type: 'function', function: { name: choice['name'] } };
    else throw invalid('tool_choice.type', "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
    if (choice['disable_parallel_tool_use'] === true) parallel = false;
  }
  const chat: Json = {
    model: body['model'],
    messages: chatMessages(body['messages'], body['system']),
    max_tokens: maxTokens,
    ...(body['temperature'] !== undefined ? { temperature: body['temperature'] } : {}),
    ...(body['top_p'] !== undefined ? { top_p: body['top_p'] } : {}),
    ...(body['stop_sequences'] !== undefined ? { stop: body['stop_sequences'] } : {}),
    ...(body['stream'] !== undefined ? { stream: body['stream'] } : {}),
    ...(typeof userId === 'string' ? { user: userId } : {}),
    ...(tools !== undefined ? { tools } : {}),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(parallel !== undefined ? { parallel_tool_calls: parallel } : {}),
    ...(body['yardmaster'] !== undefined ? { yardmaster: body['yardmaster'] } : {}),
  };
  try {
    return translateChatRequest(chat, headers, catalog, limits);
  } catch (err) {
    if (err instanceof OpenAiError) throw new OpenAiError(err.status, err.message, err.type, anthropicParam(err.param), err.code, err.headers);
    throw err;
  }
}
