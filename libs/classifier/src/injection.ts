/**
 * Prompt-injection suspicion: instruction-override phrases ("ignore previous
 * instructions"), persona jailbreaks ("you are now DAN", "developer mode"),
 * and system-prompt exfiltration ("reveal your system prompt"), in English,
 * Spanish, French, German, Italian, Portuguese, Dutch, Russian, Chinese and Japanese.
 *
 * It is a flag for the router (e.g. keep the request away from tool-enabled
 * models), not a blocker, so it favours recall on well-known phrasings while
 * every pattern needs two co-occurring parts (verb + object) to limit false alarms.
 *
 * Cost: each rule names the anchor stems it cannot match without. One pass over the
 * text finds anchors at word starts (first-letter table, no regex); only the rules
 * of an anchor run, on a window around it. A long document therefore costs
 * O(length + anchors x window) rather than O(length x rules).
 */

const W = String.raw`(?:[\p{L}'’]+[\s,]+)`; // one word + separator

interface Rule {
  re: RegExp;
  /** Lower-case stems; at least one occurs in any text the rule matches. */
  anchors: readonly string[];
  /** Set for rules whose anchors are not ASCII (searched by regex when the text has non-Latin letters). */
  nonLatin?: boolean;
}

const RULES: readonly Rule[] = [
  // English: override
  {
    re: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|skip|override|bypass|drop|abandon)\s+${W}{0,4}(?:previous|prior|above|earlier|preceding|former|original|initial|system|your|all|any|the)\s+${W}{0,2}(?:instructions?|prompts?|rules|directions|guidelines|commands|context|messages|constraints|programming|guardrails)\b`,
      'iu',
    ),
    anchors: ['ignor', 'disregard', 'forget', 'overrid', 'bypass', 'abandon', 'skip', 'drop'],
  },
  {
    re: /\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:(?:that\s+)?(?:you\s+(?:were|have been)\s+told|(?:said|written|stated)\s+)?(?:above|before|previously|so far|earlier))/iu,
    anchors: ['ignor', 'disregard', 'forget'],
  },
  // English: persona jailbreaks
  {
    re: /\byou\s+are\s+(?:now\s+)?(?:dan|stan|dude|aim|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\s+(?:ai|model|assistant|chatbot))\b/iu,
    anchors: ['dan', 'stan', 'dude', 'aim', 'unrestricted', 'unfiltered', 'uncensored', 'jailbr'],
  },
  { re: /\bdo\s+anything\s+now\b/iu, anchors: ['do anything'] },
  {
    re: /\b(?:developer|dev|god|jailbreak|debug|sudo)\s+mode\s+(?:enabled|activated|on)\b|\benable\s+(?:developer|dev|god|jailbreak)\s+mode\b/iu,
    anchors: ['developer mode', 'dev mode', 'god mode', 'jailbr', 'debug mode', 'sudo mode'],
  },
  {
    re: /\b(?:pretend|act\s+as\s+if|imagine)\s+(?:that\s+)?you\s+(?:have|had|are\s+under)\s+no\s+(?:restrictions|rules|limits|filters|guidelines|content\s+polic(?:y|ies))\b/iu,
    anchors: ['no restrictions', 'no rules', 'no limits', 'no filters', 'no guidelines', 'no content'],
  },
  { re: /\bjailbr(?:eak|oken)\b/iu, anchors: ['jailbr'] },
  // English: exfiltration (anchored on the object; the verb is in the window before it)
  {
    re: new RegExp(
      String.raw`\b(?:reveal|show|print|display|output|repeat|leak|tell\s+me|give\s+me|share|dump|write\s+out|recite)\s+${W}{0,3}(?:system\s+prompt|system\s+message|initial\s+(?:instructions|prompt)|hidden\s+(?:instructions|prompt)|original\s+(?:instructions|prompt)|secret\s+(?:instructions|prompt)|pre-?prompt|instructions\s+you\s+(?:were|have\s+been)\s+given)\b`,
      'iu',
    ),
    anchors: ['system prompt', 'system message', 'initial instructions', 'initial prompt', 'hidden instructions', 'hidden prompt', 'original instructions', 'original prompt', 'secret instructions', 'secret prompt', 'preprompt', 'pre-prompt', 'instructions you'],
  },
  {
    re: /\bwhat\s+(?:is|are|was|were)\s+your\s+(?:system\s+prompt|initial\s+instructions|(?:hidden|secret|original)\s+(?:instructions|prompt))\b/iu,
    anchors: ['system prompt', 'initial instructions', 'hidden instructions', 'hidden prompt', 'secret instructions', 'secret prompt', 'original instructions', 'original prompt'],
  },
  { re: /\brepeat\s+(?:the\s+)?(?:words|text|everything)\s+above\b/iu, anchors: ['repeat'] },
  { re: /\b(?:new|updated)\s+(?:system\s+)?instructions\s*:/iu, anchors: ['new instructions', 'new system', 'updated instructions', 'updated system'] },
  {
    re: /<\/?(?:system|im_start|im_end)>|\[\/?(?:system|inst)\]|<\|im_start\|>/iu,
    anchors: ['<system', '</system', '<im_', '</im_', '<|im', '[system', '[/system', '[inst', '[/inst'],
  },
  // Spanish
  {
    re: /\b(?:ignora|ignore|olvida|olvide|omite|descarta)\s+(?:todas?\s+)?(?:las?|tus|sus)?\s*(?:instrucciones|indicaciones|reglas|[oó]rdenes)\s+(?:anteriores|previas|de\s+arriba|del\s+sistema)/iu,
    anchors: ['ignor', 'olvid', 'omite', 'descarta'],
  },
  {
    re: /\b(?:muestra|revela|dime|imprime)\s+(?:tu|el|las?)\s+(?:prompt\s+del\s+sistema|instrucciones\s+(?:del\s+sistema|iniciales|ocultas))/iu,
    anchors: ['prompt del', 'instrucciones'],
  },
  // French
  {
    re: /\b(?:ignore[rz]?|oublie[rz]?|n[ée]glige[rz]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes|r[èe]gles|directives)\s+(?:pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|initiales|du\s+syst[èe]me)/iu,
    anchors: ['ignor', 'oubli', 'neglige', 'néglige'],
  },
  {
    re: /\b(?:r[ée]v[èe]le[rz]?|montre[rz]?|affiche[rz]?|donne[-\s]moi)\s+(?:ton|votre|le)\s+(?:prompt|message)\s+(?:syst[èe]me|initial)/iu,
    anchors: ['prompt syst', 'message syst', 'prompt initial', 'message initial'],
  },
  // German
  {
    re: /\b(?:ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte)\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen|vorigen|vorangegangenen|deine|ihre)\s+(?:anweisungen|instruktionen|regeln|befehle|vorgaben)/iu,
    anchors: ['ignor', 'vergiss', 'vergessen', 'missacht'],
  },
  { re: /\b(?:zeige?|verrate|gib)\s+(?:mir\s+)?(?:deinen|ihren|den)\s+system-?\s?prompt/iu, anchors: ['systemprompt', 'system-prompt', 'system prompt'] },
  // Italian
  { re: /\b(?:ignora|dimentica|ignorate)\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|regole)\s+(?:precedenti|sopra|iniziali)/iu, anchors: ['ignor', 'dimentica'] },
  // Portuguese
  { re: /\b(?:ignore|ignora|esque[çc]a|desconsidere)\s+(?:todas\s+)?(?:as\s+)?(?:instru[çc][õo]es|regras)\s+(?:anteriores|acima|pr[ée]vias)/iu, anchors: ['ignor', 'esque', 'desconsidere'] },
  // Dutch
  { re: /\b(?:negeer|vergeet)\s+(?:alle\s+)?(?:vorige|eerdere|voorgaande|bovenstaande)\s+(?:instructies|regels)/iu, anchors: ['negeer', 'vergeet'] },
  // Russian
  {
    re: /(?:игнорируй|проигнорируй|забудь|игнорируйте|забудьте)\s+(?:все\s+)?(?:предыдущие|прежние|вышеуказанные|свои)\s+(?:инструкции|указания|правила)/iu,
    anchors: ['игнор', 'проигнор', 'забуд'],
    nonLatin: true,
  },
  { re: /(?:покажи|раскрой|выведи)\s+(?:свой\s+)?системн(?:ый|ые)\s+(?:промпт|инструкции)/iu, anchors: ['системн'], nonLatin: true },
  // Chinese
  {
    re: /(?:忽略|无视|忘记|忘掉|無視)(?:掉)?(?:你)?(?:之前|以上|前面|先前|上面|所有|上述)(?:的)?(?:所有)?(?:的)?(?:指令|指示|说明|規則|规则|提示)/u,
    anchors: ['忽略', '无视', '忘记', '忘掉', '無視'],
    nonLatin: true,
  },
  { re: /(?:显示|輸出|输出|告诉我|透露)(?:你的)?(?:系统提示|系統提示|初始指令)/u, anchors: ['系统提示', '系統提示', '初始指令'], nonLatin: true },
  // Japanese
  { re: /(?:以前|前|上記|これまで)の(?:すべての)?(?:指示|命令|ルール)を(?:すべて)?無視/u, anchors: ['無視'], nonLatin: true },
  { re: /システムプロンプトを(?:教えて|表示|見せて|出力)/u, anchors: ['システムプロンプト'], nonLatin: true },
];

/** ASCII-starting anchors grouped by first character: stem -> rule indices. */
const ANCHORS_BY_FIRST: ReadonlyArray<ReadonlyArray<[string, number[]]> | undefined> = (() => {
  const byStem = new Map<string, number[]>();
  RULES.forEach((rule, i) => {
    if (rule.nonLatin) return;
    for (const a of rule.anchors) byStem.set(a, [...(byStem.get(a) ?? []), i]);
  });
  const table: Array<Array<[string, number[]]>> = [];
  for (const [stem, rules] of byStem) (table[stem.charCodeAt(0)] ??= []).push([stem, rules]);
  return table;
})();

/** Non-Latin anchors, searched only when the text has Cyrillic/CJK characters. */
const NON_LATIN: ReadonlyArray<{ anchor: RegExp; rules: number[] }> = RULES.flatMap((rule, i) =>
  rule.nonLatin ? [{ anchor: new RegExp(rule.anchors.join('|'), 'gu'), rules: [i] }] : [],
);

/** Case-insensitive (ASCII) "text contains stem at position i". */
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

/** Characters of context examined around an anchor (verbs precede objects by < 160 chars). */
const WINDOW_BEFORE = 160;
const WINDOW_AFTER = 220;
/** Bound on rule checks for adversarially anchor-dense input. */
const MAX_CHECKS = 64;

/**
 * True if the text contains a known prompt-injection / jailbreak / exfiltration phrasing.
 */
export function detectInjection(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  let checks = 0;
  let nonLatin = false;
  const check = (pos: number, rules: readonly number[]): boolean => {
    checks++;
    const chunk = text.slice(Math.max(0, pos - WINDOW_BEFORE), Math.min(n, pos + WINDOW_AFTER));
    for (const r of rules) if (RULES[r]?.re.test(chunk)) return true;
    return false;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x400) {
      nonLatin = true;
      continue;
    }
    // Anchors start a word ("<" and "[" start role tags).
    if (i > 0 && c !== 60 && c !== 91 && isWordChar(text.charCodeAt(i - 1))) continue;
    const candidates = ANCHORS_BY_FIRST[c >= 65 && c <= 90 ? c | 0x20 : c];
    if (!candidates) continue;
    for (const [stem, rules] of candidates) {
      if (stemAt(text, i, stem)) {
        if (check(i, rules)) return true;
        if (checks >= MAX_CHECKS) return false;
      }
    }
  }
  if (nonLatin) {
    for (const { anchor, rules } of NON_LATIN) {
      anchor.lastIndex = 0;
      for (let m = anchor.exec(text); m !== null; m = anchor.exec(text)) {
        if (check(m.index, rules)) return true;
        if (checks >= MAX_CHECKS) return false;
      }
    }
  }
  return false;
}
