/**
 * Calculator tool detection: finds requests that a deterministic evaluator answers
 * exactly ("what is 17.5% of 2,340", "(348*27) - 1960/8", "sqrt(144) + 3^2",
 * "how much is 15% tip on $84.50", "convert 5 km to miles") and evaluates them
 * with mathjs in BigNumber mode.
 *
 * Safety model: the text is first rewritten into a closed expression language
 * (numbers, + - * / ^ ! mod, parentheses, a whitelist of functions, constants and
 * known units) by our own lexer. Anything outside that language - words that are
 * not operators, variables, assignments, function definitions, strings, matrices -
 * rejects the request, so mathjs only ever sees arithmetic. Operand sizes are
 * bounded before evaluation (exponents, factorials, length), which is the
 * "time box": mathjs is synchronous and cannot be interrupted, so we make sure
 * every accepted expression is cheap instead. Word problems never reach mathjs
 * because their words are not in the expression language.
 */
import * as path from 'node:path';
import { detectDate, evaluateDateExpression, isDateExpression } from './tool-dates';
import { operatorsToSymbols, stripQuestion } from './tool-phrases';
import type { ToolSuggestion } from './types';
import type * as MathJs from 'mathjs';

/**
 * Loads mathjs now instead of on the first arithmetic request (that first request
 * otherwise pays ~20-300 ms once). Services that care about tail latency call it at start.
 */
export function warmCalculator(): void {
  getMath();
}

/** Minimal view of the mathjs API we use (avoids leaking mathjs types into our d.ts). */
interface MathApi {
  evaluate(expr: string): unknown;
  format(value: unknown, opts: { precision: number; lowerExp?: number; upperExp?: number }): string;
  typeOf(value: unknown): string;
  unit(name: string): unknown;
}

let mathInstance: MathApi | null = null;

/** The only functions/constants present in our mathjs instance. */
const MATH_FUNCTIONS = [
  'evaluate', 'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod', 'factorial', 'sqrt', 'cbrt',
  'abs', 'log', 'log10', 'log2', 'exp', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'round', 'floor', 'ceil', 'pi', 'e',
  'to', 'unit', 'format', 'typeOf',
] as const;

/**
 * The part of mathjs a minimal instance is built from: `create` and the `*Dependencies`
 * factory maps. The package's main entry also builds mathjs's default instance with
 * every function, about 40 MB of resident memory and 250 ms that a minimal instance
 * never uses; its dependency-map entry (`lib/cjs/entry/dependenciesAny.generated.js`,
 * not listed in the package's `exports`, hence the resolved path) and `lib/cjs/core/create.js`
 * do not. Falls back to the main entry when a mathjs release moves those files
 * (`mathjsEntry()` says which was loaded; a spec pins it).
 */
function loadMathFactories(): typeof MathJs {
  const dir = path.dirname(require.resolve('mathjs'));
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const deps = require(path.join(dir, 'entry', 'dependenciesAny.generated.js')) as Record<string, unknown>;
    const { create } = require(path.join(dir, 'core', 'create.js')) as { create: typeof MathJs.create };
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (typeof create !== 'function' || deps['evaluateDependencies'] === undefined) throw new Error('mathjs layout changed');
    loadedEntry = 'dependencies';
    return { ...deps, create } as unknown as typeof MathJs;
  } catch {
    loadedEntry = 'main';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('mathjs') as typeof MathJs;
  }
}

let loadedEntry: 'dependencies' | 'main' | null = null;

/** Which mathjs entry the calculator loaded (`null` before the first use): `dependencies` is the lean one. */
export function mathjsEntry(): 'dependencies' | 'main' | null {
  return loadedEntry;
}

/**
 * Lazily builds a BigNumber mathjs instance. Lazy because mathjs costs ~200 ms and
 * ~45 MB of resident memory to load, and most prompts are never arithmetic.
 */
