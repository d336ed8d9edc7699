import Ajv, { type ValidateFunction } from 'ajv';

/**
 * The checks a cascade step's answer must pass before it is accepted (the router names
 * them on the target: `Target.checks`). Each failed check says why, and the response
 * reports it for every rejected stage.
 */
export type CheckName = 'non_empty' | 'no_refusal' | 'not_truncated' | 'valid_json' | 'min_confidence';

export const CHECK_NAMES: readonly CheckName[] = ['non_empty', 'no_refusal', 'not_truncated', 'valid_json', 'min_confidence'];

/** What a check looks at: the answer and what the provider said about it. */
export interface Answer {
  output: string;
  /** The provider's finish reason (`stop`, `length`, …). */
  finishReason: string;
  /** Mean token log-probability, when the provider returned log-probabilities. */
  meanLogprob?: number;
}

/** Options of {@link runChecks}. */
export interface CheckOptions {
  /** JSON Schema the answer must match when `valid_json` runs (the request's `json_schema` response format). */
  jsonSchema?: object;
  /** `min_confidence`: the lowest acceptable mean token probability (exp of the mean log-probability). Default 0.5. */
  minConfidence?: number;
}

/** One failed check. */
export interface CheckFailure {
  check: CheckName | 'unknown_check';
  detail: string;
}

/**
 * Refusal openings in the languages of our corpus. A refusal is a short answer that starts
 * by declining; an answer that merely mentions "I can't" later is not one.
 */
const REFUSAL_RE = new RegExp(
  [
    String.raw`^(?:i'?m sorry,?\s+(?:but\s+)?)?i\s+(?:can(?:no|')t|cannot|am unable to|won'?t be able to|am not able to|must decline to)\s+(?:help|assist|provide|do|comply|answer|fulfil|fulfill|create|write|generate)`,
    String.raw`^(?:sorry|i apologi[sz]e),?\s+(?:but\s+)?(?:i\s+)?(?:can(?:no|')t|cannot|am unable|won'?t)`,
    String.raw`^as an ai(?: language model)?,?\s+i\s+(?:can(?:no|')t|cannot|am unable|don'?t)`,
    String.raw`^(?:es tut mir leid|leider kann ich|ich kann (?:dir |ihnen )?(?:dabei )?nicht helfen)`,
    String.raw`^(?:désolé|je suis désolé|je ne peux pas)`,
    String.raw`^(?:lo siento|no puedo (?:ayudar|hacer|proporcionar))`,
    String.raw`^(?:desculpe|não posso)`,
    String.raw`^(?:mi dispiace|non posso)`,
    String.raw`^(?:извините|я не могу)`,
    String.raw`^(?:抱歉|对不起|我不能|我无法|申し訳|죄송)`,
  ].join('|'),
  'iu',
);

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v;
}

/** The answer with a Markdown code fence around JSON removed (models often fence JSON). */
export function unfence(output: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(output);
  return m ? m[1]! : output;
}

function check(name: string, answer: Answer, options: CheckOptions): CheckFailure | null {
  const text = answer.output.trim();
  switch (name) {
    case 'non_empty':
      return text.length === 0 ? { check: 'non_empty', detail: 'the answer is empty' } : null;
    case 'no_refusal':
      return text.length < 600 && REFUSAL_RE.test(text) ? { check: 'no_refusal', detail: `the model declined: "${text.slice(0, 80)}"` } : null;
    case 'not_truncated':
      return answer.finishReason === 'length' || answer.finishReason === 'max_tokens' ? { check: 'not_truncated', detail: 'the answer was cut off at the output token limit' } : null;
    case 'valid_json': {
      let value: unknown;
      try {
        value = JSON.parse(unfence(text));
      } catch (err) {
        return { check: 'valid_json', detail: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (options.jsonSchema) {
        const validate = validatorFor(options.jsonSchema);
        if (!validate(value)) {
          const e = validate.errors?.[0];
          return { check: 'valid_json', detail: `JSON does not match the schema: ${e ? `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim() : 'invalid'}` };
        }
      }
      return null;
    }
    case 'min_confidence': {
      if (answer.meanLogprob === undefined) return null;
      const confidence = Math.exp(answer.meanLogprob);
      const floor = options.minConfidence ?? 0.5;
      return confidence < floor ? { check: 'min_confidence', detail: `mean token probability ${confidence.toFixed(3)} < ${floor}` } : null;
    }
    default:
      return { check: 'unknown_check', detail: `unknown check "${name}"` };
  }
}

/** Runs the named checks in order and returns every failure (empty when the answer is accepted). */
export function runChecks(answer: Answer, checks: readonly string[], options: CheckOptions = {}): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const name of checks) {
    const f = check(name, answer, options);
    if (f) failures.push(f);
  }
  return failures;
}
