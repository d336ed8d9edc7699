/**
 * Language identification (ISO 639-1) with guards around tinyld:
 * - scripts that identify a language on their own (Hangul, kana, Greek, Hebrew,
 *   Thai, Georgian, Armenian, Han-only) are decided without tinyld;
 * - code, URLs, e-mails and numbers are stripped first, so a Python snippet does
 *   not get "detected" as Icelandic;
 * - an ASCII text dominated by English function words takes a fast path ('en'),
 *   because tinyld costs ~0.3 µs per character and most traffic is English;
 * - tinyld only sees a bounded sample (it is super-linear on long inputs);
 * - too little text: 'und' if there are no letters, else the caller's fallback.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import tinyld = require('tinyld');

/** Max characters handed to tinyld (cost grows with length; accuracy plateaus early). */
const SAMPLE_CHARS = 160;

const EN_FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'with', 'is', 'are', 'was', 'were', 'be', 'it',
  'this', 'that', 'what', 'how', 'why', 'when', 'where', 'who', 'which', 'can', 'could', 'would', 'should', 'you',
  'your', 'i', 'me', 'my', 'we', 'our', 'do', 'does', 'did', 'have', 'has', 'please', 'about', 'from', 'as', 'at',
  'by', 'if', 'not', 'will', 'write', 'make', 'give', 'tell', 'explain', 'some', 'there', 'they', 'their', 'them',
  'he', 'she', 'his', 'her', 'into', 'than', 'then', 'so', 'but', 'all', 'any', 'more', 'most', 'best', 'get',
]);

// Words that are also function words in other Latin-script languages; they must not
// count as evidence for English ("a", "in", "on", "die" ...).
const AMBIGUOUS = new Set(['a', 'in', 'on', 'as', 'so', 'me', 'he', 'die', 'an', 'i', 'do', 'at', 'is', 'it']);

