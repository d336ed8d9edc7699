/**
 * Date arithmetic the calculator answers exactly: days between two dates, a date plus or
 * minus days, weeks, months or years, and the weekday of a date. Dates are calendar
 * dates in UTC (date-fns over `UTCDate`, so no time zone or daylight-saving shift moves
 * a result). "today", "tomorrow" and "yesterday" are resolved when the request is
 * classified and written into the expression as dates, so the expression is exact and
 * anyone (the calculator pool) can evaluate it again with {@link evaluateDateExpression}.
 *
 * Expression language (the `expression` of the tool suggestion):
 * - `days_between(2026-01-01, 2026-12-25)` → `358 days`
 * - `weeks_between(2026-01-01, 2026-12-25)` → `51 weeks and 1 day`
 * - `date_add(2026-03-15, 90 days)` (also `-90 days`, `weeks`, `months`, `years`) → `2026-06-13 (Saturday)`
 * - `weekday(1976-07-04)` → `Sunday`
 */
import { UTCDate } from '@date-fns/utc';
import { addDays, addMonths, addWeeks, addYears, differenceInCalendarDays, format, isValid } from 'date-fns';
import type { ToolSuggestion } from './types';

const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
/** A date as people write it: ISO, "March 15, 2026", "15 March 2026", or today/tomorrow/yesterday. */
const DATE = String.raw`(\d{4}-\d{1,2}-\d{1,2}|(?:${MONTH})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTH})\.?,?\s+\d{4}|today|tomorrow|yesterday)`;
const UNIT = String.raw`(days?|weeks?|months?|years?)`;
const COUNT = String.raw`(\d{1,5})`;

const BETWEEN_RE = new RegExp(String.raw`^(?:how many|number of)\s+(days|weeks)\s+(?:are there\s+|is it\s+|are\s+)?(?:between|from)\s+${DATE}\s+(?:and|to|until|till)\s+${DATE}$`);
const OFFSET_RE = new RegExp(String.raw`^(?:what|which)\s+(?:date|day)\s+(?:is|was|will it be|would it be|will be)\s+${COUNT}\s+${UNIT}\s+(after|from|before|since)\s+${DATE}$`);
const ADD_RE = new RegExp(String.raw`^(add|subtract)\s+${COUNT}\s+${UNIT}\s+(?:to|from)\s+${DATE}$`);
const PLUS_RE = new RegExp(String.raw`^${DATE}\s+(plus|minus|\+|-)\s+${COUNT}\s+${UNIT}$`);
const AFTER_RE = new RegExp(String.raw`^${COUNT}\s+${UNIT}\s+(after|from|before)\s+${DATE}$`);
const WEEKDAY_RE = new RegExp(String.raw`^(?:what|which)\s+(?:day of the week|weekday|day)\s+(?:is|was|will be|falls on)\s+${DATE}$|^(?:what|which)\s+(?:day of the week|weekday)\s+(?:is|was|will)\s+${DATE}(?:\s+(?:be|fall on))?$`);

function iso(d: Date): string {
  return format(d, 'yyyy-MM-dd');
}

const MONTH_DAY_YEAR_RE = new RegExp(String.raw`^(${MONTH})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$`);
const DAY_MONTH_YEAR_RE = new RegExp(String.raw`^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH})\.?,?\s+(\d{4})$`);

/** Parses one of {@link DATE}'s forms into an ISO date, or null when it is no real calendar date. */
function toIso(text: string, today: Date): string | null {
  const t = text.trim();
  if (t === 'today') return iso(today);
  if (t === 'tomorrow') return iso(addDays(today, 1));
  if (t === 'yesterday') return iso(addDays(today, -1));
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = MONTH_DAY_YEAR_RE.exec(t))) [y, m, d] = [Number(match[3]), MONTHS[match[1]!]!, Number(match[2])];
  else if ((match = DAY_MONTH_YEAR_RE.exec(t))) [y, m, d] = [Number(match[3]), MONTHS[match[2]!]!, Number(match[1])];
  else return null;
  const date = new UTCDate(y, m - 1, d);
  // Reject 2026-02-30 and friends instead of rolling them over.
  if (!isValid(date) || date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return iso(date);
}

