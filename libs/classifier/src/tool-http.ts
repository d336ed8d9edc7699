/**
 * Requests that an HTTP tool answers better than a model: the weather somewhere,
 * currency conversion at today's rate, and a record in a company's own systems (an order's
 * status, a customer's record, by its id). The classifier only recognises them and extracts
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

function suggestion(name: 'weather' | 'currency' | 'order_lookup' | 'customer_lookup', args: Record<string, string>): ToolSuggestion {
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

/**
 * A record id as people write it: `48213`, `#A-10442`, `no. C-2291`, `№ 7731`; group 1 is
 * the id (3 to 24 letters, digits and dashes; {@link recordId} also wants a digit).
 */
const ID = String.raw`(?:(?:number|no\.?|nr\.?|n[°º]\.?|num[eé]ro|nummer|numero|номер|№)\s*)?#?\s?([a-z0-9][a-z0-9-]{2,23})`;
/** "please", "can you", "could you please" before an English lookup. */
const POLITE = String.raw`(?:(?:can|could|would) you\s+)?(?:please\s+)?`;
/** The end of a lookup question: punctuation only. */
const END = String.raw`\s*[?？!.。]*$`;
/** CJK ids: after the stem, an optional 番号/号/번호 and separator. */
const CJK_ID = String.raw`\s*(?:番号|号|번호)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{2,23})`;

/**
 * One cheap pass over the text finds whether a lookup is possible at all: an order or a
 * customer word in one of the corpus languages. Only then are the phrasings tried.
 */
const ORDER_STEM = /order|bestellung|bestelling|commande|pedido|encomenda|ordine|заказ|订单|注文|주문/i;
const CUSTOMER_STEM = /customer|kunde|client|klant|клиент|客户|顧客|고객/i;

/**
 * Order-status questions per language; group 1 is the id. Each is anchored at both ends,
 * so a request that merely mentions an order ("sort these orders by date", "write SQL that
 * finds order 48213") is not a lookup.
 */