function getMath(): MathApi {
  if (mathInstance) return mathInstance;
  const mathjs = loadMathFactories();
  // A minimal instance: the expression namespace contains only these functions, so
  // even if something slipped past our lexer, `import`, `createUnit`, `evaluate`,
  // `parse`, `simplify` and friends are undefined inside expressions (the mathjs
  // security recommendation, by construction rather than by override).
  type FactoryMap = MathJs.FactoryFunctionMap;
  const factories: Record<string, FactoryMap> = {};
  for (const name of MATH_FUNCTIONS) {
    const deps = (mathjs as unknown as Record<string, FactoryMap | undefined>)[`${name}Dependencies`];
    if (!deps) throw new Error(`mathjs has no ${name}Dependencies`);
    factories[`${name}Dependencies`] = deps;
  }
  const math = mathjs.create(factories, { number: 'BigNumber', precision: 64 });
  const evaluate = math.evaluate.bind(math);
  const format = math.format.bind(math);
  const typeOf = math.typeOf.bind(math);
  const unit = math.unit.bind(math);
  mathInstance = {
    evaluate: (e) => evaluate(e) as unknown,
    format: (v, o) => format(v, o),
    typeOf: (v) => typeOf(v),
    unit: (n) => unit(n),
  };
  return mathInstance;
}

const FUNCTIONS = new Set([
  'sqrt', 'cbrt', 'abs', 'log', 'log10', 'log2', 'exp', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'round', 'floor', 'ceil', 'factorial', 'mod', 'pi', 'e', 'to',
]);

/** Units we accept in "convert X unit to unit" (mathjs names after alias mapping). */
const UNIT_ALIASES: Readonly<Record<string, string>> = {
  km: 'km', kilometer: 'km', kilometers: 'km', kilometre: 'km', kilometres: 'km',
  m: 'm', meter: 'm', meters: 'm', metre: 'm', metres: 'm',
  cm: 'cm', centimeter: 'cm', centimeters: 'cm', centimetre: 'cm', centimetres: 'cm',
  mm: 'mm', millimeter: 'mm', millimeters: 'mm',
  mi: 'mile', mile: 'mile', miles: 'mile',
  ft: 'ft', foot: 'ft', feet: 'ft',
  in: 'inch', inch: 'inch', inches: 'inch',
  yd: 'yard', yard: 'yard', yards: 'yard',
  kg: 'kg', kilogram: 'kg', kilograms: 'kg', kilo: 'kg', kilos: 'kg',
  g: 'g', gram: 'g', grams: 'g',
  lb: 'lb', lbs: 'lb', pound: 'lb', pounds: 'lb',
  oz: 'oz', ounce: 'oz', ounces: 'oz',
  l: 'l', liter: 'l', liters: 'l', litre: 'l', litres: 'l',
  ml: 'ml', milliliter: 'ml', milliliters: 'ml',
  gal: 'gallon', gallon: 'gallon', gallons: 'gallon',
  c: 'degC', celsius: 'degC', '°c': 'degC', f: 'degF', fahrenheit: 'degF', '°f': 'degF', kelvin: 'K',
  h: 'hour', hr: 'hour', hrs: 'hour', hour: 'hour', hours: 'hour',
  min: 'minute', minute: 'minute', minutes: 'minute',
  s: 's', sec: 's', second: 's', seconds: 's',
  day: 'day', days: 'day', week: 'week', weeks: 'week',
  mph: 'mi/h', 'km/h': 'km/h', kmh: 'km/h', kph: 'km/h',
};

const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)`;
const PREFIX_RE = new RegExp(
  String.raw`^(?:(?:hey|hi|ok|okay|quick question)[,:!]?\s+)?(?:(?:can|could|would) you\s+(?:please\s+)?(?:tell me\s+)?|please\s+)?` +
    String.raw`(?:what(?:'s| is| are|s)|how much (?:is|are|would be|will be|do i tip on)|how many (?:\S+\s+)?(?:is|are) in|calculate|calc|compute|evaluate|work out|find|tell me|give me|solve|` +
    String.raw`cu[aá]nto (?:es|son|da)|calcula|calcule|calculez|combien (?:font|fait|vaut)|wie ?viel (?:ist|sind|ergibt)|was ist|was ergibt|berechne|quanto (?:é|e|è|fa|dá)|calcola|wat is|bereken|ile to|сколько будет|вычисли)\b\s*[:,]?\s*`,
  'i',
);
const SUFFIX_RE = /\s*(?:please|pls|exactly|for me|thanks|thank you|\?|=|\.|(?<![\d)])!|\s)*$/i;

/** Number string with thousands separators removed. */
function cleanNum(s: string): string {
  return s.replace(/,/g, '');
}