function unitName(u: string): 'days' | 'weeks' | 'months' | 'years' {
  return (u.endsWith('s') ? u : `${u}s`) as 'days' | 'weeks' | 'months' | 'years';
}

/** Rewrites a date question into the date expression language, or null when it is not one. */
function toDateExpression(s: string, today: Date): string | null {
  let m = BETWEEN_RE.exec(s);
  if (m) {
    const a = toIso(m[2]!, today);
    const b = toIso(m[3]!, today);
    return a && b ? `${m[1] === 'weeks' ? 'weeks' : 'days'}_between(${a}, ${b})` : null;
  }
  const offset = (count: string, unit: string, direction: string, date: string): string | null => {
    const d = toIso(date, today);
    const sign = direction === 'before' || direction === 'subtract' || direction === 'minus' || direction === '-' ? '-' : '';
    return d ? `date_add(${d}, ${sign}${Number(count)} ${unitName(unit)})` : null;
  };
  if ((m = OFFSET_RE.exec(s))) return offset(m[1]!, m[2]!, m[3]!, m[4]!);
  if ((m = ADD_RE.exec(s))) return offset(m[2]!, m[3]!, m[1]!, m[4]!);
  if ((m = PLUS_RE.exec(s))) return offset(m[3]!, m[4]!, m[2]!, m[1]!);
  if ((m = AFTER_RE.exec(s))) return offset(m[1]!, m[2]!, m[3]!, m[4]!);
  if ((m = WEEKDAY_RE.exec(s))) {
    const d = toIso(m[1] ?? m[2]!, today);
    return d ? `weekday(${d})` : null;
  }
  return null;
}

const EXPRESSION_RE = /^(days_between|weeks_between)\((\d{4}-\d{2}-\d{2}), (\d{4}-\d{2}-\d{2})\)$|^date_add\((\d{4}-\d{2}-\d{2}), (-?\d{1,5}) (days|weeks|months|years)\)$|^weekday\((\d{4}-\d{2}-\d{2})\)$/;

/** @throws Error when the date does not exist (2026-13-01, 2026-02-30). */
function parseIso(d: string): UTCDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const date = new UTCDate(y, m - 1, day);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== day) throw new Error(`no such date: ${d}`);
  return date;
}

/** Whether an expression belongs to the date language (rather than to arithmetic). */
export function isDateExpression(expression: string): boolean {
  return EXPRESSION_RE.test(expression);
}

/**
 * Evaluates a date expression exactly.
 * @throws Error when the expression is not in the date language.
 */
export function evaluateDateExpression(expression: string): string {
  const m = EXPRESSION_RE.exec(expression);
  if (!m) throw new Error(`not a date expression: ${expression.slice(0, 80)}`);
  if (m[1]) {
    const days = differenceInCalendarDays(parseIso(m[3]!), parseIso(m[2]!));
    if (m[1] === 'days_between') return `${days} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
    const weeks = Math.trunc(days / 7);
    const rest = Math.abs(days % 7);
    return `${weeks} ${Math.abs(weeks) === 1 ? 'week' : 'weeks'}${rest ? ` and ${rest} ${rest === 1 ? 'day' : 'days'}` : ''}`;
  }
  if (m[4]) {
    const n = Number(m[5]);
    const base = parseIso(m[4]);
    const add = { days: addDays, weeks: addWeeks, months: addMonths, years: addYears }[m[6] as 'days' | 'weeks' | 'months' | 'years'];
    const d = add(base, n);
    return `${iso(d)} (${format(d, 'EEEE')})`;
  }
  return format(parseIso(m[7]!), 'EEEE');
}

/**
 * Detects a date-arithmetic request and answers it. `now` resolves today/tomorrow/yesterday (UTC).
 * Returns null for anything else.
 */
export function detectDate(text: string, now: Date = new Date()): ToolSuggestion | null {
  if (text.length > 200) return null;
  const s = text
    .trim()
    .toLowerCase()
    .replace(/^(?:(?:can|could) you\s+(?:please\s+)?(?:tell me\s+)?|please\s+)/, '')
    .replace(/\s*(?:please|\?|\.)*\s*$/, '')
    .replace(/\s+/g, ' ');
  const today = new UTCDate(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const expression = toDateExpression(s, today);
  if (!expression) return null;
  return { name: 'calculator', expression, result: evaluateDateExpression(expression) };
}
