// Stratified k-fold cross-validation over several seeds. In every fold the preprocessing is fit on the training
// rows only (never on the held-out fold), the classifier is trained (early-stopped on a share of those training
// rows), and the held-out fold is scored. Calibration is cross-fitted on the out-of-fold scores (see
// calibration.ts), so the calibrated metrics are held-out figures too.

import { Rng } from '../nn';
import type { ApplicationTable } from './applicationsCsv';
import { type CalibrationMethod, crossFitCalibration, sigmoid } from './calibration';
import { type Hyper, type ModelKind, rawScores, type TrainSummary, trainClassifier } from './classifiers';
import { type ClassMetrics, classMetrics, type MetricName, type Spread, summarise } from './metrics';
import { fitPreprocessor, type PreprocessOptions, type Preprocessor, transformRows } from './preprocess';

/** Fold index (0 … k−1) of every row: each class shuffled with rng and dealt out in turn, so folds keep the bad rate. */
export function stratifiedKFold(y: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k must be an integer ≥ 2, got ${k}`);
  const foldOf = new Int32Array(y.length);
  let offset = 0;
  for (const cls of [1, 0]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    if (idx.length < k) {
      throw new Error(
        `stratifiedKFold: only ${idx.length} ${cls === 1 ? 'bad' : 'good'} rows for ${k} folds; each fold needs at least one of each class`,
      );
    }
    rng.shuffle(idx);
    idx.forEach((row, j) => {
      foldOf[row] = (j + offset) % k;
    });
    offset += idx.length;
  }
  return foldOf;
}

export type CvConfig = {
  kind: ModelKind;
  hyper?: Hyper;
  /** default 5 */
  folds?: number;
  /** one full k-fold run per seed (fold split, weights, dropout and shuffles all drawn from it); default [1, 2, 3] */
  seeds?: number[];
  preprocess?: PreprocessOptions;
  /** calibration methods to cross-fit on the out-of-fold scores; default ['platt', 'isotonic'] */
  calibrations?: CalibrationMethod[];
};

export type CvProgress = {
  kind: ModelKind;
  seed: number;
  /** 0-based index into the seeds */
  seedIndex: number;
  seeds: number;
  /** 1-based */
  fold: number;
  folds: number;
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
};

export type CvHooks = {
  onEpoch?: (p: CvProgress) => void;
  /** called after the preprocessing of a fold is fit, with the training rows it saw (for audits and tests) */
  onPreprocessorFit?: (info: { seed: number; fold: number; trainRows: number[]; preprocessor: Preprocessor }) => void;
  /** awaited after every fold (lets a job report progress and notice cancellation) */
  checkpoint?: (done: { seedIndex: number; fold: number; folds: number }) => Promise<void>;
  signal?: AbortSignal;
};

export type FoldResult = {
  seed: number;
  /** 1-based */
  fold: number;
  nTrain: number;
  nTest: number;
  training: Omit<TrainSummary, 'loss' | 'valLoss'>;
  /** held-out metrics of the uncalibrated PD σ(z) */
  raw: ClassMetrics;
  /** held-out metrics after cross-fitted calibration, per method */
  calibrated: Partial<Record<CalibrationMethod, ClassMetrics>>;
};

/** One seed's k-fold run: the fold of every row and its out-of-fold raw score. */
export type SeedRun = {
  seed: number;
  foldOf: Int32Array;
  /** out-of-fold raw score z of every row */
  z: Float64Array;
  /** out-of-fold calibrated PD per method */
  pd: Partial<Record<CalibrationMethod, Float64Array>>;
};

export type CvResult = {
  kind: ModelKind;
  folds: number;
  seeds: number[];
  foldResults: FoldResult[];
  runs: SeedRun[];
  /** mean ± std over all folds of all seeds */
  perFold: {
    raw: Record<MetricName, Spread>;
    calibrated: Partial<Record<CalibrationMethod, Record<MetricName, Spread>>>;
  };
  /** metrics of each seed's pooled out-of-fold predictions, mean ± std over seeds */
  pooled: {
    raw: Record<MetricName, Spread>;
    calibrated: Partial<Record<CalibrationMethod, Record<MetricName, Spread>>>;
  };
};

function pick<T>(values: ArrayLike<T>, rows: readonly number[]): T[] {
  return rows.map((r) => values[r]);
}

/** Runs stratified k-fold cross-validation of one model kind on the table, once per seed. */
export async function crossValidate(table: ApplicationTable, config: CvConfig, hooks: CvHooks = {}): Promise<CvResult> {
  const k = config.folds ?? 5;
  const seeds = config.seeds ?? [1, 2, 3];
  const methods = config.calibrations ?? ['platt', 'isotonic'];
  const n = table.rows.length;
  const foldResults: FoldResult[] = [];
  const runs: SeedRun[] = [];

  for (let s = 0; s < seeds.length; s++) {
    const seed = seeds[s];
    const rng = new Rng(seed);
    const foldOf = stratifiedKFold(table.y, k, rng.fork());
    const z = new Float64Array(n);
    const perFold: FoldResult[] = [];
    for (let f = 0; f < k; f++) {
      const trainRows: number[] = [];
      const testRows: number[] = [];
      for (let i = 0; i < n; i++) (foldOf[i] === f ? testRows : trainRows).push(i);
      const trainApps = pick(table.rows, trainRows);
      const yTrain = Uint8Array.from(pick(table.y, trainRows));
      // fit on the training rows of this fold only
      const pre = fitPreprocessor(table.features, trainApps, yTrain, config.preprocess);
      hooks.onPreprocessorFit?.({ seed, fold: f + 1, trainRows, preprocessor: pre });
      const d = pre.columns.length;
      const xTrain = transformRows(pre, trainApps);
      const xTest = transformRows(pre, pick(table.rows, testRows));
      const { net, summary } = await trainClassifier(
        config.kind,
        xTrain,
        yTrain,
        d,
        config.hyper ?? {},
        rng.nextU32(),
        {
          signal: hooks.signal,
          onEpoch: (e) =>
            hooks.onEpoch?.({
              kind: config.kind,
              seed,
              seedIndex: s,
              seeds: seeds.length,
              fold: f + 1,
              folds: k,
              epoch: e.epoch,
              epochs: e.epochs,
              loss: e.loss,
              valLoss: e.valLoss,
            }),
        },
      );
      const zTest = rawScores(net, xTest, testRows.length, d);
      testRows.forEach((r, i) => {
        z[r] = zTest[i];
      });
      const yTest = Uint8Array.from(pick(table.y, testRows));
      perFold.push({
        seed,
        fold: f + 1,
        nTrain: trainRows.length,
        nTest: testRows.length,
        training: { epochs: summary.epochs, bestEpoch: summary.bestEpoch, stopReason: summary.stopReason },
        raw: classMetrics(
          Array.from(zTest, (v) => sigmoid(v)),
          yTest,
        ),
        calibrated: {},
      });
      await hooks.checkpoint?.({ seedIndex: s, fold: f + 1, folds: k });
    }
    const pd: SeedRun['pd'] = {};
    for (const m of methods) {
      const cal = crossFitCalibration(m, z, table.y, foldOf, k);
      pd[m] = cal;
      for (const fr of perFold) {
        const rows: number[] = [];
        for (let i = 0; i < n; i++) if (foldOf[i] === fr.fold - 1) rows.push(i);
        fr.calibrated[m] = classMetrics(pick(cal, rows), Uint8Array.from(pick(table.y, rows)));
      }
    }
    foldResults.push(...perFold);
    runs.push({ seed, foldOf, z, pd });
  }

  const calibratedSummary = (select: (m: CalibrationMethod) => ClassMetrics[]) =>
    Object.fromEntries(methods.map((m) => [m, summarise(select(m))])) as CvResult['perFold']['calibrated'];
  return {
    kind: config.kind,
    folds: k,
    seeds,
    foldResults,
    runs,
    perFold: {
      raw: summarise(foldResults.map((f) => f.raw)),
      calibrated: calibratedSummary((m) => foldResults.map((f) => f.calibrated[m] as ClassMetrics)),
    },
    pooled: {
      raw: summarise(
        runs.map((r) =>
          classMetrics(
            Array.from(r.z, (v) => sigmoid(v)),
            table.y,
          ),
        ),
      ),
      calibrated: calibratedSummary((m) => runs.map((r) => classMetrics(r.pd[m] as Float64Array, table.y))),
    },
  };
}
