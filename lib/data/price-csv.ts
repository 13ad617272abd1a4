// Daily OHLCV CSV → PriceBar[] plus a validation report. Reads Yahoo Finance downloads (Date, Open, High, Low, Close,
// Adj Close, Volume in any column order), Stooq daily downloads (Date, Open, High, Low, Close, Volume) and Stooq bulk
// files (<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,…,<VOL>,<OPENINT>, dates YYYYMMDD); newest- or oldest-first, LF or
// CRLF, integer or float volume. This is the one place outside text becomes PriceBar.

import Papa from 'papaparse';
import { findGaps, type GapReport, isIsoDate, type TradingCalendar } from './calendar';
import type { PriceBar } from './prices';

export type PriceCsvFormat = 'yahoo' | 'stooq';

export type PriceIssueKind =
  | 'unparseable-date'
  | 'unparseable-number'
  | 'missing-value'
  | 'high-below-low'
  | 'non-positive-price'
  | 'negative-volume'
  | 'duplicate-date'
  | 'price-outside-range'
  | 'off-calendar-date';

export interface PriceIssue {
  /** 1-based line of the file (the header is line 1) */
  line: number;
  /** the column as named in the file, or 'row' for whole-row problems */
  field: string;
  /** the text found */
  value: string;
  kind: PriceIssueKind;
  /** errors make the row unusable; warnings are reported and the row is kept */
  severity: 'error' | 'warning';
  message: string;
}

export interface PriceValidationReport {
  format: PriceCsvFormat;
  /** order of the dates in the file */
  order: 'ascending' | 'descending' | 'unordered';
  lineEnding: 'LF' | 'CRLF';
  /** data rows read (blank lines skipped) */
  rows: number;
  /** rows without errors */
  validRows: number;
  errorCount: number;
  warningCount: number;
  /** the first MAX_ISSUES issues, in file order */
  issues: PriceIssue[];
  /** issues left out of `issues` */
  omittedIssues: number;
  /** whether an Adj Close column was present (the adjusted prices are then used for returns) */
  adjusted: boolean;
  /** ticker named by the file (Stooq bulk <TICKER> column), or null */
  ticker: string | null;
  firstDate: string | null;
  lastDate: string | null;
  /** trading sessions with no bar between the first and last valid date */
  gaps: GapReport;
}

export interface ParsedPrices {
  /** valid rows, ascending by date */
  bars: PriceBar[];
  report: PriceValidationReport;
}

export interface ParsePriceCsvOptions {
  /** calendar the gap report compares against (default 'nyse') */
  calendar?: TradingCalendar;
}

/** The file cannot be read as a price table at all (no header, missing columns, not text). */
export class PriceCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceCsvError';
  }
}

const MAX_ISSUES = 200;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

type Column = 'date' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume' | 'ticker';

/** Header cell → column, after lower-casing and dropping '<', '>', spaces, '_' and '-'. */
const HEADER_ALIASES: Record<string, Column> = {
  date: 'date',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  adjclose: 'adjClose',
  adjustedclose: 'adjClose',
  volume: 'volume',
  vol: 'volume',
  ticker: 'ticker',
};

const REQUIRED: Column[] = ['date', 'open', 'high', 'low', 'close', 'volume'];
const LABEL: Record<Column, string> = {
  date: 'Date',
  open: 'Open',
  high: 'High',
  low: 'Low',
  close: 'Close',
  adjClose: 'Adj Close',
  volume: 'Volume',
  ticker: 'Ticker',
};

function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[<>\s_-]/g, '');
}

/** 'YYYY-MM-DD' (optionally followed by a time, as some exports add) or Stooq's 'YYYYMMDD' → ISO date, else null. */
function parseDate(text: string): string | null {
  const t = text.trim();
  let iso: string | null = null;
  if (/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) iso = t.slice(0, 10);
  else if (/^\d{8}$/.test(t)) iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
  return iso !== null && isIsoDate(iso) ? iso : null;
}

