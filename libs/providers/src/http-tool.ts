import { ProviderError } from './errors.js';
import { requestText, withoutSecrets } from './http.js';
import type { CallOptions, GenerationAnswer, GenerationRequest, ProviderAdapter } from './types.js';

/** How an HTTP tool pool calls its endpoint (the catalog provider's `base_url` and `http_tool`). */
export interface HttpToolOptions {
  /** The endpoint's base URL; the path is appended to it. */
  baseUrl: string;
  /** The tool it serves (`weather`): a request for another tool is refused. */
  tool: string;
  method: 'GET' | 'POST';
  /** Path and query with `{argument}` placeholders, e.g. `/tools/weather?location={location}&when={when}`. */
  path: string;
  /** Request headers; `{credential}` in a value is replaced by the call's API key. */
  headers?: Record<string, string>;
  /** Whole-call timeout of one attempt, ms. */
  timeoutMs: number;
  /** Longest answer accepted, bytes. Default 64 KiB. */
  maxBytes?: number;
  /**
   * What a 404 means. `error` (default): a failure (`not_found`), so the plan falls back to
   * a model. `answer`: the endpoint's answer (a record lookup for an id that does not
   * exist: "no such order" is the precise answer, not an outage).
   */
  notFound?: 'error' | 'answer';
}

/** Arguments of a tool suggestion: its `expression`, the canonical JSON of an object of scalars. */
export function toolArguments(expression: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(expression);
  } catch {
    throw new ProviderError('bad_request', `the tool arguments are not JSON: ${expression.slice(0, 100)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProviderError('bad_request', 'the tool arguments must be a JSON object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== null) throw new ProviderError('bad_request', `tool argument "${k}" must be a string, number or boolean`);
  }
  return out;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills a path template with URL-encoded arguments. A query parameter whose value is one
 * placeholder of an argument the suggestion does not carry is left out (`&amount={amount}`
 * for a rate question without an amount); any other missing argument is an error.
 * @throws ProviderError(bad_request) naming the missing argument.
 */
export function fillPath(template: string, args: Readonly<Record<string, string>>): string {
  const q = template.indexOf('?');
  const path = q < 0 ? template : template.slice(0, q);
  const query = q < 0 ? undefined : template.slice(q + 1);
  const fill = (part: string) =>
    part.replace(PLACEHOLDER, (_, name: string) => {
      const v = Object.hasOwn(args, name) ? args[name] : undefined;
      if (v === undefined) throw new ProviderError('bad_request', `the tool needs argument "${name}", which the request does not give`);
      return encodeURIComponent(v);
    });
  const filledPath = fill(path);
  if (query === undefined) return filledPath;
  const params = query
    .split('&')
    .filter((pair) => {
      const whole = /^[^=]*=\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(pair);
      return !whole || Object.hasOwn(args, whole[1]!);
    })
    .map(fill);
  return params.length > 0 ? `${filledPath}?${params.join('&')}` : filledPath;
}

/**
 * An HTTP tool pool (catalog api `http-tool`): calls the tool's endpoint with the
 * classifier's arguments filled into the path template and returns the endpoint's raw
 * answer (JSON or text) as the output, for a `chain` plan's model step to phrase or as
 * the answer itself. Uses no tokens. Errors are the usual provider codes: 5xx
 * `server_error`, 4xx `bad_request`/`auth`/`not_found`, no answer in time `timeout`;
 * with `notFound: 'answer'` a 404 is the answer (its body, "no such record").
 * The credential goes only into the headers and never into an error message.
 */
export class HttpTool implements ProviderAdapter {
  readonly api = 'http-tool' as const;
  readonly streams = false;
  private readonly base: string;
  private readonly maxBytes: number;

  constructor(private readonly options: HttpToolOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.maxBytes = options.maxBytes ?? 64 * 1024;
  }

  generate(request: GenerationRequest, call: CallOptions): Promise<GenerationAnswer> {
    return withoutSecrets([call.apiKey], async () => {
      const o = this.options;
      if (!request.tool?.expression) throw new ProviderError('bad_request', `the ${o.tool} tool needs the classifier's arguments (a ${o.tool} tool suggestion)`);
      if (request.tool.name !== o.tool) throw new ProviderError('bad_request', `this pool serves the ${o.tool} tool, not ${request.tool.name}`);
      const args = toolArguments(request.tool.expression);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(o.headers ?? {})) {
        if (value.includes('{credential}')) {
          if (!call.apiKey) throw new ProviderError('auth', `the ${o.tool} tool needs a credential (PROVIDER_API_KEY) for header ${name}`);
          headers[name] = value.replaceAll('{credential}', call.apiKey);
        } else headers[name] = value;
      }
      const res = await requestText({
        url: `${this.base}${fillPath(o.path, args)}`,
        method: o.method,
        headers,
        ...(o.method === 'POST' ? { body: args } : {}),
        signal: call.signal,
        timeoutMs: o.timeoutMs,
        maxBytes: this.maxBytes,
        ...(o.notFound === 'answer' ? { answerStatuses: [404] } : {}),
      });
      const output = res.text.trim() || (res.status === 404 ? JSON.stringify({ error: { type: 'not_found', message: `the ${o.tool} tool has no record for ${request.tool.expression}` } }) : '');
      if (!output) throw new ProviderError('invalid_response', `the ${o.tool} tool answered with an empty body`, res.status);
      return { output, finishReason: 'stop', inputTokens: 0, outputTokens: 0, providerModel: o.tool, streamed: false, firstByteMs: res.firstByteMs };
    });
  }
}
