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
 * Anchor words: every pattern above contains at least one of them. Scanning for
 * anchors is one pass; the full patterns then only run on a window around each
 * anchor, so a long document costs O(length + anchors x window) instead of
 * O(length x patterns).
 */
const ANCHOR =
  /ignor|disregard|forget|overrid|bypass|\bdan\b|anything now|mode\b|jailbr|pretend|act as if|restriction|system|prompt|instruc|repeat the|<\/?(?:system|im_)|<\|im_|\[\/?(?:system|inst)\]|olvid|omite|descarta|oubli|n[ée]glige|vergiss|missacht|dimentica|esque[çc]|desconsidere|negeer|vergeet|игнор|забуд|систем|忽略|无视|忘|無視|系统|系統|システム|指示|ルール/giu;

/** Characters of context examined around each anchor. */
const WINDOW_BEFORE = 160;
const WINDOW_AFTER = 220;

/**
 * True if the text contains a known prompt-injection / jailbreak / exfiltration phrasing.
 */
export function detectInjection(text: string): boolean {
  if (text.length === 0) return false;
  ANCHOR.lastIndex = 0;
  let lastEnd = -1;
  let checks = 0;
  for (let m = ANCHOR.exec(text); m !== null; m = ANCHOR.exec(text)) {
    const start = Math.max(0, m.index - WINDOW_BEFORE);
    // Overlapping windows were already examined.
    if (m.index + WINDOW_AFTER <= lastEnd) continue;
    const end = Math.min(text.length, m.index + WINDOW_AFTER);
    const chunk = text.slice(start, end);
    for (const re of PATTERNS) if (re.test(chunk)) return true;
    lastEnd = end;
    // Bound the work on adversarially anchor-dense input (each check is ~1 µs).
    if (++checks > 64) break;
  }
  return false;
}
