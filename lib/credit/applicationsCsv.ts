// The boundary between a CSV of loan applications and the domain: parsing (papaparse), column-kind inference and
// per-column profiles for the user to confirm, and the one-step conversion into an ApplicationTable (typed feature
// values plus a 0/1 "bad" label) with per-row errors. The coded German Credit file (no header, A11 … codes) is
// recognised and decoded through the code book, so both German files give the same table.

import Papa from 'papaparse';
import { mean, sampleStd } from '../metrics/moments';
import {
  decodeGermanRecords,
  GERMAN_ATTRIBUTES,
  germanAttribute,
  germanValueTexts,
  looksLikeGermanCoded,
} from './germanCodes';
import type { Application, CategoryCount, ColumnKind, ColumnProfile, FeatureSpec, Result, RowError } from './types';

/** Cells that mean "no value" ("none" is not one: it is a real category in many files, e.g. German Credit). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);
/** At most this many per-row errors are listed; the rest are counted in one summary error. */
export const MAX_ROW_ERRORS = 50;
/** Files larger than this many data rows are refused (the whole table is held in memory). */
export const MAX_ROWS = 200_000;

export function isMissing(cell: string | null | undefined): boolean {
  return cell === null || cell === undefined || MISSING.has(cell.trim().toLowerCase());
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A strict number: digits with an optional sign, decimal point and exponent; no thousands separators. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim();
  if (!NUMBER.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const DOT_DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const SLASH_DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** yyyy-mm-dd of a date cell (ISO, yyyy/mm/dd, dd.mm.yyyy or dd/mm/yyyy), or null. */
export function parseDate(cell: string): string | null {
  const s = cell.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = ISO_DATE.exec(s) ?? SLASH_YMD.exec(s);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = DOT_DMY.exec(s) ?? SLASH_DMY.exec(s))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else return null;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return back.toISOString().slice(0, 10);
}

/** A parsed file: column names, data records (cells as written, trimmed) and the file line of each record. */
export type ParsedCsv = {
  columns: string[];
  records: string[][];
  /** 1-based file line of each record */
  lines: number[];
  hasHeader: boolean;
  /** the coded german.csv layout was recognised and decoded to credit-g column names and labels */
  germanCoded: boolean;
};

export type ReadCsvOptions = {
  /** 'auto' (default) guesses from the first row */
  header?: boolean | 'auto';
  /** names for a file without a header (default col1, col2, …; the coded German file gets credit-g names) */
  columnNames?: string[];
};

/** Header guess: no numeric or empty cell, all distinct, and no first-row value reappears below in its column. */
function firstRowIsHeader(rows: string[][]): boolean {
  const first = rows[0];
  if (first.some((c) => isMissing(c) || parseNumber(c) !== null || parseDate(c) !== null)) return false;
  if (new Set(first).size !== first.length) return false;
  const rest = rows.slice(1, 1001);
  return first.every((name, j) => !rest.some((r) => r[j] === name));
}

/** Parses CSV text (comma, semicolon or tab separated; quoted fields) into records with their line numbers. */
export function readApplicationsCsv(text: string, options: ReadCsvOptions = {}): Result<{ csv: ParsedCsv }, RowError> {
  const fileError = (message: string): { ok: false; errors: RowError[] } => ({
    ok: false,
    errors: [{ row: 0, line: 0, field: '', message }],
  });
  if (typeof text !== 'string' || text.trim() === '') return fileError('The file is empty.');
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false });
  // Without multi-line quoted cells, record i is line i + 1; blank lines are dropped here, keeping that mapping.
  const rows: string[][] = [];
  const rowLines: number[] = [];
  parsed.data.forEach((r, i) => {
    if (r.length === 1 && r[0].trim() === '') return;
    rows.push(r.map((c) => c.trim()));
    rowLines.push(i + 1);
  });
  if (rows.length === 0) return fileError('The file has no rows.');
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const line = (quoteError.row ?? 0) + 1;
    return { ok: false, errors: [{ row: 0, line, field: '', message: `Line ${line}: ${quoteError.message}.` }] };
  }

  const germanCoded = options.header !== true && looksLikeGermanCoded(rows);
  const hasHeader = germanCoded
    ? false
    : options.header === 'auto' || options.header === undefined
      ? firstRowIsHeader(rows)
      : options.header;
  const width = rows[0].length;
  let columns: string[];
  if (hasHeader) columns = rows[0];
  else if (options.columnNames) columns = options.columnNames.map((c) => c.trim());
  else if (germanCoded) columns = [...GERMAN_ATTRIBUTES.map((a) => a.name), 'class'];
  else columns = Array.from({ length: width }, (_, j) => `col${j + 1}`);
  if (columns.length !== width) {
    return fileError(`${columns.length} column names were given but the first row has ${width} fields.`);
  }
  const empty = columns.indexOf('');
  if (empty >= 0) return fileError(`Column ${empty + 1} has no name in the header.`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) return fileError(`Column name "${c}" appears twice in the header.`);
    seen.add(c);
  }

  let records = hasHeader ? rows.slice(1) : rows;
  const lines = hasHeader ? rowLines.slice(1) : rowLines;
  if (records.length === 0) return fileError('The file has a header but no data rows.');
  if (records.length > MAX_ROWS) {
    return fileError(`The file has ${records.length} rows; at most ${MAX_ROWS} can be imported at once.`);
  }
  const errors: RowError[] = [];
  records.forEach((r, i) => {
    if (r.length !== width) {
      errors.push({
        row: i + 1,
        line: lines[i],
        field: '',
        message: `Line ${lines[i]} has ${r.length} fields; the ${hasHeader ? 'header' : 'first row'} has ${width}.`,
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors: capErrors(errors) };

  if (germanCoded) {
    const decoded = decodeGermanRecords(records);
    if (decoded.problems.length > 0) {
      return {
        ok: false,
        errors: capErrors(
          decoded.problems.map((p) => ({
            row: p.record + 1,
            line: lines[p.record],
            field: p.column,
            message: `Line ${lines[p.record]}, ${p.column || 'row'}: ${p.message}.`,
          })),
        ),
      };
    }
    records = decoded.records;
  }
  return { ok: true, csv: { columns, records, lines, hasHeader, germanCoded } };
}

/** Keeps the first MAX_ROW_ERRORS errors and adds one that counts the rest. */
export function capErrors(errors: RowError[]): RowError[] {
  if (errors.length <= MAX_ROW_ERRORS) return errors;
  const rest = errors.length - MAX_ROW_ERRORS;
  return [
    ...errors.slice(0, MAX_ROW_ERRORS),
    { row: 0, line: 0, field: '', message: `… and ${rest} more problem${rest === 1 ? '' : 's'} not listed.` },
  ];
}

const ID_NAME = /(^|[_\s.-])(id|key|uuid|guid|no|nr|number|ref|reference)$|^id/i;

function countValues(values: readonly string[]): CategoryCount[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Infers the kind of one column and profiles it. */
export function profileColumn(name: string, cells: readonly string[]): ColumnProfile {
  const present = cells.filter((c) => !isMissing(c));
  const missing = cells.length - present.length;
  const counts = countValues(present);
  const distinct = counts.length;
  const examples = counts.slice(0, 5).map((c) => c.value);
  const base = { name, missing, distinct, examples };
  if (present.length === 0) {
    return { ...base, kind: 'categorical', kindReason: 'Every value is missing.', categories: [] };
  }
  const numbers = present.map(parseNumber);
  const allNumeric = numbers.every((v) => v !== null);
  if (allNumeric) {
    const xs = Float64Array.from(numbers as number[]).sort();
    const stats = {
      min: xs[0],
      max: xs[xs.length - 1],
      mean: mean(xs),
      std: sampleStd(xs),
      median: median(xs),
    };
    const integers = xs.every((x) => Number.isInteger(x));
    const unique = distinct === present.length && present.length >= 20;
    const sequential = integers && unique && xs[xs.length - 1] - xs[0] === xs.length - 1;
    if (unique && integers && (ID_NAME.test(name) || sequential)) {
      return {
        ...base,
        ...stats,
        kind: 'id',
        kindReason: sequential
          ? 'Every value is a distinct whole number in one consecutive run, like a row number.'
          : 'Every value is distinct and the name looks like an identifier.',
      };
    }
    return { ...base, ...stats, kind: 'numeric', kindReason: 'Every present value is a number.' };
  }
  const dates = present.map(parseDate);
  if (dates.every((d) => d !== null)) {
    const sorted = (dates as string[]).slice().sort();
    return {
      ...base,
      kind: 'date',
      kindReason: 'Every present value is a date.',
      firstDate: sorted[0],
      lastDate: sorted[sorted.length - 1],
    };
  }
  if (distinct === present.length && present.length >= 20) {
    return { ...base, kind: 'id', kindReason: 'Every value is distinct text, like an identifier.' };
  }
  const rareLimit = Math.min(10, 0.01 * cells.length);
  return {
    ...base,
    kind: 'categorical',
    kindReason: `Text values (${distinct} distinct).`,
    categories: counts.slice(0, 50),
    rareCategories: counts.filter((c) => c.count < rareLimit),
  };
}

export function profileColumns(csv: ParsedCsv): ColumnProfile[] {
  return csv.columns.map((name, j) =>
    profileColumn(
      name,
      csv.records.map((r) => r[j]),
    ),
  );
}

export type TargetCandidate = {
  name: string;
  values: CategoryCount[];
  /** the value most likely meaning "bad" (default, delinquent), for the user to confirm */
  suggestedBad: string;
};

export type ImportPreview = {
  rowCount: number;
  hasHeader: boolean;
  germanCoded: boolean;
  columns: ColumnProfile[];
  /** columns with exactly two values, the likely targets first */
  targetCandidates: TargetCandidate[];
};

const BAD_WORDS = ['bad', 'default', 'defaulted', 'charged off', 'delinquent', 'yes', 'y', 'true', '1'];
const TARGET_NAME = /class|target|label|default|bad|status|outcome|risk/i;

function suggestBad(values: CategoryCount[]): string {
  for (const w of BAD_WORDS) {
    const hit = values.find((v) => v.value.toLowerCase() === w);
    if (hit) return hit.value;
  }
  // otherwise the rarer class, as defaults usually are
  return values.reduce((a, b) => (b.count < a.count ? b : a)).value;
}

/** Parses and profiles a file for the import form: column kinds, profiles and target candidates. */
export function previewApplicationsCsv(
  text: string,
  options: ReadCsvOptions = {},
): Result<{ preview: ImportPreview }, RowError> {
  const read = readApplicationsCsv(text, options);
  if (!read.ok) return read;
  const { csv } = read;
  const columns = profileColumns(csv);
  const targetCandidates = columns
    .filter((c) => c.distinct === 2 && c.missing === 0)
    .map((c) => {
      const j = csv.columns.indexOf(c.name);
      const values = countValues(csv.records.map((r) => r[j]));
      return { name: c.name, values, suggestedBad: suggestBad(values) };
    })
    .sort((a, b) => Number(TARGET_NAME.test(b.name)) - Number(TARGET_NAME.test(a.name)));
  return {
    ok: true,
    preview: {
      rowCount: csv.records.length,
      hasHeader: csv.hasHeader,
      germanCoded: csv.germanCoded,
      columns,
      targetCandidates,
    },
  };
}

/** A dataset ready for training: typed feature values, the 0/1 label (1 = bad) and the feature schema. */
export type ApplicationTable = {
  features: FeatureSpec[];
  target: string;
  badValue: string;
  /** the target values counted as good (every value other than badValue) */
  goodValues: string[];
  rows: Application[];
  /** 1 = bad, 0 = good, per row */
  y: Uint8Array;
  /** 1-based file line of each row */
  lines: number[];
  /** columns not used as features, and why */
  ignored: { name: string; kind: ColumnKind; reason: string }[];
};

export type TableOptions = {
  target: string;
  /** the target value meaning "bad" (compared after trimming, case-sensitive) */
  badValue: string;
  /** confirmed kinds; columns not named keep their inferred kind */
  kinds?: Record<string, ColumnKind>;
  /** columns to leave out of the features */
  exclude?: string[];
};

/** "credit_amount" → "Credit amount" */
export function humanise(name: string): string {
  const s = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Training range plus a quarter of its span each side (never below 0 for a non-negative column). */
function scoringRange(min: number, max: number, integer: boolean): { min: number; max: number } {
  const margin = 0.25 * (max - min);
  let lo = min - margin;
  let hi = max + margin;
  if (min >= 0) lo = Math.max(0, lo);
  if (integer) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  return { min: lo, max: hi };
}

/**
 * Converts parsed records into an ApplicationTable. Every problem is reported (capped at MAX_ROW_ERRORS listed):
 * unknown target column, bad value not present, a target with one class only, empty targets, non-numeric cells in
 * numeric columns, and no usable feature.
 */
export function buildApplicationTable(
  csv: ParsedCsv,
  options: TableOptions,
): Result<{ table: ApplicationTable }, RowError> {
  const fileError = (message: string): { ok: false; errors: RowError[] } => ({
    ok: false,
    errors: [{ row: 0, line: 0, field: options.target ?? '', message }],
  });
  const target = (options.target ?? '').trim();
  const badValue = (options.badValue ?? '').trim();
  const t = csv.columns.indexOf(target);
  if (target === '') return fileError('Choose the target column (the one that says whether a loan went bad).');
  if (t < 0) {
    return fileError(`The file has no column "${target}". Its columns are: ${csv.columns.join(', ')}.`);
  }
  if (badValue === '') return fileError(`Choose which value of "${target}" means a bad loan.`);
  const errors: RowError[] = [];
  const targetValues = new Map<string, number>();
  csv.records.forEach((r, i) => {
    const v = r[t];
    if (isMissing(v)) {
      errors.push({
        row: i + 1,
        line: csv.lines[i],
        field: target,
        message: `Line ${csv.lines[i]}: the target "${target}" is empty; every row needs a known outcome.`,
      });
    } else targetValues.set(v, (targetValues.get(v) ?? 0) + 1);
  });
  if (!targetValues.has(badValue)) {
    const seen = [...targetValues.keys()].slice(0, 10).map((v) => `"${v}"`);
    return fileError(`No row has "${target}" = "${badValue}". The column holds ${seen.join(', ')}.`);
  }
  if (targetValues.size < 2) {
    return fileError(
      `The target "${target}" has one class only: all ${csv.records.length} rows are "${badValue}". Training needs both good and bad loans.`,
    );
  }

  const profiles = profileColumns(csv);
  const exclude = new Set((options.exclude ?? []).map((c) => c.trim()));
  for (const name of [...exclude, ...Object.keys(options.kinds ?? {})]) {
    if (!csv.columns.includes(name)) {
      errors.push({ row: 0, line: 0, field: name, message: `There is no column "${name}" in the file.` });
    }
  }
  // the German Credit columns get the code book's labels and texts
  const germanSchema = GERMAN_ATTRIBUTES.every((a) => csv.columns.includes(a.name));
  const features: FeatureSpec[] = [];
  const ignored: ApplicationTable['ignored'] = [];
  const featureCols: number[] = [];
  profiles.forEach((p, j) => {
    if (j === t) return;
    const kind = options.kinds?.[p.name] ?? p.kind;
    if (exclude.has(p.name)) {
      ignored.push({ name: p.name, kind, reason: 'left out by the user' });
      return;
    }
    if (kind === 'date' || kind === 'id') {
      ignored.push({
        name: p.name,
        kind,
        reason: kind === 'date' ? 'dates are not used as model inputs' : 'identifiers carry no information about risk',
      });
      return;
    }
    if (p.missing === csv.records.length) {
      ignored.push({ name: p.name, kind, reason: 'every value is missing' });
      return;
    }
    const german = germanSchema ? germanAttribute(p.name) : undefined;
    const label = german?.label ?? humanise(p.name);
    if (kind === 'numeric') {
      const bad: RowError[] = [];
      csv.records.forEach((r, i) => {
        if (!isMissing(r[j]) && parseNumber(r[j]) === null) {
          bad.push({
            row: i + 1,
            line: csv.lines[i],
            field: p.name,
            message: `Line ${csv.lines[i]}: "${p.name}" should be a number, got "${r[j]}".`,
          });
        }
      });
      if (bad.length > 0) {
        errors.push(...bad);
        return;
      }
      const values = csv.records.map((r) => (isMissing(r[j]) ? null : (parseNumber(r[j]) as number)));
      let integer = true;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of values) {
        if (v === null) continue;
        if (!Number.isInteger(v)) integer = false;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      features.push({
        name: p.name,
        label,
        kind: 'numeric',
        ...scoringRange(min, max, integer),
        integer,
        allowMissing: p.missing > 0,
        ...(german?.unit ? { unit: german.unit } : {}),
      });
    } else {
      const cats = [...new Set(csv.records.map((r) => r[j]).filter((c) => !isMissing(c)))];
      const texts = german ? germanValueTexts(p.name) : null;
      // code-book order for German columns, alphabetical otherwise
      const order = texts ? Object.keys(texts.options) : [];
      cats.sort((a, b) => {
        const ia = order.indexOf(a);
        const ib = order.indexOf(b);
        if (ia >= 0 && ib >= 0) return ia - ib;
        return a < b ? -1 : a > b ? 1 : 0;
      });
      features.push({
        name: p.name,
        label,
        kind: 'categorical',
        categories: cats,
        ...(texts
          ? {
              categoryLabels: Object.fromEntries(cats.map((c) => [c, texts.options[c] ?? c])),
              categoryReasons: Object.fromEntries(cats.map((c) => [c, texts.reasons[c] ?? `${label}: ${c}`])),
            }
          : {}),
        allowMissing: p.missing > 0,
      });
    }
    featureCols.push(j);
  });
  if (errors.length > 0) return { ok: false, errors: capErrors(errors) };
  if (features.length === 0) {
    return fileError('No column can be used as a model input: every column is the target, a date, an id or empty.');
  }

  const rows: Application[] = csv.records.map((r) => {
    const a: Application = {};
    features.forEach((f, k) => {
      const cell = r[featureCols[k]];
      a[f.name] = isMissing(cell) ? null : f.kind === 'numeric' ? (parseNumber(cell) as number) : cell;
    });
    return a;
  });
  const y = Uint8Array.from(csv.records, (r) => (r[t] === badValue ? 1 : 0));
  return {
    ok: true,
    table: {
      features,
      target,
      badValue,
      goodValues: [...targetValues.keys()].filter((v) => v !== badValue).sort(),
      rows,
      y,
      lines: csv.lines.slice(),
      ignored,
    },
  };
}

/** readApplicationsCsv then buildApplicationTable. */
export function parseApplicationTable(
  text: string,
  options: TableOptions & ReadCsvOptions,
): Result<{ table: ApplicationTable; csv: ParsedCsv }, RowError> {
  const read = readApplicationsCsv(text, options);
  if (!read.ok) return read;
  const built = buildApplicationTable(read.csv, options);
  if (!built.ok) return built;
  return { ok: true, table: built.table, csv: read.csv };
}
