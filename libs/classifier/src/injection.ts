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
 * Cost: each rule names the stems its match starts with (its anchors). One pass over
 * the text finds anchors at word starts (first-letter table, no regex) and tries only
 * that anchor's rules, sticky at that position. A long document therefore costs
 * O(length) plus a few sub-microsecond regex attempts, not O(length x rules).
 */

// One word + separator. Latin letters only, so Latin rules can run without the 'u'
// flag (case-insensitive unicode matching is several times slower in V8).
const W = String.raw`(?:[A-Za-z\u00C0-\u024F'’]+[\s,]+)`;

interface Rule {
  re: RegExp;
  /** Lower-case stems; at least one occurs in any text the rule matches. */
  anchors: readonly string[];
  /**
   * Set for rules whose anchors are not ASCII (searched by regex when the text has
   * non-Latin letters): the script of the anchors, whose letters the text must contain.
   */
  nonLatin?: 'cyrillic' | 'cjk';
  /**
   * Normally an anchor is where a match starts, and the rule is tried only there
   * (sticky match: microseconds). `window` rules match around the anchor instead.
   */
  window?: boolean;
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
    re: /\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:(?:that\s+)?(?:you\s+(?:were|have\s+been)\s+told\s+|(?:said|written|stated)\s+)?(?:above|before|previously|so far|earlier))/iu,
    anchors: ['ignor', 'disregard', 'forget'],
  },
  // English: persona jailbreaks
  {
    re: /\byou\s+are\s+(?:now\s+)?(?:dan|stan|dude|aim|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\s+(?:ai|model|assistant|chatbot))\b/iu,
    anchors: ['you are', 'you\'re'],
  },
  { re: /\bdo\s+anything\s+now\b/iu, anchors: ['do anything'] },
  {
    re: /\b(?:developer|dev|god|jailbreak|debug|sudo)\s+mode\s+(?:enabled|activated|unlocked)\b/iu,
    anchors: ['developer', 'dev', 'god', 'jailbr', 'debug', 'sudo'],
  },
  { re: /\benable\s+(?:developer|dev|god|jailbreak)\s+mode\b/iu, anchors: ['enable'] },
  {
    re: /\b(?:pretend|act\s+as\s+if|imagine)\s+(?:that\s+)?you\s+(?:have|had|are\s+under)\s+no\s+(?:restrictions|rules|limits|filters|guidelines|content\s+polic(?:y|ies))\b/iu,
    anchors: ['pretend', 'act', 'imagine'],
  },
  { re: /\bjailbr(?:eak|oken)\b/iu, anchors: ['jailbr'] },
  // English: exfiltration (anchored on the object; the verb is in the window before it)
  {
    re: new RegExp(
      String.raw`\b(?:reveal|show|print|display|output|repeat|leak|tell\s+me|give\s+me|share|dump|write\s+out|recite)\s+${W}{0,3}(?:system\s+prompt|system\s+message|initial\s+(?:instructions|prompt)|hidden\s+(?:instructions|prompt)|original\s+(?:instructions|prompt)|secret\s+(?:instructions|prompt)|pre-?prompt|instructions\s+you\s+(?:were|have\s+been)\s+given)\b`,
      'iu',
    ),
    anchors: ['reveal', 'show', 'print', 'display', 'output', 'repeat', 'leak', 'tell', 'give', 'share', 'dump', 'write', 'recite'],
  },
  {
    re: /\bwhat\s+(?:is|are|was|were)\s+your\s+(?:system\s+prompt|initial\s+instructions|(?:hidden|secret|original)\s+(?:instructions|prompt))\b/iu,
    anchors: ['what'],
  },
  { re: /\brepeat\s+(?:the\s+)?(?:words|text|everything)\s+above\b/iu, anchors: ['repeat'] },
  { re: /\b(?:new|updated)\s+(?:system\s+)?instructions\s*:/iu, anchors: ['new', 'updated'] },
  {
    re: /<\/?(?:system|im_start|im_end)>|\[\/?(?:system|inst)\]|<\|im_start\|>/iu,
    anchors: ['<', '['],
  },
  // Spanish
  {
    re: /\b(?:ignora|ignore|olvida|olvide|omite|descarta)\s+(?:todas?\s+)?(?:las?|tus|sus)?\s*(?:instrucciones|indicaciones|reglas|[oó]rdenes)\s+(?:anteriores|previas|de\s+arriba|del\s+sistema)/iu,
    anchors: ['ignor', 'olvid', 'omite', 'descarta'],
  },
  {
    re: /\b(?:muestra|revela|dime|imprime)\s+(?:tu|el|las?)\s+(?:prompt\s+del\s+sistema|instrucciones\s+(?:del\s+sistema|iniciales|ocultas))/iu,
    anchors: ['muestra', 'revela', 'dime', 'imprime'],
  },
  // French
  {
    re: /\b(?:ignore[rz]?|oublie[rz]?|n[ée]glige[rz]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes|r[èe]gles|directives)\s+(?:pr[ée]c[ée]dentes|ant[ée]rieures|ci-dessus|initiales|du\s+syst[èe]me)/iu,
    anchors: ['ignor', 'oubli', 'neglige', 'néglige'],
  },
  {
    re: /\b(?:r[ée]v[èe]le[rz]?|montre[rz]?|affiche[rz]?|donne[-\s]moi)\s+(?:ton|votre|le)\s+(?:prompt|message)\s+(?:syst[èe]me|initial)/iu,
    anchors: ['révèle', 'revele', 'réve', 'montre', 'affiche', 'donne'],
  },
  // German
  {
    re: /\b(?:ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte)\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen|vorigen|vorangegangenen|deine|ihre)\s+(?:anweisungen|instruktionen|regeln|befehle|vorgaben)/iu,
    anchors: ['ignor', 'vergiss', 'vergessen', 'missacht'],
  },
  { re: /\b(?:zeige?|verrate|gib)\s+(?:mir\s+)?(?:deinen|ihren|den)\s+system-?\s?prompt/iu, anchors: ['zeig', 'verrate', 'gib'] },
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
    nonLatin: 'cyrillic',
  },
  { re: /(?:покажи|раскрой|выведи)\s+(?:свой\s+)?системн(?:ый|ые)\s+(?:промпт|инструкции)/iu, anchors: ['покажи', 'раскрой', 'выведи'], nonLatin: 'cyrillic' },
  // Chinese
  {
    re: /(?:忽略|无视|忘记|忘掉|無視)(?:掉)?(?:你)?(?:之前|以上|前面|先前|上面|所有|上述)(?:的)?(?:所有)?(?:的)?(?:指令|指示|说明|規則|规则|提示)/u,
    anchors: ['忽略', '无视', '忘记', '忘掉', '無視'],
    nonLatin: 'cjk',
  },
  { re: /(?:显示|輸出|输出|告诉我|透露)(?:你的)?(?:系统提示|系統提示|初始指令)/u, anchors: ['显示', '輸出', '输出', '告诉我', '透露'], nonLatin: 'cjk' },
  // Japanese
  { re: /(?:以前|前|上記|これまで)の(?:すべての)?(?:指示|命令|ルール)を(?:すべて)?無視/u, anchors: ['無視'], nonLatin: 'cjk', window: true },
  { re: /システムプロンプトを(?:教えて|表示|見せて|出力)/u, anchors: ['システムプロンプト'], nonLatin: 'cjk' },
];