/** Bounded check so that evaluation is guaranteed cheap (our time box). */
function boundedCost(expr: string): boolean {
  if (expr.length > 160) return false;
  if ((expr.match(/\^/g) ?? []).length > 3) return false;
  for (const m of expr.matchAll(/\^\s*\(?\s*-?(\d+(?:\.\d+)?)/g)) {
    if (Number(m[1]) > 1000) return false;
  }
  for (const m of expr.matchAll(/(\d+(?:\.\d+)?)\s*!/g)) {
    if (Number(m[1]) > 500) return false;
  }
  for (const m of expr.matchAll(/factorial\(\s*(\d+)/g)) {
    if (Number(m[1]) > 500) return false;
  }
  // Nesting depth bound.
  let depth = 0;
  for (const ch of expr) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth > 8 || depth < 0) return false;
  }
  return depth === 0;
}

/** Rewrites verbal operators into symbols ("3 times 4" -> "3 * 4"). */
function verbalToSymbols(s: string): string {
  return s
    .replace(/[×✕✖·]/g, '*')
    .replace(/[÷∶]/g, '/')
    .replace(/[−–—]/g, '-')
    .replace(/²/g, '^2')
    .replace(/³/g, '^3')
    .replace(/√\s*/g, 'sqrt ')
    .replace(/π/g, 'pi')
    .replace(/\*\*/g, '^')
    .replace(/\bsquare root of\s+/g, 'sqrt ')
    .replace(/\bcube root of\s+/g, 'cbrt ')
    .replace(/\b(?:multiplied by|times)\b/g, '*')
    .replace(/\b(?:divided by|over)\b/g, '/')
    .replace(/\bplus\b/g, '+')
    .replace(/\bminus\b/g, '-')
    .replace(/\b(?:to the power of|raised to(?: the power of)?|to the)\b/g, '^')
    .replace(/\bsquared\b/g, '^2')
    .replace(/\bcubed\b/g, '^3')
    .replace(/\bmodulo\b/g, 'mod')
    .replace(/\bln\b/g, 'log')
    .replace(/(\d)\s*x\s*(?=[\d(])/g, '$1 * ');
}

/**
 * Turns "sqrt 144" into "sqrt(144)" for unparenthesised single-argument functions.
 */
function parenthesiseBareFunctions(s: string): string {
  return s.replace(/\b(sqrt|cbrt|abs|log|log10|log2|exp|sin|cos|tan)\s+(\d+(?:\.\d+)?)/g, '$1($2)');
}

/** Lexes into our closed arithmetic language; returns null if anything else is present. */
function toArithmetic(s: string): string | null {
  let out = '';
  let ops = 0;
  let nums = 0;
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      out += ' ';
      i += ws[0].length;
      continue;
    }
    const num = /^(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|^\.\d+/.exec(rest);
    if (num) {
      let n = cleanNum(num[0]);
      i += num[0].length;
      // Percent sign directly after a number is a percentage, not modulo.
      if (s[i] === '%') {
        n = `(${n} / 100)`;
        i++;
        ops++;
      }
      out += n;
      nums++;
      continue;
    }
    const c = s[i] ?? '';
    if ('+-*/^()!'.includes(c)) {
      if (c !== '(' && c !== ')') ops++;
      out += c;
      i++;
      continue;
    }
    if (c === '$' || c === '€' || c === '£') {
      i++;
      continue;
    }
    if (c === ',' && /^,\s/.test(rest)) {
      out += ',';
      i++;
      continue;
    }
    const word = /^[a-z][a-z0-9]*/.exec(rest);
    if (word && FUNCTIONS.has(word[0]) && word[0] !== 'to') {
      if (word[0] !== 'pi' && word[0] !== 'e') ops++;
      out += word[0];
      i += word[0].length;
      continue;
    }
    return null;
  }
  if (nums === 0 || ops === 0) return null;
  // A leading "-5" alone is not a calculation.
  if (/^\s*-?\s*\d+(?:\.\d+)?\s*$/.test(out)) return null;
  return out.replace(/\s+/g, ' ').trim();
}

