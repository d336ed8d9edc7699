/**
 * The calculator's words in the corpus languages: the ways people ask for a result
 * ("wie viel ist …", "combien font …", "…等于多少") and say operators ("mal", "fois",
 * "por", "乘以", "곱하기"), rewritten into the English words and symbols that the
 * calculator's closed expression language understands. Written from each language's
 * grammar, not from any benchmark's prompts.
 *
 * Operator words are only rewritten between operands (a number, a closing parenthesis,
 * a percent sign), so ordinary words that happen to look like operators ("per", "min",
 * "mais", "durch") in running text never turn a sentence into arithmetic.
 */

/** One escaped alternation of phrases, longest first (so "multiplicado por" wins over "por"). */
function alternation(phrases: readonly string[]): string {
  return [...phrases].sort((a, b) => b.length - a.length).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|');
}

/** Question openings that carry no arithmetic ("what is", "wie viel ist", "calcula"). */
const OPENINGS = [
  // English (beyond the calculator's own prefixes)
  'what is the value of', 'what is the result of', 'what do you get for', 'what do you get if you', 'quick maths', 'quick math',
  // German
  'was ist', 'was sind', 'was ergibt', 'wie viel ist', 'wie viel sind', 'wie viel ergibt', 'wieviel ist', 'wieviel sind', 'wie viel macht', 'berechne', 'berechnen sie', 'rechne', 'rechne mir', 'kannst du berechnen',
  // French
  'combien font', 'combien fait', 'combien vaut', 'combien ça fait', 'ça fait combien', 'calcule', 'calculez', 'que vaut', 'quel est le résultat de', 'peux-tu calculer', 'pouvez-vous calculer',
  // Spanish
  'cuánto es', 'cuanto es', 'cuánto son', 'cuanto son', 'cuánto da', 'cuanto da', 'calcula', 'calcule', 'cuál es el resultado de', 'puedes calcular',
  // Portuguese
  'quanto é', 'quanto e', 'quanto são', 'quanto sao', 'quanto dá', 'quanto da', 'calcule', 'calcula', 'qual é o resultado de', 'pode calcular',
  // Italian
  'quanto fa', 'quanto fanno', 'quanto è', 'calcola', 'calcolami', 'qual è il risultato di', 'puoi calcolare',
  // Dutch
  'wat is', 'hoeveel is', 'hoeveel zijn', 'bereken', 'reken uit',
  // Russian
  'сколько будет', 'сколько это', 'чему равно', 'чему равен', 'вычисли', 'посчитай', 'подсчитай',
  // Chinese, Japanese, Korean (openings)
  '请计算', '计算', '算一下', '計算して', '계산해 줘', '계산해줘',
];
const OPENING_RE = new RegExp(`^(?:${alternation(OPENINGS)})(?:\\s*[:,：，]\\s*|\\s+|(?=[\\d(√-]))`, 'u');

