import { createHash } from 'node:crypto';

/** A tool call the sim makes. */
export interface SimToolCall {
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A value that follows a JSON schema (the common keywords: type, properties, required,
 * items, enum, const), deterministic for the same schema and seed text: what a model in
 * JSON-schema mode would answer, so tests can check the shape end to end.
 */
export function exampleFor(schema: unknown, text: string, depth = 0): unknown {
  if (!isObject(schema) || depth > 8) return text;
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const type = Array.isArray(schema['type']) ? (schema['type'] as unknown[]).find((t) => t !== 'null') : schema['type'];
  switch (type) {
    case 'object': {
      const props = isObject(schema['properties']) ? schema['properties'] : {};
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, exampleFor(v, `${text.split(' ').slice(0, 4).join(' ')}`, depth + 1)]));
    }
    case 'array':
      return [exampleFor(schema['items'], text, depth + 1)];
    case 'integer':
      return 42;
    case 'number':
      return 4.2;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return text;
    default:
      return isObject(schema['properties']) ? exampleFor({ ...schema, type: 'object' }, text, depth) : text;
  }
}

/** The answer's text in the format the request asks for: JSON mode wraps it, a JSON schema shapes it. */
export function formatText(text: string, responseFormat: unknown): string {
  if (!isObject(responseFormat)) return text;
  if (responseFormat['type'] === 'json_object') return JSON.stringify({ answer: text });
  if (responseFormat['type'] === 'json_schema') {
    const js = responseFormat['json_schema'];
    return JSON.stringify(exampleFor(isObject(js) ? js['schema'] : undefined, text));
  }
  return text;
}

/**
 * The tool calls the sim answers with: when `tool_choice` is `required` (the first tool)
 * or names a function (that one), one call with arguments that follow the tool's
 * parameter schema; with `auto`, a call only when the last user message names a tool.
 */
export function simToolCalls(tools: unknown, toolChoice: unknown, lastUserText: string, seed: string): SimToolCall[] {
  if (!Array.isArray(tools) || tools.length === 0 || toolChoice === 'none') return [];
  const fns = tools.flatMap((t: unknown) => (isObject(t) && isObject(t['function']) && typeof t['function']['name'] === 'string' ? [t['function']] : []));
  let pick: Json | undefined;
  if (toolChoice === 'required') pick = fns[0];
  else if (isObject(toolChoice) && isObject(toolChoice['function'])) pick = fns.find((f) => f['name'] === (toolChoice['function'] as Json)['name']);
  else pick = fns.find((f) => lastUserText.includes(String(f['name'])));
  if (!pick) return [];
  const id = `call_${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;
  return [{ id, name: String(pick['name']), arguments: JSON.stringify(exampleFor(pick['parameters'] ?? { type: 'object', properties: {} }, 'sim')) }];
}
