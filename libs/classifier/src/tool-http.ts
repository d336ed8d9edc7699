/**
 * Requests that an HTTP tool answers better than a model: the weather somewhere, and
 * currency conversion at today's rate. The classifier only recognises them and extracts
 * their arguments; whether a tool serves them is the catalog's business (a tenant's
 * catalog declares HTTP tool pools with a URL template), and the router decides.
 *
 * The suggestion's `expression` is the canonical JSON of the arguments
 * (`{"location":"Paris","when":"tomorrow"}`), so it travels in the existing contract
 * field and is stable for caching.
 */
import type { ToolSuggestion } from './types';

/** When the weather is asked for. */
type When = 'now' | 'today' | 'tomorrow';

const WHEN_WORDS: ReadonlyArray<[When, RegExp]> = [
  // Letter lookarounds rather than \b, which only knows ASCII letters ("amanhã", "завтра").
  ['tomorrow', /(?<!\p{L})(?:tomorrow|morgen|demain|mañana|amanhã|domani|завтра)(?!\p{L})|明天|明日|내일/iu],
  ['now', /(?<!\p{L})(?:right now|now|currently|at the moment|jetzt|gerade|maintenant|ahora|agora|adesso|ora|сейчас)(?!\p{L})|现在|今(?!日)|지금/iu],
];

/** "…in Paris", "…à Lyon", "…en Madrid": a place name of up to four words (as few as the sentence allows), not a season or a pronoun. */
const PLACE = String.raw`(?!(?:my|your|our|the|this|that|here|there|general|winter|summer|spring|autumn|fall)\b)([\p{L}][\p{L}.'’-]*(?:[ -][\p{L}][\p{L}.'’-]*){0,3}?)`;
const TAIL = String.raw`(?:\s+(?:right now|now|today|tomorrow|this (?:morning|afternoon|evening|weekend)|heute|morgen|jetzt|aujourd'hui|demain|hoy|mañana|ahora|hoje|amanhã|agora|oggi|domani|сегодня|завтра|сейчас))?\s*[?？!.]*$`;

/** Weather questions per language; group 1 is the place. Written from each language's usual phrasing. */
const WEATHER_RES: readonly RegExp[] = [
  new RegExp(String.raw`^(?:what(?:'s| is)|how(?:'s| is)|tell me|give me|show me|check)\s+(?:the\s+)?(?:current\s+)?(?:weather|forecast|weather forecast|temperature)(?:\s+(?:like|going to be|forecast))?\s+(?:in|for|at)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:weather|forecast|weather forecast|temperature)\s+(?:in|for|at)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:is it|will it)\s+(?:going to\s+)?(?:rain|snow|be sunny|be cold|be hot|be windy)(?:ing)?\s+in\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^how (?:hot|cold|warm) is it\s+in\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:wie ist|wie wird)\s+das wetter\s+(?:in|für)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:quel temps fait-il|quel temps fera-t-il|quelle est la météo|météo)\s+(?:à|a|en|au|pour)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:¿\s*)?(?:qué|que) tiempo (?:hace|hará|va a hacer)\s+en\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:como está|como vai estar|qual é a previsão do)\s+(?:o\s+)?tempo\s+(?:em|no|na|para)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^che tempo (?:fa|farà)\s+(?:a|in)\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:hoe is|wat is)\s+het weer\s+in\s+${PLACE}${TAIL}`, 'iu'),
  new RegExp(String.raw`^(?:какая\s+)?погода\s+в\s+${PLACE}${TAIL}`, 'iu'),
];
/** CJK: "<place>的天气", "<place>の天気", "<place> 날씨"; group 1 is the place. */
const WEATHER_CJK_RES: readonly RegExp[] = [
  /^(?:今天|明天|现在)?([\p{Script=Han}]{1,8}?)(?:今天|明天|现在)?的?天气(?:怎么样|如何)?[?？]?$/u,
  /^(?:今日|明日)?の?([\p{Script=Han}\p{Script=Katakana}]{1,8}?)の(?:今日|明日)?の?天気(?:は)?(?:どう(?:ですか)?)?[?？]?$/u,
  /^([\p{Script=Hangul}]{1,8}?)\s*(?:오늘|내일)?\s*날씨\s*(?:어때|어때요|알려\s*줘)?[?？]?$/u,
];

