// Trading calendars for daily bars: plain business days (Monday–Friday) or the New York Stock Exchange's sessions
// (business days minus NYSE holidays and unscheduled closures), and the gap report of a series against one of them.
// Dates are ISO 'YYYY-MM-DD' strings; all arithmetic is in UTC so no time zone can shift a day.

export type TradingCalendar = 'nyse' | 'business';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (no validation; see isIsoDate). */
export function dayNumber(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}

/** ISO date of a day number. */
export function isoFromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whether s is a real calendar date written YYYY-MM-DD (2021-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: string): number {
  return (((dayNumber(iso) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(iso: string): boolean {
  const w = weekday(iso);
  return w === 0 || w === 6;
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The n-th (1-based) weekday w (0 = Sunday) of month m; n = −1 gives the last one. */
function nthWeekday(y: number, m: number, w: number, n: number): string {
  if (n > 0) {
    const first = weekday(ymd(y, m, 1));
    return ymd(y, m, 1 + ((w - first + 7) % 7) + 7 * (n - 1));
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(ymd(y, m, lastDay));
  return ymd(y, m, lastDay - ((last - w + 7) % 7));
}

/** Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(y, month, day);
}

/** A fixed-date holiday moved to Friday when on Saturday and to Monday when on Sunday (NYSE Rule 7.2). */
function observed(iso: string): string {
  const w = weekday(iso);
  if (w === 6) return isoFromDayNumber(dayNumber(iso) - 1);
  if (w === 0) return isoFromDayNumber(dayNumber(iso) + 1);
  return iso;
}

/** Whole-day closures outside the holiday rules (national days of mourning, weather, 9/11), since 1990. */
const NYSE_SPECIAL_CLOSURES = new Set([
  '1994-04-27', // President Nixon's funeral
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14', // September 11 attacks
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // President Ford's day of mourning
  '2012-10-29',
  '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush's day of mourning
  '2025-01-09', // President Carter's day of mourning
]);

const holidayCache = new Map<number, Set<string>>();

/** NYSE full-day holidays of year y (the rules in force since 1971, with their start years). */
export function nyseHolidays(y: number): Set<string> {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const out = new Set<string>();
  // New Year's Day: Sunday → Monday; a Saturday New Year is not observed on the Friday before (Rule 7.2)
  const ny = ymd(y, 1, 1);
  if (weekday(ny) !== 6) out.add(observed(ny));
  if (y >= 1998) out.add(nthWeekday(y, 1, 1, 3)); // Martin Luther King Jr. Day
  out.add(nthWeekday(y, 2, 1, 3)); // Washington's Birthday
  out.add(isoFromDayNumber(dayNumber(easterSunday(y)) - 2)); // Good Friday
  out.add(nthWeekday(y, 5, 1, -1)); // Memorial Day
  if (y >= 2022) out.add(observed(ymd(y, 6, 19))); // Juneteenth
  out.add(observed(ymd(y, 7, 4))); // Independence Day
  out.add(nthWeekday(y, 9, 1, 1)); // Labor Day
  out.add(nthWeekday(y, 11, 4, 4)); // Thanksgiving
  out.add(observed(ymd(y, 12, 25))); // Christmas
  holidayCache.set(y, out);
  return out;
}

/** Whether the calendar has a session on that date. */
export function isTradingDay(iso: string, calendar: TradingCalendar): boolean {
  if (isWeekend(iso)) return false;
  if (calendar === 'business') return true;
  return !nyseHolidays(Number(iso.slice(0, 4))).has(iso) && !NYSE_SPECIAL_CLOSURES.has(iso);
}

/** Every session from `from` to `to`, both inclusive, in order. */
export function tradingDays(from: string, to: string, calendar: TradingCalendar): string[] {
  const out: string[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) {
    const iso = isoFromDayNumber(d);
    if (isTradingDay(iso, calendar)) out.push(iso);
  }
  return out;
}

/** The n-th session after `from` (n ≥ 1), e.g. the date an h-day forecast made at the close of `from` is for. */
export function addTradingDays(from: string, n: number, calendar: TradingCalendar): string {
  let d = dayNumber(from);
  let left = n;
  while (left > 0) {
    d++;
    if (isTradingDay(isoFromDayNumber(d), calendar)) left--;
  }
  return isoFromDayNumber(d);
}

/** A run of consecutive sessions with no bar. */
export interface DateGap {
  /** the bar before the gap */
  after: string;
  /** the bar after the gap */
  before: string;
  /** the sessions missing between them */
  missing: string[];
}

export interface GapReport {
  calendar: TradingCalendar;
  /** sessions of the calendar between the first and last bar that have no bar */
  missingDays: number;
  gaps: DateGap[];
  /** bars dated on a day the calendar has no session (weekends, holidays) */
  offCalendar: string[];
}

/** Compares ascending, distinct ISO dates with the calendar's sessions between the first and the last of them. */
export function findGaps(dates: readonly string[], calendar: TradingCalendar): GapReport {
  const gaps: DateGap[] = [];
  const offCalendar: string[] = [];
  let missingDays = 0;
  for (let i = 0; i < dates.length; i++) {
    if (!isTradingDay(dates[i], calendar)) offCalendar.push(dates[i]);
    if (i === 0) continue;
    const missing: string[] = [];
    for (let d = dayNumber(dates[i - 1]) + 1; d < dayNumber(dates[i]); d++) {
      const iso = isoFromDayNumber(d);
      if (isTradingDay(iso, calendar)) missing.push(iso);
    }
    if (missing.length > 0) {
      gaps.push({ after: dates[i - 1], before: dates[i], missing });
      missingDays += missing.length;
    }
  }
  return { calendar, missingDays, gaps, offCalendar };
}