/** The templates {@link templated} reads, compiled once. */
const TEMPLATES = Object.freeze({
  TIP_ON: new RegExp(String.raw`^${NUM}\s*(?:%|percent|per cent)\s+tip\s+(?:on|for)\s+(?:an?\s+)?[$€£]?\s*${NUM}(?:\s*(?:bill|check|meal|tab))?$`),
  TIP_AT: new RegExp(String.raw`^(?:the\s+)?tip\s+(?:on|for)\s+(?:an?\s+)?[$€£]?\s*${NUM}(?:\s*(?:bill|check|meal|tab))?\s+(?:at|with)\s+${NUM}\s*(?:%|percent)$`),
  PERCENT_OF: new RegExp(String.raw`^${NUM}\s*(?:%|percent|per cent)\s+(?:of|de|von|di|van)\s+[$€£]?\s*${NUM}$`),
  PERCENT_OFF: new RegExp(String.raw`^${NUM}\s*(?:%|percent|per cent)\s+off\s+(?:of\s+)?(?:an?\s+)?[$€£]?\s*${NUM}$`),
  IS_WHAT_PERCENT: new RegExp(String.raw`^[$€£]?${NUM}\s+is\s+what\s+(?:%|percent(?:age)?)\s+of\s+[$€£]?${NUM}$`),
  PLUS_PERCENT: new RegExp(String.raw`^[$€£]?${NUM}\s+(plus|minus|\+|-|increased by|decreased by|reduced by|less)\s+${NUM}\s*(?:%|percent)$`),
  CONVERT_UNIT: new RegExp(String.raw`^(?:convert\s+)?${NUM}\s*([a-z°/]+)\s+(?:to|in|into)\s+([a-z°/]+)$`),
  HOW_MANY_UNITS: new RegExp(String.raw`^how many\s+([a-z°/]+)\s+(?:are\s+)?in\s+${NUM}\s*([a-z°/]+)$`),
});

/** Tries the templated phrasings (percent-of, tips, percentage change, unit conversion). */
function templated(s: string): { expr: string; unit?: boolean } | null {
  let m = TEMPLATES.TIP_ON.exec(s);
  if (m) return { expr: `${cleanNum(m[2] ?? '')} * ${cleanNum(m[1] ?? '')} / 100` };
  m = TEMPLATES.TIP_AT.exec(s);
  if (m) return { expr: `${cleanNum(m[1] ?? '')} * ${cleanNum(m[2] ?? '')} / 100` };
  m = TEMPLATES.PERCENT_OF.exec(s);
  if (m) return { expr: `${cleanNum(m[1] ?? '')} / 100 * ${cleanNum(m[2] ?? '')}` };
  m = TEMPLATES.PERCENT_OFF.exec(s);
  if (m) return { expr: `${cleanNum(m[2] ?? '')} * (1 - ${cleanNum(m[1] ?? '')} / 100)` };
  m = TEMPLATES.IS_WHAT_PERCENT.exec(s);
  if (m) return { expr: `${cleanNum(m[1] ?? '')} / ${cleanNum(m[2] ?? '')} * 100` };
  m = TEMPLATES.PLUS_PERCENT.exec(s);
  if (m) {
    const sign = /plus|\+|increased/.test(m[2] ?? '') ? '+' : '-';
    return { expr: `${cleanNum(m[1] ?? '')} * (1 ${sign} ${cleanNum(m[3] ?? '')} / 100)` };
  }
  m = TEMPLATES.CONVERT_UNIT.exec(s);
  if (m) {
    const from = UNIT_ALIASES[m[2] ?? ''];
    const to = UNIT_ALIASES[m[3] ?? ''];
    if (from && to && from !== to) return { expr: `${cleanNum(m[1] ?? '')} ${from} to ${to}`, unit: true };
  }
  m = TEMPLATES.HOW_MANY_UNITS.exec(s);
  if (m) {
    const to = UNIT_ALIASES[m[1] ?? ''];
    const from = UNIT_ALIASES[m[3] ?? ''];
    if (from && to && from !== to) return { expr: `${cleanNum(m[2] ?? '')} ${from} to ${to}`, unit: true };
  }
  return null;
}

/** Money words after an amount that change nothing in the sum ("4.50 shipping", "12 dollars"). */
const AMOUNT_WORDS_RE = /(\d)\s*(?:dollars?|bucks|euros?|usd|eur|gbp|pounds sterling|(?:for |in )?shipping|(?:in |of )?tax|(?:in )?fees?|each)\b/g;
const DECIMALS = String.raw`(\d+)\s+(?:decimal places?|decimals?|places?|dp|digits? after the (?:decimal )?point)`;
const ROUND_LEADING_RE = new RegExp(String.raw`^round\s+(.+?)\s+to\s+(?:the nearest\s+)?${DECIMALS}$`);
const ROUND_TRAILING_RE = new RegExp(String.raw`^(.+?),?\s+(?:rounded|round(?:ed)? off)\s+to\s+${DECIMALS}$`);
const ROUND_WHOLE_RE = /^(?:round\s+(.+?)\s+to the nearest (?:whole number|integer)|(.+?),?\s+rounded to the nearest (?:whole number|integer))$/;