const ORDER_RES: readonly RegExp[] = [
  // English: "what's the status of order 48213", "where is my order #A-10442", "track order 48213", "has order 48213 shipped yet?", "order 48213 status"
  new RegExp(String.raw`^${POLITE}(?:(?:what(?:'s|’s| is)|check|tell me|show me|give me|get)\s+(?:me\s+)?(?:the\s+)?(?:current\s+|latest\s+)?(?:status|state|tracking(?: status)?|delivery status|shipping status|details)\s+(?:of|for|on)|where(?:'s|’s| is)|track|trace|look up|lookup|find|check(?: on)?|(?:status|tracking) (?:of|for))\s+(?:my\s+|our\s+|the\s+)?order\s+${ID}(?:\s+(?:now|status))?${END}`, 'iu'),
  new RegExp(String.raw`^(?:has|have|did|is|when will|when does)\s+(?:my\s+|our\s+|the\s+)?order\s+${ID}\s+(?:been\s+)?(?:ship|shipped|arrive|arrived|arriving|deliver(?:ed)?|dispatched)(?:\s+yet)?${END}`, 'iu'),
  new RegExp(String.raw`^order\s+${ID}(?:\s*[:-]?\s*(?:status|tracking|details))?${END}`, 'iu'),
  // German: "Wo ist meine Bestellung 48213?", "Was ist der Status der Bestellung #A-10442", "Bestellung 48213 Status"
  new RegExp(String.raw`^(?:wo ist|wo bleibt|(?:wie|was) ist der status|status)\s+(?:von\s+)?(?:meiner|meine|unserer|unsere|der|die)?\s*bestellung\s+${ID}${END}`, 'iu'),
  new RegExp(String.raw`^bestellung\s+${ID}(?:\s+(?:status|verfolgen|nachschlagen|prüfen))?${END}`, 'iu'),
  // French: "Où en est ma commande 48213 ?", "Quel est le statut de la commande n° 48213", "suivi de la commande #A-10442"
  new RegExp(String.raw`^(?:où en est|où est|quel est (?:le statut|l'état|l’état) de|(?:le\s+)?statut de|suivi de|suivre)\s+(?:ma|la|notre)\s+commande\s+${ID}${END}`, 'iu'),
  // Spanish: "¿Dónde está mi pedido 48213?", "¿Cuál es el estado del pedido #A-10442?", "rastrear mi pedido 48213"
  new RegExp(String.raw`^(?:¿\s*)?(?:(?:dónde|donde) (?:está|esta|anda)\s+(?:mi|el|nuestro)|(?:(?:cuál|cual) es\s+)?el estado de(?:l|\s+mi)|estado de(?:l|\s+mi)|rastrear?\s+(?:mi|el))\s+pedido\s+${ID}${END}`, 'iu'),
  // Portuguese: "Onde está o meu pedido 48213?", "Qual é o status da encomenda 48213?"
  new RegExp(String.raw`^(?:onde (?:está|esta|anda)\s+(?:o\s+meu|a\s+minha|o|a|meu|minha)|qual (?:é\s+)?o (?:status|estado) d[oa](?:\s+meu|\s+minha)?|(?:status|estado) d[oa](?:\s+meu|\s+minha)?|rastrear\s+(?:o\s+)?(?:meu|minha|o|a))\s+(?:pedido|encomenda)\s+${ID}${END}`, 'iu'),
  // Italian: "Dov'è il mio ordine 48213?", "Qual è lo stato dell'ordine 48213?", "stato ordine #A-10442"
  new RegExp(String.raw`^(?:(?:dov['’]è|dove è|dove si trova)\s+(?:il\s+)?(?:mio\s+|nostro\s+)?|(?:qual è\s+)?lo stato\s+(?:dell['’]\s*|del\s+(?:mio\s+)?)|stato\s+(?:dell['’]\s*|del\s+(?:mio\s+)?)?)ordine\s+${ID}${END}`, 'iu'),
  // Dutch: "Waar is mijn bestelling 48213?", "Wat is de status van bestelling 48213?"
  new RegExp(String.raw`^(?:waar is|waar blijft|wat is de status van|status van)\s+(?:mijn\s+|de\s+|onze\s+)?bestelling\s+${ID}${END}`, 'iu'),
  // Russian: "Где мой заказ 48213?", "Какой статус заказа №48213?"
  new RegExp(String.raw`^(?:где\s+(?:мой\s+)?заказ|(?:какой|каков)\s+статус\s+(?:моего\s+)?заказа|статус\s+(?:моего\s+)?заказа)\s*${ID}${END}`, 'iu'),
  // Chinese: "查询订单48213的状态", "我的订单 A-10442 到哪了"
  new RegExp(String.raw`^(?:请)?(?:帮我)?(?:查询|查一下|查看|查)?(?:我的)?订单${CJK_ID}\s*(?:的)?(?:状态|物流|在哪里|到哪了|到哪里了)?(?:是什么|怎么样)?${END}`, 'u'),
  // Japanese: "注文48213の状況は？", "注文番号A-10442はどこですか"
  new RegExp(String.raw`^(?:私の)?注文${CJK_ID}\s*(?:の(?:状況|状態|ステータス|配送状況)(?:は|を(?:教えて|確認して)(?:ください)?)?|は(?:今)?どこ)(?:ですか)?${END}`, 'u'),
  // Korean: "주문 48213 상태", "주문번호 A-10442 어디까지 왔어"
  new RegExp(String.raw`^(?:내\s*)?주문${CJK_ID}\s*(?:의\s*)?(?:배송\s*)?(?:상태|조회|어디(?:까지 왔어|야|에 있어)?)\s*(?:알려\s*줘|확인해\s*줘)?${END}`, 'u'),
];