/** Sticky ('y') compilations of the rules: they only match at lastIndex. */
const STICKY: readonly RegExp[] = RULES.map(
  (r) => new RegExp(r.re.source, r.re.flags.replace('g', '').replace(r.nonLatin ? '' : 'u', '') + 'y'),
);

/**
 * ASCII anchors keyed by their first two (lower-cased) characters in a flat
 * 128x128 table, so a word start costs one typed-array read and usually no string
 * comparison (a Map lookup per word start was most of the scan's cost). A non-ASCII
 * second character shares bucket 127; single-character anchors ('<', '[') use
 * second character 0.
 */
const CANDIDATE_LISTS: Array<Array<[string, number[]]>> = [];
const PREFIX_TABLE: Int16Array = (() => {
  const byStem = new Map<string, number[]>();
  RULES.forEach((rule, i) => {
    if (rule.nonLatin) return;
    for (const a of rule.anchors) byStem.set(a, [...(byStem.get(a) ?? []), i]);
  });
  const table = new Int16Array(128 * 128).fill(-1);
  for (const [stem, rules] of byStem) {
    const c1 = stem.charCodeAt(0);
    const c2 = stem.length === 1 ? 0 : Math.min(127, stem.charCodeAt(1));
    const key = c1 * 128 + c2;
    let slot = table[key] ?? -1;
    if (slot < 0) {
      slot = CANDIDATE_LISTS.length;
      CANDIDATE_LISTS.push([]);
      table[key] = slot;
    }
    CANDIDATE_LISTS[slot]?.push([stem, rules]);
  }
  // A role tag's rules do not depend on the next character: its whole row holds its slot,
  // so the scan looks up every position the same way.
  for (const c of [60, 91]) table.fill(table[c * 128] ?? -1, c * 128, c * 128 + 128);
  return table;
})();

/** ASCII lower-casing by table (A-Z to a-z, everything else unchanged). */
const LOWER: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = c >= 65 && c <= 90 ? c | 0x20 : c;
  return t;
})();