/** An article left before the operand or a root ("calcula el 20 por ciento…", "berechne die Wurzel aus 81"). */
const ARTICLE_RE = /^(?:el|la|le|il|lo|o|a|der|die|das|de|het)\s+(?=[\d(]|(?:quadrat)?wurzel|racine|ra[ií]z|radice|wortel|vierkantswortel)/u;

/** Question endings that carry no arithmetic ("…等于多少", "…は？", "…는 얼마야"). */
const ENDINGS = [
  '等于多少', '等於多少', '是多少', '等于几', '得多少', '多少',
  'はいくつですか', 'はいくつ', 'は何ですか', 'はなんですか', 'を計算してください', 'を計算して', 'は',
  '는 얼마야', '은 얼마야', '는 얼마예요', '은 얼마예요', '는 얼마', '은 얼마', '는', '은', '계산해 줘',
  'ergibt was', 'ist gleich', 'égale combien', 'font combien', 'fait combien',
];
const ENDING_RE = new RegExp(`\\s*(?:${alternation(ENDINGS)})\\s*[?？。.!！]*\\s*$`, 'u');

/** Operator words per symbol or English word; rewritten only between operands. */
const OPERATORS: ReadonlyArray<[replacement: string, phrases: readonly string[]]> = [
  ['*', [
    'mal', 'multipliziert mit', 'fois', 'multiplié par', 'multiplicado por', 'por', 'vezes', 'moltiplicato per', 'per', 'keer', 'maal', 'vermenigvuldigd met',
    'умножить на', 'умноженное на', '乘以', '乘', '掛ける', 'かける', '×', '곱하기',
  ]],
  ['/', [
    'geteilt durch', 'dividiert durch', 'durch', 'divisé par', 'dividido por', 'dividido entre', 'entre', 'diviso per', 'diviso', 'gedeeld door',
    'разделить на', 'делить на', 'поделить на', '除以', '割る', 'わる', '나누기',
  ]],
  ['+', ['und', 'plus', 'más', 'mas', 'mais', 'più', 'piu', 'плюс', '加上', '加', '足す', 'たす', '더하기']],
  ['-', ['weniger', 'moins', 'menos', 'meno', 'min', 'минус', '减去', '减', '引く', 'ひく', '빼기']],
  ['^', ['hoch', 'puissance', 'à la puissance', 'elevado a', 'elevado a la', 'elevato a', 'elevato alla', 'tot de macht', 'в степени', '的次方']],
];

/** "15 Prozent von 80" and friends → "15 % of 80" (the calculator's percent-of template). */
const PERCENT_OF = ['prozent von', 'pour cent de', 'pourcent de', 'por ciento de', 'por cento de', 'per cento di', 'procent van', 'процентов от', 'процента от', 'процент от', '% von', '% de', '% di', '% van', '% от'];
const PERCENT_WORD = ['prozent', 'pour cent', 'pourcent', 'por ciento', 'por cento', 'per cento', 'procent', 'процентов', 'процента', 'процент'];

/** Square-root phrases written before the operand (→ "sqrt") and after it (→ "sqrt(n)"). */
const ROOT_BEFORE = [
  'quadratwurzel aus', 'quadratwurzel von', 'wurzel aus', 'wurzel von', 'racine carrée de', 'racine de', 'raíz cuadrada de', 'raiz cuadrada de',
  'raiz quadrada de', 'raíz de', 'radice quadrata di', 'radice di', 'vierkantswortel van', 'wortel van', 'wortel uit', 'квадратный корень из', 'корень из',
];
const ROOT_AFTER = ['的平方根', 'の平方根', '의 제곱근'];
const SQUARED = ['zum quadrat', 'au carré', 'al cuadrado', 'ao quadrado', 'al quadrato', 'in het kwadraat', 'в квадрате', '的平方', 'の2乗', '의 제곱'];

const NUMBER = String.raw`\d+(?:[.,]\d+)?`;
const OPERAND_BEFORE = String.raw`(?<=[\d)%]\s*)`;
const OPERAND_AFTER = String.raw`(?=\s*(?:[\d(.$€£√-]|sqrt|cbrt))`;

const OPERATOR_RES: ReadonlyArray<[RegExp, string]> = OPERATORS.map(([symbol, phrases]) => [
  new RegExp(`${OPERAND_BEFORE}\\s*(?:${alternation(phrases)})\\s*${OPERAND_AFTER}`, 'gu'),
  ` ${symbol} `,
]);
const PERCENT_OF_RE = new RegExp(`(${NUMBER})\\s*(?:${alternation(PERCENT_OF)})\\s+`, 'gu');
const PERCENT_WORD_RE = new RegExp(`(${NUMBER})\\s*(?:${alternation(PERCENT_WORD)})(?![\\p{L}])`, 'gu');
const ROOT_BEFORE_RE = new RegExp(`(?:^|(?<=[\\s(+*/^-]))(?:${alternation(ROOT_BEFORE)})\\s+`, 'gu');
const ROOT_AFTER_RE = new RegExp(`(${NUMBER})\\s*(?:${alternation(ROOT_AFTER)})`, 'gu');
const SQUARED_RE = new RegExp(`(${NUMBER}|\\))\\s*(?:${alternation(SQUARED)})(?![\\p{L}])`, 'gu');

/** Removes a question's opening and ending in any corpus language ("wie viel ist 3 mal 4?" → "3 mal 4"). */
export function stripQuestion(s: string): string {
  let out = s.replace(/^[¿¡]\s*/, '');
  for (let k = 0; k < 2; k++) out = out.replace(OPENING_RE, '').replace(ARTICLE_RE, '');
  return out.replace(ENDING_RE, '').trim();
}

/** Rewrites operator, percent, root and power words of every corpus language into the calculator's English forms and symbols. */
export function operatorsToSymbols(s: string): string {
  let out = s
    .replace(PERCENT_OF_RE, '$1 % of ')
    .replace(PERCENT_WORD_RE, '$1%')
    .replace(ROOT_AFTER_RE, 'sqrt($1)')
    .replace(ROOT_BEFORE_RE, 'sqrt ')
    .replace(SQUARED_RE, '$1^2');
  // Twice: "3 mal 4 mal 5" has overlapping operand lookarounds.
  for (let k = 0; k < 2; k++) for (const [re, symbol] of OPERATOR_RES) out = out.replace(re, symbol);
  return out.replace(/\s{2,}/g, ' ').trim();
}
