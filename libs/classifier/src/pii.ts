/**
 * PII detection: emails, phone numbers, payment cards (Luhn), IBANs (mod-97),
 * national identifiers (US SSN, UK NINO, Spanish DNI/NIE with check letter,
 * keyword-introduced IDs) and IP addresses.
 *
 * Design notes:
 * - Every regex has bounded quantifiers or is applied to short candidate windows,
 *   so the scan stays linear in the input (no catastrophic backtracking).
 * - Checksums (Luhn, mod-97, DNI letter) are what keep false positives down; a
 *   16-digit order number that fails Luhn is not a card.
 * - Cheap pre-checks (does the text contain a digit / an '@' at all?) skip the
 *   scan for the large majority of prompts.
 */
import type { PiiKind } from './types';

/** Stable output order of PII kinds. */
const PII_ORDER: readonly PiiKind[] = ['email', 'phone', 'payment_card', 'iban', 'national_id', 'ip_address'];

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** IBAN lengths per country (ISO 13616 registry, common countries). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15,
  PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24,
  TR: 26, UA: 29, VG: 24, XK: 20,
};

/** ISO 7064 mod-97-10 check of an IBAN (spaces allowed, case-insensitive). */
export function ibanValid(input: string): boolean {
  const iban = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && expected !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  // Streamed mod-97 so we never build a 30+ digit number.
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else {
      const v = c - 55; // 'A' -> 10
      rem = (rem * 100 + v) % 97;
    }
  }
  return rem === 1;
}

/** Plausible card prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
function cardPrefixPlausible(d: string): boolean {
  const first = d.charCodeAt(0) - 48;
  return first >= 2 && first <= 6;
}

/** US SSN structural validity (area not 000/666/9xx, group not 00, serial not 0000). */
function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
/** Spanish DNI (8 digits + letter) / NIE (X/Y/Z + 7 digits + letter) check letter. */
export function spanishIdValid(id: string): boolean {
  const s = id.toUpperCase();
  let num: string;
  if (/^\d{8}[A-Z]$/.test(s)) num = s.slice(0, 8);
  else if (/^[XYZ]\d{7}[A-Z]$/.test(s)) num = String('XYZ'.indexOf(s[0] ?? 'X')) + s.slice(1, 8);
  else return false;
  return DNI_LETTERS[Number(num) % 23] === s[8];
}

