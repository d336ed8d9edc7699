import { detectCalculator, evaluateToolExpression } from '@yardmaster/classifier/tool';
import { ProviderError } from './errors.js';
import { partsText, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter } from './types.js';

/** Significant digits printed: exact for integers and decimals this long (the evaluator works with 64). */
const PRINTED = 34;

/**
 * Evaluates a calculator expression exactly: arithmetic and unit conversions with
 * mathjs's decimal BigNumbers, date arithmetic with date-fns. The same closed languages,
 * cost bounds and evaluator as the classifier's detector (one implementation), so what
 * it proposes the tool computes. A parser, never `eval`.
 * @throws ProviderError(tool_error) for an expression outside those languages or without a finite value.
 */
export function calculate(expression: string): string {
  const expr = expression.trim();
  if (!expr) throw new ProviderError('tool_error', 'the calculator got no expression');
  try {
    return evaluateToolExpression(expr, PRINTED);
  } catch (err) {
    throw new ProviderError('tool_error', `cannot evaluate "${expr.slice(0, 100)}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The `calculator` tool pool behind the adapter interface: computes the classifier's
 * normalised expression (`request.tool`), or, without one, the last user message.
 * Costs nothing, uses no tokens, calls nothing.
 */
export class CalculatorTool implements ProviderAdapter {
  readonly api = 'tool' as const;
  readonly streams = false;

  generate(request: GenerationRequest, options: CallOptions): Promise<GenerationAnswer> {
    const started = performance.now();
    if (options.signal.aborted) return Promise.reject(ProviderError.from(options.signal.reason));
    if (request.tool && request.tool.name !== 'calculator') return Promise.reject(new ProviderError('tool_error', `unknown tool ${request.tool.name}`));
    const last = [...request.messages].reverse().find((m) => m.role === 'user');
    try {
      // Without the classifier's expression, detect one in the last user message the same way.
      const output = request.tool?.expression ? calculate(request.tool.expression) : (detectCalculator(last ? partsText(last.parts) : '')?.result ?? calculate(''));
      return Promise.resolve({ output, finishReason: 'stop', inputTokens: 0, outputTokens: 0, providerModel: 'calculator', streamed: false, firstByteMs: performance.now() - started });
    } catch (err) {
      return Promise.reject(ProviderError.from(err));
    }
  }
}
