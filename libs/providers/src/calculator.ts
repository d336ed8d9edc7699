import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';
import { ProviderError } from './errors.js';
import { partsText, type CallOptions, type GenerationAnswer, type GenerationRequest, type ProviderAdapter } from './types.js';

/**
 * The only functions and constants inside the calculator's mathjs instance: `import`,
 * `createUnit`, `evaluate`, `parse`, `simplify` and the like do not exist inside
 * expressions (mathjs's security advice, by construction). The same set as the
 * classifier's detector, so what it proposes the tool can compute.
 */
const FUNCTIONS = [
  'evaluate', 'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod', 'factorial', 'sqrt', 'cbrt',
  'abs', 'log', 'log10', 'log2', 'exp', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'round', 'floor', 'ceil', 'pi', 'e',
  'to', 'unit', 'format', 'typeOf',
] as const;

/** Significant digits the calculator works with and prints (decimal, exact for integers this long). */
const PRECISION = 64;
const PRINTED = 34;

interface MathApi {
  evaluate(expr: string): unknown;
  format(value: unknown, opts: { precision: number; lowerExp?: number; upperExp?: number }): string;
  typeOf(value: unknown): string;
}

let instance: MathApi | undefined;

/** Lazily built: mathjs costs ~300 ms and ~20 MB to load, and only the tool pool needs it. */
function math(): MathApi {
  if (instance) return instance;
  const mathjs = createRequire(__filename)('mathjs') as typeof MathJs;
  const factories: Record<string, MathJs.FactoryFunctionMap> = {};
  for (const name of FUNCTIONS) {
    const deps = (mathjs as unknown as Record<string, MathJs.FactoryFunctionMap | undefined>)[`${name}Dependencies`];
    if (!deps) throw new Error(`mathjs has no ${name}Dependencies`);
    factories[`${name}Dependencies`] = deps;
  }
  const m = mathjs.create(factories, { number: 'BigNumber', precision: PRECISION });
  instance = { evaluate: (e) => m.evaluate(e) as unknown, format: (v, o) => m.format(v, o), typeOf: (v) => m.typeOf(v) };
  return instance;
}

/** Bounds on what one expression may cost (huge powers and factorials, deep nesting). */
function checkCost(expr: string): void {
  const tooBig = (re: RegExp, max: number) => [...expr.matchAll(re)].some((m) => Number(m[1]) > max);
  if (expr.length > 500) throw new ProviderError('tool_error', 'expression longer than 500 characters');
  if (tooBig(/\^\s*\(?\s*-?(\d+(?:\.\d+)?)/g, 10000) || tooBig(/(\d+(?:\.\d+)?)\s*!/g, 1000) || tooBig(/factorial\(\s*(\d+)/g, 1000)) {
    throw new ProviderError('tool_error', 'expression too expensive to evaluate exactly');
  }
}

/**
 * Evaluates an arithmetic (or unit-conversion) expression exactly with mathjs's decimal
 * BigNumbers (64 significant digits, printed with up to 34) - a parser, never `eval`.
 * @throws ProviderError(tool_error) for an expression it cannot evaluate, or whose value
 *   is not a finite real number or a unit.
 */
export function calculate(expression: string): string {
  const expr = expression.trim();
  if (!expr) throw new ProviderError('tool_error', 'the calculator got no expression');
  checkCost(expr);
  let value: unknown;
  try {
    value = math().evaluate(expr);
  } catch (err) {
    throw new ProviderError('tool_error', `cannot evaluate "${expr.slice(0, 100)}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const type = math().typeOf(value);
  if (type !== 'BigNumber' && type !== 'number' && type !== 'Unit' && type !== 'Fraction') {
    throw new ProviderError('tool_error', `"${expr.slice(0, 100)}" is not a number (${type})`);
  }
  const result = math().format(value, { precision: PRINTED, lowerExp: -12, upperExp: PRINTED });
  if (/NaN|Infinity/.test(result)) throw new ProviderError('tool_error', `"${expr.slice(0, 100)}" has no finite value`);
  return result;
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
    const expression = request.tool?.expression ?? (last ? partsText(last.parts) : '');
    try {
      const output = calculate(expression);
      return Promise.resolve({ output, finishReason: 'stop', inputTokens: 0, outputTokens: 0, providerModel: 'calculator', streamed: false, firstByteMs: performance.now() - started });
    } catch (err) {
      return Promise.reject(ProviderError.from(err));
    }
  }
}