/** Currency names and symbols → ISO 4217 codes (the common ones; codes themselves are accepted too). */
const CURRENCIES: Readonly<Record<string, string>> = {
  '$': 'USD', dollar: 'USD', dollars: 'USD', 'us dollars': 'USD', 'us dollar': 'USD', bucks: 'USD',
  '€': 'EUR', euro: 'EUR', euros: 'EUR',
  '£': 'GBP', pound: 'GBP', pounds: 'GBP', 'british pounds': 'GBP', sterling: 'GBP',
  '¥': 'JPY', yen: 'JPY', 'japanese yen': 'JPY',
  yuan: 'CNY', renminbi: 'CNY', rmb: 'CNY',
  franc: 'CHF', francs: 'CHF', 'swiss francs': 'CHF',
  rupee: 'INR', rupees: 'INR', won: 'KRW', real: 'BRL', reais: 'BRL', ruble: 'RUB', rubles: 'RUB', roubles: 'RUB',
  'canadian dollars': 'CAD', 'australian dollars': 'AUD', peso: 'MXN', pesos: 'MXN',
};
const ISO_CODES = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'CHF', 'INR', 'KRW', 'BRL', 'RUB', 'CAD', 'AUD', 'MXN', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'TRY', 'ZAR', 'SGD', 'HKD', 'NZD', 'THB', 'IDR', 'AED', 'SAR', 'ILS']);
const CURRENCY_NAMES = Object.keys(CURRENCIES).sort((a, b) => b.length - a.length).map((k) => k.replace(/[$€£¥]/g, '\\$&')).join('|');
const CURRENCY = String.raw`([a-z]{3}|${CURRENCY_NAMES})`;
const AMOUNT = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;

const CONVERT_RES: ReadonlyArray<{ re: RegExp; amount: number; from: number; to: number }> = [
  // "convert 100 usd to eur", "100 dollars in euros", "how much is 50 € in yen"
  { re: new RegExp(String.raw`^(?:convert\s+|how much is\s+|what is\s+|what's\s+)?${AMOUNT}\s*${CURRENCY}\s+(?:to|in|into)\s+${CURRENCY}$`, 'i'), amount: 1, from: 2, to: 3 },
  { re: new RegExp(String.raw`^(?:convert\s+|how much is\s+|what is\s+|what's\s+)?${CURRENCY}\s*${AMOUNT}\s+(?:to|in|into)\s+${CURRENCY}$`, 'i'), amount: 2, from: 1, to: 3 },
  // "exchange rate from gbp to jpy", "usd to eur rate"
  { re: new RegExp(String.raw`^(?:what(?:'s| is)\s+)?(?:the\s+)?(?:current\s+)?(?:exchange|conversion)\s+rate\s+(?:from|between|of)\s+${CURRENCY}\s+(?:to|and|into)\s+${CURRENCY}$`, 'i'), amount: 0, from: 1, to: 2 },
  { re: new RegExp(String.raw`^${CURRENCY}\s+(?:to|/)\s+${CURRENCY}\s+(?:exchange\s+)?rate$`, 'i'), amount: 0, from: 1, to: 2 },
];

function currencyCode(text: string): string | undefined {
  const t = text.toLowerCase();
  const named = CURRENCIES[t];
  if (named) return named;
  const upper = text.toUpperCase();
  return ISO_CODES.has(upper) ? upper : undefined;
}

function suggestion(name: 'weather' | 'currency', args: Record<string, string>): ToolSuggestion {
  const sorted = Object.fromEntries(Object.entries(args).sort(([a], [b]) => a.localeCompare(b)));
  return { name, expression: JSON.stringify(sorted), result: '', arguments: sorted };
}

/** A weather question with its place (and when), or null. */
export function detectWeather(text: string): ToolSuggestion | null {
  if (text.length > 160) return null;
  const t = text.trim().replace(/\s+/g, ' ');
  const lower = t.charAt(0).toLowerCase() + t.slice(1);
  for (const re of WEATHER_RES) {
    const m = re.exec(lower);
    if (m?.[1]) {
      const when = WHEN_WORDS.find(([, w]) => w.test(lower))?.[0] ?? 'today';
      return suggestion('weather', { location: m[1].replace(/[.'’]+$/, ''), when });
    }
  }
  for (const re of WEATHER_CJK_RES) {
    const m = re.exec(t);
    if (m?.[1]) {
      const when = WHEN_WORDS.find(([, w]) => w.test(t))?.[0] ?? 'today';
      return suggestion('weather', { location: m[1], when });
    }
  }
  return null;
}

/** A currency conversion or exchange-rate question with its currencies (and amount), or null. */
export function detectCurrency(text: string): ToolSuggestion | null {
  if (text.length > 120) return null;
  const t = text.trim().replace(/\s+/g, ' ').replace(/\s*[?？!.]+$/, '').replace(/^(?:please\s+|can you\s+)/i, '');
  for (const { re, amount, from, to } of CONVERT_RES) {
    const m = re.exec(t);
    if (!m) continue;
    const f = currencyCode(m[from] ?? '');
    const o = currencyCode(m[to] ?? '');
    if (!f || !o || f === o) continue;
    return suggestion('currency', { from: f, to: o, ...(amount ? { amount: (m[amount] ?? '').replace(/,/g, '') } : {}) });
  }
  return null;
}

/** The HTTP tool a request asks for, or null. */
export function detectHttpTool(text: string): ToolSuggestion | null {
  return detectCurrency(text) ?? detectWeather(text);
}
