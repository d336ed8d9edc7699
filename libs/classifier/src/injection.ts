/**
 * Prompt-injection suspicion: instruction-override phrases ("ignore previous
 * instructions"), persona jailbreaks ("you are now DAN", "developer mode"),
 * and system-prompt exfiltration ("reveal your system prompt"), in English,
 * Spanish, French, German, Italian, Portuguese, Dutch, Russian, Chinese and Japanese.
 *
 * It is a flag for the router (e.g. keep the request away from tool-enabled
 * models), not a blocker, so it favours recall on well-known phrasings while
 * every pattern needs two co-occurring parts (verb + object) to limit false alarms.
 * Gaps between parts are bounded ({0,n} words) so matching stays linear.
 */

const W = String.raw`(?:[\p{L}'’]+[\s,]+)`; // one word + separator

const PATTERNS: readonly RegExp[] = [
  // English: override
  new RegExp(
    String.raw`\b(?:ignore|disregard|forget|skip|override|bypass|drop|abandon)\s+${W}{0,4}(?:previous|prior|above|earlier|preceding|former|original|initial|system|your|all|any|the)\s+${W}{0,2}(?:instructions?|prompts?|rules|directions|guidelines|commands|context|messages|constraints|programming|guardrails)\b`,
    'iu',
  ),
  /\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:(?:that\s+)?(?:you\s+(?:were|have been)\s+told|(?:said|written|stated)\s+)?(?:above|before|previously|so far|earlier))/iu,
  // English: persona jailbreaks
  /\byou\s+are\s+(?:now\s+)?(?:dan|stan|dude|aim|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\s+(?:ai|model|assistant|chatbot))\b/iu,
  /\bdo\s+anything\s+now\b/iu,
  /\b(?:developer|dev|god|jailbreak|debug|sudo)\s+mode\s+(?:enabled|activated|on)\b|\benable\s+(?:developer|dev|god|jailbreak)\s+mode\b/iu,
  /\b(?:pretend|act\s+as\s+if|imagine)\s+(?:that\s+)?you\s+(?:have|had|are\s+under)\s+no\s+(?:restrictions|rules|limits|filters|guidelines|content\s+polic(?:y|ies))\b/iu,
  /\bjailbr(?:eak|oken)\b/iu,
  // English: exfiltration
  new RegExp(
    String.raw`\b(?:reveal|show|print|display|output|repeat|leak|tell\s+me|give\s+me|share|dump|write\s+out|recite)\s+${W}{0,3}(?:system\s+prompt|system\s+message|initial\s+(?:instructions|prompt)|hidden\s+(?:instructions|prompt)|original\s+(?:instructions|prompt)|secret\s+(?:instructions|prompt)|pre-?prompt|instructions\s+you\s+(?:were|have\s+been)\s+given)\b`,
    'iu',
  ),
  /\bwhat\s+(?:is|are|was|were)\s+your\s+(?:system\s+prompt|initial\s+instructions|(?:hidden|secret|original)\s+(?:instructions|prompt))\b/iu,
  /\brepeat\s+(?:the\s+)?(?:words|text|everything)\s+above\b/iu,
  /\b(?:new|updated)\s+(?:system\s+)?instructions\s*:/iu,
  /<\/?(?:system|im_start|im_end)>|\[\/?(?:system|inst)\]|<\|im_start\|>/iu,
  // Spanish
  /\b(?:ignora|ignore|olvida|olvide|omite|descarta)\s+(?:todas?\s+)?(?:las?|tus|sus)?\s*(?:instrucciones|indicaciones|reglas|[oó]rdenes)\s+(?:anteriores|previas|de\s+arriba|del\s+sistema)/iu,
  /\b(?:muestra|revela|dime|imprime)\s+(?:tu|el|las?)\s+(?:prompt\s+del\s+sistema|instrucciones\s+(?:del\s+sistema|iniciales|ocultas))/iu,
  // French
  /\b(?:ignore[rz]?|oublie[rz]?|n[ée]glige[rz]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes|r[èe]gles|directives)\s+(?:pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|initiales|du\s+syst[èe]me)/iu,
  /\b(?:r[ée]v[èe]le[rz]?|montre[rz]?|affiche[rz]?|donne[-\s]moi)\s+(?:ton|votre|le)\s+(?:prompt|message)\s+(?:syst[èe]me|initial)/iu,
  // German
  /\b(?:ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte)\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen|vorigen|vorangegangenen|deine|ihre)\s+(?:anweisungen|instruktionen|regeln|befehle|vorgaben)/iu,
  /\b(?:zeige?|verrate|gib)\s+(?:mir\s+)?(?:deinen|ihren|den)\s+system-?\s?prompt/iu,
  // Italian
  /\b(?:ignora|dimentica|ignorate)\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|regole)\s+(?:precedenti|sopra|iniziali)/iu,
  // Portuguese
  /\b(?:ignore|ignora|esque[çc]a|desconsidere)\s+(?:todas\s+)?(?:as\s+)?(?:instru[çc][õo]es|regras)\s+(?:anteriores|acima|pr[ée]vias)/iu,
  // Dutch
  /\b(?:negeer|vergeet)\s+(?:alle\s+)?(?:vorige|eerdere|voorgaande|bovenstaande)\s+(?:instructies|regels)/iu,
  // Russian
  /(?:игнорируй|проигнорируй|забудь|игнорируйте|забудьте)\s+(?:все\s+)?(?:предыдущие|прежние|вышеуказанные|свои)\s+(?:инструкции|указания|правила)/iu,
  /(?:покажи|раскрой|выведи)\s+(?:свой\s+)?системн(?:ый|ые)\s+(?:промпт|инструкции)/iu,
  // Chinese
  /(?:忽略|无视|忘记|忘掉|無視)(?:掉)?(?:你)?(?:之前|以上|前面|先前|上面|所有|上述)(?:的)?(?:所有)?(?:的)?(?:指令|指示|说明|規則|规则|提示)/u,
  /(?:显示|輸出|输出|告诉我|透露)(?:你的)?(?:系统提示|系統提示|初始指令)/u,
  // Japanese
  /(?:以前|前|上記|これまで)の(?:すべての)?(?:指示|命令|ルール)を(?:すべて)?無視/u,
  /システムプロンプトを(?:教えて|表示|見せて|出力)/u,
];

