import {
  JsonSchemaFormatSchema,
  ToolCallSchema,
  ToolChoiceMode,
  ToolChoiceSchema,
  ToolDefinitionSchema,
  create,
  type JsonSchemaFormat,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
} from '@yardmaster/contracts';
import { OpenAiError } from './errors.js';

type Json = Record<string, unknown>;

/** OpenAI's rule for function and schema names. */
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** OpenAI accepts at most 128 tools. */
const MAX_TOOLS = 128;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wrongType(param: string, expected: string, got: unknown): OpenAiError {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'an array' : `a ${typeof got}`;
  return OpenAiError.invalid(param, `Invalid type for '${param}': expected ${expected}, but got ${kind} instead.`, 'invalid_type');
}

function name(v: unknown, param: string): string {
  if (v === undefined) throw OpenAiError.invalid(param, `Missing required parameter: '${param}'.`, 'missing_required_parameter');
  if (typeof v !== 'string') throw wrongType(param, 'a string', v);
  if (!NAME.test(v)) throw OpenAiError.invalid(param, `Invalid '${param}': '${v.slice(0, 80)}' does not match '^[a-zA-Z0-9_-]{1,64}$'.`, 'invalid_value');
  return v;
}

function optionalString(v: unknown, param: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw wrongType(param, 'a string', v);
  return v;
}

function optionalBool(v: unknown, param: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw wrongType(param, 'a boolean', v);
  return v;
}

/** A JSON schema object, as JSON text ('' when absent). */
function schemaText(v: unknown, param: string): string {
  if (v === undefined || v === null) return '';
  if (!isObject(v)) throw wrongType(param, 'an object (a JSON schema)', v);
  return JSON.stringify(v);
}

/**
 * OpenAI's `tools`: function definitions with a name, a description and a JSON schema of
 * their parameters.
 * @throws OpenAiError 400 naming the offending parameter
 */
export function toolDefinitions(raw: unknown): ToolDefinition[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw wrongType('tools', 'an array', raw);
  if (raw.length > MAX_TOOLS) throw OpenAiError.invalid('tools', `Invalid 'tools': array too long. Expected an array with maximum length ${MAX_TOOLS}, but got an array with length ${raw.length} instead.`, 'array_above_max_length');
  const seen = new Set<string>();
  return raw.map((t: unknown, i) => {
    const p = `tools[${i}]`;
    if (!isObject(t)) throw wrongType(p, 'an object', t);
    if (t['type'] !== 'function') throw OpenAiError.invalid(`${p}.type`, `Invalid value: ${JSON.stringify(t['type'])}. Supported values are: 'function'.`);
    const fn = t['function'];
    if (!isObject(fn)) throw wrongType(`${p}.function`, 'an object', fn);
    const fname = name(fn['name'], `${p}.function.name`);
    if (seen.has(fname)) throw OpenAiError.invalid(`${p}.function.name`, `Invalid 'tools': the function name '${fname}' appears twice.`);
    seen.add(fname);
    return create(ToolDefinitionSchema, {
      name: fname,
      description: optionalString(fn['description'], `${p}.function.description`),
      parametersJson: schemaText(fn['parameters'], `${p}.function.parameters`),
      strict: optionalBool(fn['strict'], `${p}.function.strict`),
    });
  });
}

/**
 * OpenAI's `tool_choice` (`none`, `auto`, `required` or a named function, which must be one
 * of `tools`) and `parallel_tool_calls`; undefined when neither is given.
 * @throws OpenAiError 400 naming the offending parameter
 */
export function toolChoice(raw: unknown, parallel: unknown, tools: readonly ToolDefinition[]): ToolChoice | undefined {
  const disableParallel = parallel === undefined || parallel === null ? false : !optionalBool(parallel, 'parallel_tool_calls');
  if ((raw === undefined || raw === null) && !disableParallel) return undefined;
  if (raw !== undefined && raw !== null && tools.length === 0 && raw !== 'none') {
    throw OpenAiError.invalid('tool_choice', "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
  }
  if (raw === undefined || raw === null) return create(ToolChoiceSchema, { mode: ToolChoiceMode.AUTO, disableParallel });
  if (typeof raw === 'string') {
    const mode = { none: ToolChoiceMode.NONE, auto: ToolChoiceMode.AUTO, required: ToolChoiceMode.REQUIRED }[raw];
    if (mode === undefined) throw OpenAiError.invalid('tool_choice', `Invalid value: '${raw}'. Supported values are: 'none', 'auto', 'required' or a named function.`);
    return create(ToolChoiceSchema, { mode, disableParallel });
  }
  if (!isObject(raw)) throw wrongType('tool_choice', "a string or an object like {'type': 'function', 'function': {'name': …}}", raw);
  if (raw['type'] !== 'function') throw OpenAiError.invalid('tool_choice.type', `Invalid value: ${JSON.stringify(raw['type'])}. Supported values are: 'function'.`);
  const fn = raw['function'];
  if (!isObject(fn)) throw wrongType('tool_choice.function', 'an object', fn);
  const fname = name(fn['name'], 'tool_choice.function.name');
  if (!tools.some((t) => t.name === fname)) throw OpenAiError.invalid('tool_choice.function.name', `Invalid 'tool_choice': the function '${fname}' is not one of 'tools'.`);
  return create(ToolChoiceSchema, { mode: ToolChoiceMode.FUNCTION, functionName: fname, disableParallel });
}

/**
 * An assistant message's `tool_calls`.
 * @throws OpenAiError 400 naming the offending parameter
 */
export function toolCalls(raw: unknown, param: string): ToolCall[] {
  if (!Array.isArray(raw)) throw wrongType(param, 'an array', raw);
  return raw.map((c: unknown, i) => {
    const p = `${param}[${i}]`;
    if (!isObject(c)) throw wrongType(p, 'an object', c);
    if (c['type'] !== undefined && c['type'] !== 'function') throw OpenAiError.invalid(`${p}.type`, `Invalid value: ${JSON.stringify(c['type'])}. Supported values are: 'function'.`);
    const id = c['id'];
    if (typeof id !== 'string' || id === '') throw wrongType(`${p}.id`, 'a non-empty string', id);
    const fn = c['function'];
    if (!isObject(fn)) throw wrongType(`${p}.function`, 'an object', fn);
    const args = fn['arguments'];
    if (typeof args !== 'string') throw wrongType(`${p}.function.arguments`, 'a string (JSON)', args);
    return create(ToolCallSchema, { id, name: name(fn['name'], `${p}.function.name`), argumentsJson: args });
  });
}

/**
 * `response_format: {"type": "json_schema", "json_schema": {name, description, schema, strict}}`.
 * @throws OpenAiError 400 naming the offending parameter
 */
export function jsonSchemaFormat(rf: Json): JsonSchemaFormat {
  const js = rf['json_schema'];
  if (js === undefined) throw OpenAiError.invalid('response_format.json_schema', "Missing required parameter: 'response_format.json_schema'.", 'missing_required_parameter');
  if (!isObject(js)) throw wrongType('response_format.json_schema', 'an object', js);
  const schema = schemaText(js['schema'], 'response_format.json_schema.schema');
  return create(JsonSchemaFormatSchema, {
    name: name(js['name'], 'response_format.json_schema.name'),
    description: optionalString(js['description'], 'response_format.json_schema.description'),
    // No schema: any JSON object (OpenAI's default).
    schemaJson: schema || '{"type":"object"}',
    strict: optionalBool(js['strict'], 'response_format.json_schema.strict'),
  });
}