function ipv4Valid(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

function ipv6Valid(s: string): boolean {
  if (s.length < 3 || s.length > 39) return false;
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return false;
  const groups = s.split(':').filter((g) => g.length > 0);
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (dbl >= 0) return groups.length >= 2 && groups.length <= 7;
  return groups.length === 8;
}

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;

/** Linear email scan: expand around each '@' instead of a backtracking regex. */
function hasEmail(text: string): boolean {
  let at = text.indexOf('@');
  while (at >= 0) {
    let l = at - 1;
    while (l >= 0 && at - l <= 64 && EMAIL_LOCAL.test(text[l] ?? '')) l--;
    let r = at + 1;
    while (r < text.length && r - at <= 255 && EMAIL_DOMAIN.test(text[r] ?? '')) r++;
    const local = text.slice(l + 1, at);
    let domain = text.slice(at + 1, r);
    while (domain.endsWith('.') || domain.endsWith('-')) domain = domain.slice(0, -1);
    if (local.length > 0 && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(domain)) return true;
    at = text.indexOf('@', at + 1);
  }
  return false;
}

// Bounded-repetition patterns: each can only try a fixed number of shapes per start position.
const CARD_RE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const SSN_RE = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const SSN_KEYWORD_RE = /\b(?:ssn|social security(?: number| no\.?)?)\D{0,12}(\d{3})[ -]?(\d{2})[ -]?(\d{4})(?!\d)/gi;
const NINO_RE = /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const DNI_RE = /\b(?:\d{8}|[XYZxyz]\d{7})-?[A-Za-z]\b/g;
const ID_KEYWORD_RE =
  /\b(?:passport(?: number| no\.?)?|national id(?:entity)?(?: number| no\.?)?|id number|personalausweis(?:nummer)?|n[uú]mero de (?:pasaporte|identidad|documento)|num[ée]ro de (?:passeport|s[ée]curit[ée] sociale)|codice fiscale|steuer-?id|tax id|tin|nif|nie|dni|cpf|aadhaar|pesel|bsn|insee)\s*(?:number|no\.?|#|:|is|es|est|ist)?\s*:?\s*[A-Z0-9][A-Z0-9.\- ]{5,17}[A-Z0-9]\b/gi;
const IPV4_RE = /(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]*\d)/g;
const IPV6_RE = /(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:])/g;
/** What every IPV6_RE match contains (its first two groups). */
const IPV6_COLONS = /:[0-9A-Fa-f]{0,4}:/;
const PHONE_RE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,5}(?![\w])|(?<![\w+])\+\d{8,15}(?!\w)/g;
const PHONE_KEYWORD_RE =
  /\b(?:phone|tel|telephone|mobile|cell|call me at|whatsapp|t[ée]l[ée]phone|portable|telefon|handy|tel[ée]fono|m[óo]vil|celular|telefone|cellulare)\b\D{0,12}(\d{7,15})(?!\d)/gi;
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function phoneCandidateValid(raw: string): boolean {
  const s = raw.trim();
  if (DATE_LIKE.test(s)) return false;
  const digits = countDigits(s);
  const intl = s.startsWith('+');
  if (intl) return digits >= 8 && digits <= 15;
  if (digits < 10 || digits > 13) return false;
  // Separators between digit groups are what distinguish a phone from a plain quantity.
  const groups = s.split(/[ .()-]+/).filter((g) => g.length > 0);
  if (groups.length < 2) return false;
  // "1.234.567" style or "3.14 15.5" decimals are not phones: dots need ≥3 groups of 2-4 digits.
  if (!s.includes('(') && !s.includes('-') && !s.includes(' ') && groups.length < 3) return false;
  return true;
}

/**
 * Detects personal data kinds in the given text. Returns kinds in a stable order,
 * each at most once.
 */
export function detectPii(text: string): PiiKind[] {
  return detectPiiIn(text.length > 2000 ? digitWindows(text) : text);
}

/**
 * For long texts: keeps only windows around digit runs (and around '@' and '::'),
 * joined by blank lines. Every kind we detect except e-mail contains digits (or is
 * an IPv6 address with '::'), and the keyword-introduced ones need at most ~60
 * characters of context before the digits, so the verdict is the same while the
 * regexes scan a fraction of the text.
 */
/** Where a PII window can start: a digit, '@', or the first colon of '::'. */
const WINDOW_START = /[0-9@]|::/g;

function digitWindows(text: string): string {
  const parts: string[] = [];
  const n = text.length;
  let lastEnd = 0;
  let i = 0;
  while (i < n) {
    // Jump to the next digit, '@' or '::' (the regex engine scans far faster than a loop here).
    WINDOW_START.lastIndex = i;
    if (!WINDOW_START.test(text)) break;
    i = WINDOW_START.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === 58) i--; // '::' matched: the window starts at its first colon
    const first = text.charCodeAt(i);
    // Extend over the candidate: digits and the separators PII formats use.
    let j = i;
    let digits = 0;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d >= 48 && d <= 57) digits++;
      else if (!(d === 32 || d === 45 || d === 46 || d === 40 || d === 41 || d === 43 || d === 47 || d === 58 || d === 64 || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === 37)) break;
      j++;
    }
    if (digits >= 4 || first === 64 || first === 58) {
      const start = Math.max(lastEnd, i - 64);
      const end = Math.min(n, j + 8);
      if (start > lastEnd) parts.push('\n\n');
      parts.push(text.slice(start, end));
      lastEnd = end;
    }
    i = Math.max(j, i + 1);
  }
  return parts.join('');
}