/**
 * Anchor stems: every pattern above contains at least one of them. Finding anchors
 * is one pass over the text (checked at word starts only, via a first-letter table);
 * the full patterns then run only on a window around each anchor, so a long document
 * costs O(length + anchors x window) rather than O(length x patterns).
 */
const ASCII_STEMS: readonly string[] = [
  'ignor', 'disregard', 'forget', 'overrid', 'bypass', 'dan', 'do anything', 'developer', 'dev mode', 'god mode', 'debug mode',
  'sudo', 'enable', 'jailbr', 'pretend', 'act as if', 'imagine', 'you are', 'reveal', 'show', 'print', 'display', 'output',
  'repeat', 'leak', 'tell me', 'give me', 'share', 'dump', 'write out', 'recite', 'what is your', 'what are your', 'what was your',
  'what were your', 'new instructions', 'new system', 'updated instructions', 'updated system', '<system', '</system', '<im_', '</im_',
  '<|im', '[system', '[/system', '[inst', '[/inst', 'skip', 'drop', 'abandon', 'olvid', 'omite', 'descarta', 'muestra', 'revela',
  'dime', 'imprime', 'oubli', 'neglige', 'néglige', 'révèle', 'revele', 'montre', 'affiche', 'donne', 'vergiss', 'vergessen', 'missacht', 'zeig',
  'verrate', 'gib', 'dimentica', 'esque', 'desconsidere', 'negeer', 'vergeet',
];

/** stems grouped by first (lower-case ASCII) character code. */
const STEMS_BY_FIRST: ReadonlyArray<readonly string[] | undefined> = (() => {
  const table: string[][] = [];
  for (const stem of ASCII_STEMS) {
    const c = stem.charCodeAt(0);
    (table[c] ??= []).push(stem);
  }
  return table;
})();

/** Non-Latin anchors, only searched when the text has such characters. */
const NON_LATIN_ANCHOR = /игнор|проигнор|забуд|покажи|раскрой|выведи|忽略|无视|忘|無視|显示|輸出|输出|告诉我|透露|以前|前の|上記|これまで|システム/gu;

/** Case-insensitive (ASCII) "does text contain stem at position i". */
function stemAt(text: string, i: number, stem: string): boolean {
  if (i + stem.length > text.length) return false;
  for (let k = 0; k < stem.length; k++) {
    let c = text.charCodeAt(i + k);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== stem.charCodeAt(k)) return false;
  }
  return true;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c >= 0xc0;
}

/** Characters of context examined around each anchor. */
const WINDOW_BEFORE = 160;
const WINDOW_AFTER = 220;
/** Bound on pattern checks for adversarially anchor-dense input (each check is ~1-3 µs). */
const MAX_CHECKS = 48;

/**
 * True if the text contains a known prompt-injection / jailbreak / exfiltration phrasing.
 */
export function detectInjection(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  let lastEnd = -1;
  let checks = 0;
  let nonLatin = false;
  const check = (pos: number): boolean => {
    if (pos + WINDOW_AFTER <= lastEnd) return false; // inside a window already examined
    const start = Math.max(0, pos - WINDOW_BEFORE);
    const end = Math.min(n, pos + WINDOW_AFTER);
    const chunk = text.slice(start, end);
    lastEnd = end;
    checks++;
    for (const re of PATTERNS) if (re.test(chunk)) return true;
    return false;
  };
  for (let i = 0; i < n && checks < MAX_CHECKS; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x400) nonLatin = true;
    // Anchors start a word ("<" and "[" start tags).
    if (i > 0 && c !== 60 && c !== 91 && isWordChar(text.charCodeAt(i - 1))) continue;
    const stems = STEMS_BY_FIRST[c >= 65 && c <= 90 ? c | 0x20 : c];
    if (!stems) continue;
    for (const stem of stems) {
      if (stemAt(text, i, stem)) {
        if (check(i)) return true;
        break;
      }
    }
  }
  if (nonLatin && checks < MAX_CHECKS) {
    NON_LATIN_ANCHOR.lastIndex = 0;
    for (let m = NON_LATIN_ANCHOR.exec(text); m !== null && checks < MAX_CHECKS; m = NON_LATIN_ANCHOR.exec(text)) {
      lastEnd = -1;
      if (check(m.index)) return true;
    }
  }
  return false;
}