/** Per ASCII character: 1 = word character (letter or digit), 2 = starts a role tag ('<', '['). */
const SCAN_FLAGS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) t[c] = 1;
    else if (c === 60 || c === 91) t[c] = 2;
  }
  return t;
})();

/** Non-Latin anchors, searched only when the text has Cyrillic/CJK characters. */
const NON_LATIN: ReadonlyArray<{ anchor: RegExp; rule: number; script: 'cyrillic' | 'cjk' }> = RULES.flatMap((rule, i) =>
  rule.nonLatin ? [{ anchor: new RegExp(rule.anchors.join('|'), 'giu'), rule: i, script: rule.nonLatin }] : [],
);

/**
 * Characters an anchor of each script can match (case-insensitively): Cyrillic letters
 * and their old-style variants U+1C80-U+1C88; CJK anchors are U+3000 and up. A text
 * without any skips that script's anchor searches (injection.spec checks the ranges).
 */
export const ANCHOR_SCRIPT_CHARS: Readonly<Record<'cyrillic' | 'cjk', RegExp>> = {
  cyrillic: /[\u0400-\u052f\u1c80-\u1c8f]/,
  cjk: /[\u3000-\uffff]/,
};

/** The anchors of the non-Latin rules by script (for tests). */
export function nonLatinAnchors(): Array<{ script: 'cyrillic' | 'cjk'; anchors: readonly string[] }> {
  return RULES.flatMap((rule) => (rule.nonLatin ? [{ script: rule.nonLatin, anchors: rule.anchors }] : []));
}

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

/** Characters of context examined around the anchor of a `window` rule. */
const WINDOW_BEFORE = 80;
const WINDOW_AFTER = 40;

/** Tries rule r at position pos. */
function ruleMatchesAt(text: string, r: number, pos: number): boolean {
  const rule = RULES[r];
  if (!rule) return false;
  if (rule.window) return rule.re.test(text.slice(Math.max(0, pos - WINDOW_BEFORE), Math.min(text.length, pos + WINDOW_AFTER)));
  const re = STICKY[r];
  if (!re) return false;
  re.lastIndex = pos;
  return re.test(text);
}

/**
 * True if the text contains a known prompt-injection / jailbreak / exfiltration phrasing.
 */
export function detectInjection(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  let nonLatin = false;
  let prevWord = 0;
  // Each position reads its character and the next one (the anchor bucket): carried over.
  let next = text.charCodeAt(0);
  for (let i = 0; i < n; i++) {
    const c = next;
    next = i + 1 < n ? text.charCodeAt(i + 1) : 127; // past the end: bucket 127, as for non-ASCII
    // Word characters: ASCII letters/digits and everything from U+00C0 up.
    if (c >= 128) {
      const word = c >= 0xc0 ? 1 : 0;
      // Cyrillic and CJK words have their own (regex-searched) anchors.
      if (word > prevWord && c >= 0x400) nonLatin = true;
      prevWord = word;
      continue;
    }
    // Anchors start a word (or are a role tag's '<' or '['). The table is read at every
    // position and the result masked, rather than branching on "word start" per character.
    const f = SCAN_FLAGS[c] as number;
    const w = f & 1;
    const start = (w & (prevWord ^ 1)) | (f >> 1);
    prevWord = w;
    const slot = (PREFIX_TABLE[((LOWER[c] as number) << 7) | (next < 128 ? (LOWER[next] as number) : 127)] as number) | (start - 1);
    if (slot < 0) continue;
    const candidates = CANDIDATE_LISTS[slot] ?? [];
    for (let k = 0; k < candidates.length; k++) {
      const cand = candidates[k];
      if (cand && stemAt(text, i, cand[0])) {
        const rules = cand[1];
        for (let r = 0; r < rules.length; r++) if (ruleMatchesAt(text, rules[r] ?? 0, i)) return true;
      }
    }
  }
  if (nonLatin) {
    let cyrillic = -1;
    let cjk = -1;
    for (const { anchor, rule, script } of NON_LATIN) {
      if (script === 'cyrillic') {
        if (cyrillic < 0) cyrillic = ANCHOR_SCRIPT_CHARS.cyrillic.test(text) ? 1 : 0;
        if (cyrillic === 0) continue;
      } else {
        if (cjk < 0) cjk = ANCHOR_SCRIPT_CHARS.cjk.test(text) ? 1 : 0;
        if (cjk === 0) continue;
      }
      anchor.lastIndex = 0;
      for (let m = anchor.exec(text); m !== null; m = anchor.exec(text)) {
        if (ruleMatchesAt(text, rule, m.index)) return true;
      }
    }
  }
  return false;
}