function detectPiiIn(text: string): PiiKind[] {
  const found = new Set<PiiKind>();
  const hasAt = text.includes('@');
  if (hasAt && hasEmail(text)) found.add('email');
  if (!/\d/.test(text)) return PII_ORDER.filter((k) => found.has(k));

  const cardSpans: Array<[number, number]> = [];
  for (const m of text.matchAll(CARD_RE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && cardPrefixPlausible(digits) && luhnValid(digits)) {
      found.add('payment_card');
      cardSpans.push([m.index, m.index + m[0].length]);
    }
  }

  if (/[A-Za-z]{2}\d{2}/.test(text)) {
    for (const m of text.matchAll(/\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b/g)) {
      if (/^[A-Z]{2}/.test(m[0]) && ibanValid(m[0])) {
        found.add('iban');
        break;
      }
    }
  }

  for (const m of text.matchAll(SSN_RE)) {
    if (ssnValid(m[1] ?? '', m[2] ?? '', m[3] ?? '')) found.add('national_id');
  }
  if (!found.has('national_id')) {
    for (const m of text.matchAll(SSN_KEYWORD_RE)) {
      if (ssnValid(m[1] ?? '', m[2] ?? '', m[3] ?? '')) found.add('national_id');
    }
  }
  if (!found.has('national_id')) {
    if (NINO_RE.test(text)) found.add('national_id');
    NINO_RE.lastIndex = 0;
  }
  if (!found.has('national_id')) {
    for (const m of text.matchAll(DNI_RE)) {
      if (spanishIdValid(m[0].replace('-', ''))) found.add('national_id');
    }
  }
  if (!found.has('national_id')) {
    for (const m of text.matchAll(ID_KEYWORD_RE)) {
      // Require at least 4 digits so "tax id is unknown" does not fire.
      if (countDigits(m[0]) >= 4) found.add('national_id');
    }
  }

  const ipSpans: Array<[number, number]> = [];
  if (text.includes('.')) {
    for (const m of text.matchAll(IPV4_RE)) {
      if (!ipv4Valid(m[0])) continue;
      // "version 1.2.3.4" / "v1.2.3.4" are versions, not addresses.
      const before = text.slice(Math.max(0, m.index - 10), m.index).toLowerCase();
      if (/(?:v|version\s?)$/.test(before)) continue;
      found.add('ip_address');
      ipSpans.push([m.index, m.index + m[0].length]);
    }
  }
  // An IPv6 candidate has two colons with at most four hex digits between them: one
  // scan for that skips the candidate pattern, which tries every position.
  if (!found.has('ip_address') && text.includes(':') && IPV6_COLONS.test(text)) {
    for (const m of text.matchAll(IPV6_RE)) {
      if (ipv6Valid(m[0]) && /[0-9a-fA-F]{2}/.test(m[0])) {
        found.add('ip_address');
        break;
      }
    }
  }

  const overlaps = (a: number, b: number, spans: Array<[number, number]>): boolean =>
    spans.some(([s, e]) => a < e && b > s);
  for (const m of text.matchAll(PHONE_RE)) {
    const end = m.index + m[0].length;
    if (overlaps(m.index, end, cardSpans) || overlaps(m.index, end, ipSpans)) continue;
    if (SSN_RE.test(m[0])) {
      SSN_RE.lastIndex = 0;
      continue;
    }
    SSN_RE.lastIndex = 0;
    if (phoneCandidateValid(m[0])) {
      found.add('phone');
      break;
    }
  }
  if (!found.has('phone')) {
    for (const m of text.matchAll(PHONE_KEYWORD_RE)) {
      if (m[1] !== undefined) found.add('phone');
    }
  }
  return PII_ORDER.filter((k) => found.has(k));
}
