// Scoring applications with a trained model: field-by-field validation of the input (the boundary for form posts
// and uploaded files), then probability of default, score, decision and reason codes; and batch scoring of a CSV
// into a result file plus a per-row error report.

import Papa from 'papaparse';
import { capErrors, isMissing, parseNumber, readApplicationsCsv } from './applicationsCsv';
import { calibrate, sigmoid } from './calibration';
import { type CreditModel, modelScorer, pdToScore } from './creditModel';
import { type Decision, decide } from './policy';
import { type Reason, reasonCodes } from './reasons';
import type { Application, FeatureSpec, FieldError, RowError } from './types';

export type ValidateOptions = {
  /** field names tolerated and ignored besides the features (e.g. an id or the target column of a file) */
  ignore?: readonly string[];
};

function formatRange(f: FeatureSpec): string {
  return `${f.min} and ${f.max}${f.unit ? ` ${f.unit}` : ''}`;
}

/**
 * Converts raw input (a form's strings or JSON numbers) into an Application, or lists every problem: unknown
 * (extra) fields, missing required fields, non-numeric or out-of-range numbers, fractions where whole numbers are
 * required, and categories the model was not trained on.
 */
export function validateApplication(
  features: readonly FeatureSpec[],
  input: unknown,
  options: ValidateOptions = {},
): { ok: true; values: Application } | { ok: false; errors: FieldError[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'The application must be an object of field values.' }] };
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const known = new Set(features.map((f) => f.name));
  const ignored = new Set(options.ignore ?? []);
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !ignored.has(key)) {
      errors.push({ field: key, message: `"${key}" is not a field of this model.` });
    }
  }
  const values: Application = {};
  for (const f of features) {
    const v = raw[f.name];
    const missing = v === undefined || v === null || (typeof v === 'string' && isMissing(v));
    if (missing) {
      if (f.allowMissing) values[f.name] = null;
      else errors.push({ field: f.name, message: `${f.label} is required.` });
      continue;
    }
    if (f.kind === 'numeric') {
      const x = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : typeof v === 'string' ? parseNumber(v) : null;
      if (x === null) {
        errors.push({ field: f.name, message: `${f.label} must be a number; got "${String(v)}".` });
        continue;
      }
      if (f.integer && !Number.isInteger(x)) {
        errors.push({ field: f.name, message: `${f.label} must be a whole number; got ${x}.` });
        continue;
      }
      if ((f.min !== undefined && x < f.min) || (f.max !== undefined && x > f.max)) {
        errors.push({
          field: f.name,
          message: `${f.label} must be between ${formatRange(f)} (the range this model was trained on, with a margin); got ${x}.`,
        });
        continue;
      }
      values[f.name] = x;
    } else {
      const c = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
      const cats = f.categories ?? [];
      if (c === null || !cats.includes(c)) {
        const shown = cats.map((k) => `"${k}"`).join(', ');
        errors.push({
          field: f.name,
          message: `${f.label} "${c ?? String(v)}" is not a category this model knows; expected one of ${shown}.`,
        });
        continue;
      }
      values[f.name] = c;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

export type ScoreResult = {
  ok: true;
  modelId: string | null;
  modelName: string;
  /** calibrated probability of default, in [0.001, 0.999] */
  pd: number;
  /** the network's own sigmoid output before calibration */
  rawPd: number;
  /** points-to-double-odds score (higher is safer), rounded to a whole point */
  score: number;
  decision: Decision;
  /** up to four reasons, only for refer and decline */
  reasons: Reason[];
  /** the validated input as scored */
  values: Application;
  bands: { approveBelow: number; declineFrom: number };
  /** server time spent, ms */
  elapsedMs: number;
};

export type ScoreFailure = { ok: false; errors: FieldError[] };

function scoreValues(model: CreditModel, values: Application, start: number): ScoreResult {
  const { bundle } = model;
  const scorer = modelScorer(model);
  const z = scorer([values])[0];
  const pd = calibrate(bundle.calibrator, z);
  const decision = decide(bundle.policy, pd);
  const reasons = decision === 'approve' ? [] : reasonCodes(scorer, bundle.features, values, bundle.reference);
  return {
    ok: true,
    modelId: model.id,
    modelName: model.name,
    pd,
    rawPd: sigmoid(z),
    score: Math.round(pdToScore(pd, bundle.scale)),
    decision,
    reasons,
    values,
    bands: { approveBelow: bundle.policy.approveBelow, declineFrom: bundle.policy.declineFrom },
    elapsedMs: performance.now() - start,
  };
}

/** Validates and scores one application. */
export function scoreApplication(model: CreditModel, input: unknown): ScoreResult | ScoreFailure {
  const start = performance.now();
  const checked = validateApplication(model.bundle.features, input);
  if (!checked.ok) return checked;
  return scoreValues(model, checked.values, start);
}

/** A form field for the application form, derived from the model's schema. */
export type FormField = {
  name: string;
  label: string;
  kind: 'numeric' | 'categorical';
  required: boolean;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  options?: { value: string; label: string }[];
  /** the typical applicant's value, a sensible default */
  typical: number | string | null;
};

export function applicationForm(model: Pick<CreditModel, 'bundle'>): FormField[] {
  return model.bundle.features.map((f) => ({
    name: f.name,
    label: f.label,
    kind: f.kind,
    required: !f.allowMissing,
    ...(f.kind === 'numeric'
      ? { min: f.min, max: f.max, step: f.integer ? 1 : undefined, unit: f.unit || undefined }
      : { options: (f.categories ?? []).map((c) => ({ value: c, label: f.categoryLabels?.[c] ?? c })) }),
    typical: model.bundle.reference[f.name] ?? null,
  }));
}

export type BatchRow = {
  /** 1-based data row */
  row: number;
  line: number;
  input: Record<string, string>;
  result: ScoreResult | null;
};

export type BatchScoreResult = {
  ok: true;
  rows: number;
  scored: number;
  failed: number;
  counts: Record<Decision, number>;
  /** columns of the file that are not model fields (kept in the result file, not used) */
  ignoredColumns: string[];
  results: BatchRow[];
  /** every problem, row by row (not capped) */
  errors: RowError[];
  /** the input columns plus pd, score, decision, reason_1 … reason_4 and error */
  resultCsv: string;
  /** row, line, field, message */
  errorCsv: string;
};

/**
 * Scores every row of a CSV. Rows with problems are reported (row, line, field, message) and left unscored; the
 * others are scored. A file that cannot be read or lacks a required column fails as a whole.
 */
export function scoreApplicationsCsv(
  model: CreditModel,
  text: string,
): BatchScoreResult | { ok: false; errors: RowError[] } {
  const read = readApplicationsCsv(text, { header: 'auto' });
  if (!read.ok) return read;
  const { csv } = read;
  const features = model.bundle.features;
  const missingCols = features.filter((f) => !csv.columns.includes(f.name) && !f.allowMissing);
  if (missingCols.length > 0) {
    return {
      ok: false,
      errors: capErrors(
        missingCols.map((f) => ({
          row: 0,
          line: csv.hasHeader ? 1 : 0,
          field: f.name,
          message: `The file has no column "${f.name}" (${f.label}); the model needs it.${csv.hasHeader ? '' : ' Is the header row missing?'}`,
        })),
      ),
    };
  }
  const featureNames = new Set(features.map((f) => f.name));
  const ignoredColumns = csv.columns.filter((c) => !featureNames.has(c));
  const counts: Record<Decision, number> = { approve: 0, refer: 0, decline: 0 };
  const errors: RowError[] = [];
  const results: BatchRow[] = csv.records.map((r, i) => {
    const input: Record<string, string> = {};
    csv.columns.forEach((c, j) => {
      input[c] = r[j];
    });
    const start = performance.now();
    const checked = validateApplication(features, input, { ignore: ignoredColumns });
    if (!checked.ok) {
      for (const e of checked.errors) {
        errors.push({ row: i + 1, line: csv.lines[i], field: e.field, message: `Line ${csv.lines[i]}: ${e.message}` });
      }
      return { row: i + 1, line: csv.lines[i], input, result: null };
    }
    const result = scoreValues(model, checked.values, start);
    counts[result.decision]++;
    return { row: i + 1, line: csv.lines[i], input, result };
  });

  const header = [...csv.columns, 'pd', 'score', 'decision', 'reason_1', 'reason_2', 'reason_3', 'reason_4', 'error'];
  const errorByRow = new Map<number, string[]>();
  for (const e of errors) errorByRow.set(e.row, [...(errorByRow.get(e.row) ?? []), e.message]);
  const data = results.map((b) => {
    const res = b.result;
    const reasons = res ? res.reasons.map((x) => x.text) : [];
    return [
      ...csv.columns.map((c) => b.input[c]),
      res ? res.pd.toFixed(4) : '',
      res ? String(res.score) : '',
      res ? res.decision : '',
      reasons[0] ?? '',
      reasons[1] ?? '',
      reasons[2] ?? '',
      reasons[3] ?? '',
      (errorByRow.get(b.row) ?? []).join(' '),
    ];
  });
  const scored = results.filter((b) => b.result !== null).length;
  return {
    ok: true,
    rows: results.length,
    scored,
    failed: results.length - scored,
    counts,
    ignoredColumns,
    results,
    errors,
    resultCsv: Papa.unparse({ fields: header, data }),
    errorCsv: Papa.unparse({
      fields: ['row', 'line', 'field', 'message'],
      data: errors.map((e) => [String(e.row), String(e.line), e.field, e.message]),
    }),
  };
}