/**
 * Parses the text of a daily price CSV. Throws PriceCsvError when it is not a price table (empty, binary, no header,
 * missing columns). Otherwise returns the valid rows ascending and a report of every bad row (unparseable dates or
 * numbers, High < Low, non-positive prices, negative volume, duplicate dates: errors, the row is left out) and of
 * warnings (Open/Close outside [Low, High], bars off the calendar, gaps between sessions).
 */
export function parsePriceCsv(text: string, opts: ParsePriceCsvOptions = {}): ParsedPrices {
  const calendar = opts.calendar ?? 'nyse';
  if (text.trim() === '') throw new PriceCsvError('The file is empty: expected a header row and daily price rows.');
  if (text.includes('\u0000')) {
    throw new PriceCsvError('The file is not text (it contains NUL bytes): expected a CSV of daily prices.');
  }
  const lineEnding = text.includes('\r\n') ? 'CRLF' : 'LF';
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: ',' });
  const table = parsed.data;
  const headerAt = table.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerAt < 0) throw new PriceCsvError('The file has no rows.');
  const header = table[headerAt];
  const columns = new Map<Column, number>();
  header.forEach((cell, i) => {
    const col = HEADER_ALIASES[normaliseHeader(cell)];
    if (col !== undefined && !columns.has(col)) columns.set(col, i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    const found = header.map((c) => JSON.stringify(c.trim())).join(', ');
    throw new PriceCsvError(
      `Line ${headerAt + 1} is not a price header: missing column${missing.length > 1 ? 's' : ''} ${missing
        .map((c) => LABEL[c])
        .join(', ')} (found ${found}). Expected Yahoo form (Date,Open,High,Low,Close,Adj Close,Volume) or Stooq form.`,
    );
  }
  const hasAdj = columns.has('adjClose');
  const format: PriceCsvFormat = hasAdj ? 'yahoo' : 'stooq';
  const headerName = (c: Column): string => header[columns.get(c) as number].trim();

  const issues: PriceIssue[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const add = (issue: Omit<PriceIssue, 'message'> & { message?: string }, message: string): void => {
    if (issue.severity === 'error') errorCount++;
    else warningCount++;
    if (issues.length < MAX_ISSUES) issues.push({ ...issue, message });
  };

  type Row = { line: number; bar: PriceBar };
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  const fileOrder: string[] = [];
  let rowCount = 0;
  let ticker: string | null = null;

  for (let r = headerAt + 1; r < table.length; r++) {
    const cells = table[r];
    if (cells.every((c) => c.trim() === '')) continue;
    rowCount++;
    const line = r + 1;
    let bad = false;
    const cell = (c: Column): string => (cells[columns.get(c) as number] ?? '').trim();

    const dateText = cell('date');
    const date = parseDate(dateText);
    if (date === null) {
      bad = true;
      add(
        { line, field: headerName('date'), value: dateText, kind: 'unparseable-date', severity: 'error' },
        `line ${line}: ${headerName('date')} ${JSON.stringify(dateText)} is not a date (expected YYYY-MM-DD or YYYYMMDD)`,
      );
    }
    const num = (c: Column): number => {
      const raw = cell(c);
      const name = headerName(c);
      if (raw === '') {
        bad = true;
        add(
          { line, field: name, value: raw, kind: 'missing-value', severity: 'error' },
          `line ${line}: ${name} is empty`,
        );
        return Number.NaN;
      }
      if (!NUMBER.test(raw)) {
        bad = true;
        add(
          { line, field: name, value: raw, kind: 'unparseable-number', severity: 'error' },
          `line ${line}: ${name} ${JSON.stringify(raw)} is not a number`,
        );
        return Number.NaN;
      }
      return Number(raw);
    };
    const open = num('open');
    const high = num('high');
    const low = num('low');
    const close = num('close');
    const adjClose = hasAdj ? num('adjClose') : null;
    const volume = num('volume');
    if (ticker === null && columns.has('ticker')) ticker = cell('ticker') || null;

    const prices: [Column, number | null][] = [
      ['open', open],
      ['high', high],
      ['low', low],
      ['close', close],
      ['adjClose', adjClose],
    ];
    for (const [c, v] of prices) {
      if (v !== null && Number.isFinite(v) && v <= 0) {
        bad = true;
        add(
          { line, field: headerName(c), value: String(v), kind: 'non-positive-price', severity: 'error' },
          `line ${line}: ${headerName(c)} is ${v}; prices must be positive`,
        );
      }
    }
    if (Number.isFinite(volume) && volume < 0) {
      bad = true;
      add(
        { line, field: headerName('volume'), value: String(volume), kind: 'negative-volume', severity: 'error' },
        `line ${line}: ${headerName('volume')} is ${volume}; volume cannot be negative`,
      );
    }
    if (Number.isFinite(high) && Number.isFinite(low) && high < low) {
      bad = true;
      add(
        {
          line,
          field: `${headerName('high')}/${headerName('low')}`,
          value: `${high}/${low}`,
          kind: 'high-below-low',
          severity: 'error',
        },
        `line ${line}: ${headerName('high')} ${high} is below ${headerName('low')} ${low}`,
      );
    }
    if (date !== null) {
      const first = seen.get(date);
      if (first !== undefined) {
        bad = true;
        add(
          { line, field: headerName('date'), value: date, kind: 'duplicate-date', severity: 'error' },
          `line ${line}: ${date} already appears on line ${first}`,
        );
      } else {
        seen.set(date, line);
        fileOrder.push(date);
      }
    }
    if (bad) continue;
    if (open < low || open > high || close < low || close > high) {
      add(
        {
          line,
          field: 'row',
          value: `O ${open} H ${high} L ${low} C ${close}`,
          kind: 'price-outside-range',
          severity: 'warning',
        },
        `line ${line}: Open or Close lies outside [Low, High] (O ${open}, H ${high}, L ${low}, C ${close})`,
      );
    }
    rows.push({ line, bar: { date: date as string, open, high, low, close, adjClose, volume } });
  }
  if (rowCount === 0) throw new PriceCsvError('The file has a header but no price rows.');

  let asc = 0;
  let desc = 0;
  for (let i = 1; i < fileOrder.length; i++) {
    if (fileOrder[i] > fileOrder[i - 1]) asc++;
    else desc++;
  }
  const order = desc === 0 ? 'ascending' : asc === 0 ? 'descending' : 'unordered';
  rows.sort((a, b) => (a.bar.date < b.bar.date ? -1 : 1));
  const bars = rows.map((r) => r.bar);
  const gaps = findGaps(
    bars.map((b) => b.date),
    calendar,
  );
  const lineOf = new Map(rows.map((r) => [r.bar.date, r.line]));
  for (const d of gaps.offCalendar) {
    add(
      { line: lineOf.get(d) ?? 0, field: headerName('date'), value: d, kind: 'off-calendar-date', severity: 'warning' },
      `line ${lineOf.get(d)}: ${d} is not a ${calendar === 'nyse' ? 'NYSE session' : 'business day'}`,
    );
  }
  issues.sort((a, b) => a.line - b.line);

  return {
    bars,
    report: {
      format,
      order,
      lineEnding,
      rows: rowCount,
      validRows: bars.length,
      errorCount,
      warningCount,
      issues,
      omittedIssues: errorCount + warningCount - issues.length,
      adjusted: hasAdj,
      ticker,
      firstDate: bars[0]?.date ?? null,
      lastDate: bars[bars.length - 1]?.date ?? null,
      gaps,
    },
  };
}

/** A short human summary of a report's errors, e.g. for an error message: the first `max` issues, one per line. */
export function describeErrors(report: PriceValidationReport, max = 10): string {
  const errors = report.issues.filter((i) => i.severity === 'error');
  const shown = errors.slice(0, max).map((i) => `  ${i.message}`);
  const more = report.errorCount - shown.length;
  return [
    `${report.errorCount} bad row${report.errorCount === 1 ? '' : 's'} out of ${report.rows}:`,
    ...shown,
    ...(more > 0 ? [`  … and ${more} more`] : []),
  ].join('\n');
}