/** Strips code blocks, inline code, URLs, e-mails and digits: they carry no language signal. */
export function proseOnly(text: string): string {
  let s = text;
  if (s.includes('```')) s = s.replace(/```[\s\S]*?(?:```|$)/g, ' ');
  if (s.includes('`')) s = s.replace(/`[^`\n]*`/g, ' ');
  if (s.includes('://') || s.includes('www.')) s = s.replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ');
  if (s.includes('@')) s = s.replace(/\S+@\S+/g, ' ');
  return s;
}

interface ScriptCounts {
  latin: number;
  nonAsciiLatin: number;
  cyrillic: number;
  greek: number;
  arabic: number;
  hebrew: number;
  devanagari: number;
  thai: number;
  hangul: number;
  kana: number;
  han: number;
  georgian: number;
  armenian: number;
  otherLetters: number;
}

function countScripts(s: string, limit: number): ScriptCounts {
  const c: ScriptCounts = {
    latin: 0, nonAsciiLatin: 0, cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, devanagari: 0, thai: 0,
    hangul: 0, kana: 0, han: 0, georgian: 0, armenian: 0, otherLetters: 0,
  };
  const n = Math.min(s.length, limit);
  for (let i = 0; i < n; i++) {
    const ch = s.charCodeAt(i);
    if ((ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90)) c.latin++;
    else if (ch < 0xc0) continue;
    else if (ch <= 0x24f) {
      if (ch !== 0xd7 && ch !== 0xf7) {
        c.latin++;
        c.nonAsciiLatin++;
      }
    } else if (ch >= 0x370 && ch <= 0x3ff) c.greek++;
    else if (ch >= 0x400 && ch <= 0x52f) c.cyrillic++;
    else if (ch >= 0x530 && ch <= 0x58f) c.armenian++;
    else if (ch >= 0x590 && ch <= 0x5ff) c.hebrew++;
    else if ((ch >= 0x600 && ch <= 0x6ff) || (ch >= 0x750 && ch <= 0x77f)) c.arabic++;
    else if (ch >= 0x900 && ch <= 0x97f) c.devanagari++;
    else if (ch >= 0xe00 && ch <= 0xe7f) c.thai++;
    else if (ch >= 0x10a0 && ch <= 0x10ff) c.georgian++;
    else if (ch >= 0x1e00 && ch <= 0x1eff) {
      c.latin++;
      c.nonAsciiLatin++;
    } else if (ch >= 0x3040 && ch <= 0x30ff) c.kana++;
    else if ((ch >= 0x4e00 && ch <= 0x9fff) || (ch >= 0x3400 && ch <= 0x4dbf)) c.han++;
    else if ((ch >= 0xac00 && ch <= 0xd7af) || (ch >= 0x1100 && ch <= 0x11ff) || (ch >= 0x3130 && ch <= 0x318f)) c.hangul++;
    else if (ch < 0x2000 || (ch >= 0xa000 && ch < 0xd800)) c.otherLetters++;
  }
  return c;
}

/** Quick English check on ASCII text: share of unambiguous English function words. */
function looksEnglish(s: string): boolean {
  const words = s.toLowerCase().match(/[a-z']+/g);
  if (!words || words.length < 3) return false;
  let hits = 0;
  let considered = 0;
  for (const w of words.slice(0, 40)) {
    considered++;
    if (EN_FUNCTION_WORDS.has(w) && !AMBIGUOUS.has(w)) hits++;
  }
  return hits >= 2 && hits / considered >= 0.2;
}

/**
 * Detects the language of a text. Returns an ISO 639-1 code, or null when the text
 * carries too little signal (the caller decides the fallback).
 */
export function detectLanguageOrNull(text: string): string | null {
  const prose = proseOnly(text).slice(0, 2000);
  const c = countScripts(prose, 2000);
  const letters =
    c.latin + c.cyrillic + c.greek + c.arabic + c.hebrew + c.devanagari + c.thai + c.hangul + c.kana + c.han +
    c.georgian + c.armenian + c.otherLetters;
  if (letters === 0) return null;
  // Scripts that (nearly) identify the language by themselves.
  if (c.kana > 0 && c.kana + c.han >= letters * 0.3) return 'ja';
  if (c.hangul >= letters * 0.3) return 'ko';
  if (c.han >= letters * 0.3) return 'zh';
  if (c.greek >= letters * 0.5) return 'el';
  if (c.hebrew >= letters * 0.5) return 'he';
  if (c.thai >= letters * 0.5) return 'th';
  if (c.georgian >= letters * 0.5) return 'ka';
  if (c.armenian >= letters * 0.5) return 'hy';
  if (c.latin >= letters * 0.8 && c.nonAsciiLatin === 0 && looksEnglish(prose)) return 'en';
  if (letters < 4) return null;
  // Sample: start of the prose, cut at a word boundary so tinyld sees whole words.
  let sample = prose.replace(/[\d_#*=<>{}[\]|\\/~^$%&+]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (sample.length > SAMPLE_CHARS) {
    const cut = sample.lastIndexOf(' ', SAMPLE_CHARS);
    sample = sample.slice(0, cut > SAMPLE_CHARS / 2 ? cut : SAMPLE_CHARS);
  }
  const code = tinyld.detect(sample);
  if (/^[a-z]{2}$/.test(code)) return code;
  if (c.cyrillic >= letters * 0.5) return 'ru';
  if (c.arabic >= letters * 0.5) return 'ar';
  if (c.devanagari >= letters * 0.5) return 'hi';
  return null;
}

/**
 * Language of a conversation: the last user turn decides; if it is too short or
 * code-only, earlier user turns are tried; finally ASCII-only text falls back to
 * 'en' (code and short commands are overwhelmingly English) and anything else to 'und'.
 */
export function detectConversationLanguage(userTurnsNewestFirst: readonly string[]): string {
  let sawAsciiLetters = false;
  for (const t of userTurnsNewestFirst.slice(0, 4)) {
    const lang = detectLanguageOrNull(t);
    if (lang) return lang;
    if (/[A-Za-z]/.test(t) && !/[^\x00-\x7f]/.test(t)) sawAsciiLetters = true;
  }
  return sawAsciiLetters ? 'en' : 'und';
}