/** Normalises a prompt into a candidate expression string (lower-case, prefixes removed, operators of every corpus language as symbols). */
function normalise(text: string): string {
  // Superscripts first: NFKC would turn "5²" into "52". NFKC then maps full-width digits and operators to ASCII.
  let s = text.replace(/²/g, '^2').replace(/³/g, '^3').normalize('NFKC').trim().toLowerCase();
  s = s.replace(/^[`"'“]+|[`"'”]+$/g, '');
  for (let k = 0; k < 2; k++) s = stripQuestion(s.replace(PREFIX_RE, ''));
  s = s.replace(SUFFIX_RE, '');
  s = s.replace(/^(?:the\s+)?(?:value|result|answer) of\s+/, '');
  s = s.replace(/^the\s+(?=(?:square|cube) root)/, '');
  s = s.replace(/\s*=\s*\??$/, '');
  s = operatorsToSymbols(s);
  s = s.replace(AMOUNT_WORDS_RE, '$1').replace(/(\d+)(?:st|nd|rd|th)\s+power\b/g, '$1');
  let m = ROUND_LEADING_RE.exec(s) ?? ROUND_TRAILING_RE.exec(s);
  if (m) return `round(${m[1] ?? ''}, ${m[2] ?? ''})`;
  m = ROUND_WHOLE_RE.exec(s);
  if (m) return `round(${m[1] ?? m[2] ?? ''})`;
  return s.trim();
}

/**
 * Detects a request that the calculator answers exactly and evaluates it.
 * Returns null for anything else (including word problems and equations with variables).
 */
export function detectCalculator(text: string): ToolSuggestion | null {
  if (text.length === 0 || text.length > 200) return null;
  // Fast reject: arithmetic needs a digit (or a spelled constant like pi).
  if (!/[\d０-９]/.test(text) && !/\b(?:today|tomorrow|yesterday)\b/i.test(text)) return null;
  const date = detectDate(text);
  if (date) return date;
  if (!/[\d０-９]/.test(text)) return null;
  const s = normalise(text);
  if (s.length === 0) return null;
  let expr: string | null;
  let isUnit = false;
  const t = templated(s);
  if (t) {
    expr = t.expr;
    isUnit = t.unit === true;
  } else {
    expr = toArithmetic(parenthesiseBareFunctions(verbalToSymbols(s)));
  }
  if (expr === null) return null;
  const result = evaluateBounded(expr, isUnit);
  return result === null ? null : { name: 'calculator', expression: expr, result };
}

/** Evaluates an expression of the closed language (cost-bounded first); null when it has no finite result of the expected kind. */
function evaluateBounded(expr: string, isUnit: boolean, significantDigits = 15): string | null {
  if (!boundedCost(expr)) return null;
  try {
    const math = getMath();
    const value = math.evaluate(expr);
    const type = math.typeOf(value);
    if (isUnit ? type !== 'Unit' : type !== 'BigNumber' && type !== 'number') return null;
    const result = math.format(value, { precision: significantDigits, lowerExp: -12, upperExp: Math.max(21, significantDigits) });
    return /NaN|Infinity|i$/.test(result) ? null : result;
  } catch {
    return null;
  }
}

const KNOWN_UNITS: ReadonlySet<string> = new Set(Object.values(UNIT_ALIASES));

/**
 * Evaluates a calculator tool expression (a {@link ToolSuggestion}'s `expression`) again,
 * as the calculator pool does: a date expression, a unit conversion (`10 km to mile`) or
 * arithmetic in the closed language, checked exactly as the classifier checks its own.
 * @param significantDigits digits printed (the classifier's suggestions use 15; the pool may print more, up to 64).
 * @throws Error when the expression is in none of these languages or has no finite result.
 */
export function evaluateToolExpression(expression: string, significantDigits = 15): string {
  if (isDateExpression(expression)) return evaluateDateExpression(expression);
  const unit = /^(\d+(?:\.\d+)?) ([A-Za-z/]+) to ([A-Za-z/]+)$/.exec(expression);
  const isUnit = unit !== null && KNOWN_UNITS.has(unit[2]!) && KNOWN_UNITS.has(unit[3]!);
  if (!isUnit && toArithmetic(expression) === null) throw new Error('not a calculator expression');
  const result = evaluateBounded(isUnit ? expression : toArithmetic(expression)!, isUnit, Math.min(64, Math.max(1, significantDigits)));
  if (result === null) throw new Error('the expression has no finite result');
  return result;
}
