/**
 * Optional second stage for low-confidence intents: asks a small model behind an
 * OpenAI-compatible endpoint (POST {baseUrl}/v1/chat/completions) to pick one intent
 * among the first stage's top candidates. Off by default - the classifier itself is
 * in-process and network-free; a deployment opts in per Classifier.
 *
 * Failure policy: any error (timeout, HTTP status, unparsable or out-of-set answer)
 * keeps the first-stage result. The second stage can only refine, never break.
 *
 * Privacy: it sends up to `maxChars` of the conversation to the endpoint, so
 * `Classifier.classifyAsync` consults it only when `secondStageSkipReason`
 * allows (see egress.ts): an endpoint is external unless `selfHosted` says otherwise.
 */
import { scrubSecrets, splitUrlCredentials } from '@yardmaster/config';
import type { PiiPolicy } from './egress';
import { INTENTS, isIntent, type ChatTurn, type Intent } from './types';

/** Configuration of the second stage. */
export interface SecondStageOptions {
  /** Base URL of the OpenAI-compatible server, e.g. http://localhost:8000 (no /v1). */
  baseUrl: string;
  /** Model name to send. */
  model: string;
  /** Bearer token, if the server needs one. */
  apiKey?: string;
  /** Use the second stage when the first stage's confidence is below this (default 0.55). */
  threshold?: number;
  /** How many top first-stage intents to offer (default 4). */
  candidates?: number;
  /** Request timeout in ms (default 1500). */
  timeoutMs?: number;
  /** Max characters of the conversation sent (default 4000). */
  maxChars?: number;
  /** fetch implementation (tests, proxies); defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /**
   * Whether the endpoint runs on our own infrastructure (default false: external).
   * Only a self-hosted endpoint receives self-hosted-only requests, or requests with
   * PII under the `private` policy.
   */
  selfHosted?: boolean;
  /** What may be sent to an external endpoint when the first stage found PII (default `private`: nothing). */
  piiPolicy?: PiiPolicy;
}

/** One-line descriptions shown to the model (from the DESIGN.md taxonomy). */
export const INTENT_DESCRIPTIONS: Readonly<Record<Intent, string>> = {
  code: 'writing, debugging, explaining, reviewing or converting code; SQL, regex, shell',
  math: 'calculation, algebra, proofs, word problems, statistics',
  reasoning: 'logic puzzles, multi-step analysis, trade-off decisions, planning under constraints',
  creative_writing: 'stories, poems, lyrics, jokes, fiction, role-play',
  writing: 'functional writing: emails, marketing copy, essays, reports, letters, speeches',
  summarization: 'condensing text the user provides',
  translation: 'translating between languages',
  extraction: 'pulling fields, entities or structured data out of provided text',
  classification: 'labelling provided text (sentiment, topic, spam, category)',
  rewrite: 'paraphrasing, proofreading, changing tone or format of provided text',
  open_qa: 'factual or explanatory questions from world knowledge',
  brainstorming: 'idea lists, names, itineraries, plans, recommendations',
  chat: 'greetings, small talk, personal conversation, questions about the assistant',
  image_generation: 'requests to create, draw or render an image, logo or picture',
  other: 'none of the above',
};

/** Result of a second-stage call. */
export interface SecondStageAnswer {
  intent: Intent | null;
  /** Why no intent was returned (timeout, http 500, unparsable ...). */
  error?: string;
  latencyMs: number;
}

interface ChatCompletionResponse {
  choices?: Array<{ message?: { content?: unknown } }>;
}

/** Client for the second-stage model. */
export class SecondStage {
  readonly threshold: number;
  readonly candidates: number;
  /** Whether the endpoint is on our own infrastructure. */
  readonly selfHosted: boolean;
  readonly piiPolicy: PiiPolicy;
  private readonly opts: SecondStageOptions;
  private readonly url: string;
  private readonly authorization: string | undefined;

  constructor(opts: SecondStageOptions) {
    if (!/^https?:\/\//.test(opts.baseUrl)) throw new Error('second stage baseUrl must be an http(s) URL');
    this.opts = opts;
    this.threshold = opts.threshold ?? 0.55;
    this.candidates = Math.max(2, Math.min(INTENTS.length, opts.candidates ?? 4));
    this.selfHosted = opts.selfHosted ?? false;
    this.piiPolicy = opts.piiPolicy ?? 'private';
    // fetch rejects a URL with user:password@ and quotes it, password included, in its error.
    const { url, authorization } = splitUrlCredentials(opts.baseUrl);
    this.url = `${url.replace(/\/+$/, '')}/v1/chat/completions`;
    this.authorization = opts.apiKey ? `Bearer ${opts.apiKey}` : authorization;
  }

  /** Builds the chat-completions request body (exported for tests and logging). */
  buildRequest(messages: readonly ChatTurn[], candidates: readonly Intent[]): Record<string, unknown> {
    const max = this.opts.maxChars ?? 4000;
    const convo = messages
      .filter((m) => m.role !== 'system')
      .map((m) => `${m.role.toUpperCase()}: ${m.content}`)
      .join('\n\n');
    const clipped = convo.length > max ? `…${convo.slice(convo.length - max)}` : convo;
    const labels = candidates.map((c) => `- ${c}: ${INTENT_DESCRIPTIONS[c]}`).join('\n');
    return {
      model: this.opts.model,
      temperature: 0,
      max_tokens: 8,
      messages: [
        {
          role: 'system',
          content:
            'You classify what the LAST user message of a conversation asks for. ' +
            `Answer with exactly one label from this list and nothing else:\n${labels}`,
        },
        { role: 'user', content: `Conversation:\n"""\n${clipped}\n"""\nLabel:` },
      ],
    };
  }

  /**
   * Asks the model to choose among the candidates. Never throws; the error it reports
   * never contains the API key or URL credentials. Callers decide beforehand whether
   * the conversation may be sent (see `secondStageSkipReason` in egress.ts).
   */
  async choose(messages: readonly ChatTurn[], candidates: readonly Intent[]): Promise<SecondStageAnswer> {
    const t0 = performance.now();
    const done = (intent: Intent | null, error?: string): SecondStageAnswer => ({
      intent,
      ...(error !== undefined ? { error } : {}),
      latencyMs: performance.now() - t0,
    });
    const fetchImpl = this.opts.fetchImpl ?? fetch;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization) headers['authorization'] = this.authorization;
    try {
      const res = await fetchImpl(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(this.buildRequest(messages, candidates)),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 1500),
      });
      if (!res.ok) return done(null, `http ${res.status}`);
      const body = (await res.json()) as ChatCompletionResponse;
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string') return done(null, 'no message content');
      const answer = parseLabel(content, candidates);
      return answer ? done(answer) : done(null, `unusable answer: ${content.slice(0, 60)}`);
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      return done(null, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : scrubSecrets(String(e), [this.opts.apiKey, this.authorization]));
    }
  }
}

/**
 * Finds the label in a model answer: exact match first, then the earliest
 * candidate mentioned (models sometimes add punctuation or a sentence).
 */
export function parseLabel(content: string, candidates: readonly Intent[]): Intent | null {
  const t = content.trim().toLowerCase().replace(/^["'`]+|["'`.!]+$/g, '').replace(/[\s-]+/g, '_');
  if (isIntent(t) && candidates.includes(t)) return t;
  let best: Intent | null = null;
  let bestPos = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const pos = t.indexOf(c);
    if (pos >= 0 && pos < bestPos) {
      best = c;
      bestPos = pos;
    }
  }
  return best;
}