/** Customer-record lookups per language; group 1 is the id. Anchored like {@link ORDER_RES}. */
const CUSTOMER_RES: readonly RegExp[] = [
  // English: "look up customer C-2291", "show me the record for customer 10442", "customer C-2291 details"
  new RegExp(String.raw`^${POLITE}(?:look up|lookup|find|show(?: me)?|get|pull up|fetch|open)\s+(?:the\s+)?(?:(?:record|details|account|profile|info(?:rmation)?)\s+(?:of|for|on)\s+)?(?:the\s+)?customer\s+(?:record\s+|account\s+)?${ID}${END}`, 'iu'),
  new RegExp(String.raw`^(?:who is|what do we (?:have|know) (?:on|about))\s+customer\s+${ID}${END}`, 'iu'),
  new RegExp(String.raw`^customer\s+${ID}(?:\s*[:-]?\s*(?:details|record|info|profile))?${END}`, 'iu'),
  // German: "Kunde K-2291 nachschlagen", "zeig mir den Kunden 2291"
  new RegExp(String.raw`^(?:(?:zeig(?:e)?|such(?:e)?|finde)\s+(?:mir\s+)?(?:den\s+)?)?kunden?(?:datensatz|daten|konto)?\s+${ID}(?:\s+(?:nachschlagen|suchen|anzeigen))?${END}`, 'iu'),
  // French: "cherche le client C-2291", "fiche client C-2291"
  new RegExp(String.raw`^(?:(?:cherche|recherche|trouve|affiche|montre-moi)\s+(?:le\s+|la fiche (?:du\s+)?)?|fiche\s+)client\s+${ID}${END}`, 'iu'),
  // Spanish, Portuguese, Italian: "busca el cliente C-2291", "procurar cliente C-2291", "cerca il cliente C-2291"
  new RegExp(String.raw`^(?:busca(?:r)?|encuentra|muestra(?:me)?|procur(?:ar|e|a)|mostr(?:ar|e)|consultar?|cerca|trova|mostra(?:mi)?)\s+(?:al\s+|el\s+|o\s+|il\s+|i dati del\s+)?cliente\s+${ID}${END}`, 'iu'),
  // Dutch: "zoek klant C-2291"
  new RegExp(String.raw`^(?:zoek|toon|vind)\s+(?:de\s+)?klant\s+${ID}${END}`, 'iu'),
  // Russian: "найди клиента C-2291"
  new RegExp(String.raw`^(?:найди|найти|покажи|открой)\s+(?:карточку\s+)?клиента\s*${ID}${END}`, 'iu'),
  // Chinese, Japanese, Korean: "查一下客户C-2291", "顧客C-2291を検索して", "고객 C-2291 조회"
  new RegExp(String.raw`^(?:请)?(?:帮我)?(?:查询|查一下|查看|查)(?:一下)?客户${CJK_ID}\s*(?:的)?(?:信息|资料|记录)?${END}`, 'u'),
  new RegExp(String.raw`^顧客${CJK_ID}\s*(?:の(?:情報|詳細|記録))?を?(?:検索|調べて|表示)(?:して)?(?:ください)?${END}`, 'u'),
  new RegExp(String.raw`^고객${CJK_ID}\s*(?:정보\s*)?(?:조회|찾아\s*줘|검색)${END}`, 'u'),
];

/** A captured id, canonical (upper case), if it has a digit and does not end in a dash; else undefined. */
function recordId(raw: string | undefined): string | undefined {
  if (!raw || !/\d/.test(raw) || raw.endsWith('-')) return undefined;
  return raw.toUpperCase();
}

function firstId(res: readonly RegExp[], text: string): string | undefined {
  for (const re of res) {
    const id = recordId(re.exec(text)?.[1]);
    if (id) return id;
  }
  return undefined;
}

/**
 * A lookup of one record in the company's systems, by id: an order's status
 * (`order_lookup`, argument `order_id`) or a customer's record (`customer_lookup`,
 * argument `customer_id`), or null. The id is upper-cased (`#a-10442` → `A-10442`).
 * The whole request must be the lookup; one that only mentions orders is not.
 */
export function detectRecordLookup(text: string): ToolSuggestion | null {
  if (text.length > 160) return null;
  const order = ORDER_STEM.test(text);
  if (!order && !CUSTOMER_STEM.test(text)) return null;
  const t = text.trim().replace(/\s+/g, ' ');
  if (order) {
    const id = firstId(ORDER_RES, t);
    if (id) return suggestion('order_lookup', { order_id: id });
  }
  const id = CUSTOMER_STEM.test(t) ? firstId(CUSTOMER_RES, t) : undefined;
  return id ? suggestion('customer_lookup', { customer_id: id }) : null;
}

/** The HTTP tool a request asks for, or null. */
export function detectHttpTool(text: string): ToolSuggestion | null {
  return detectCurrency(text) ?? detectWeather(text) ?? detectRecordLookup(text);
}
