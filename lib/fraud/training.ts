// Training and honest evaluation of fraud scorers (Fraud Detection Handbook ch. 5): train / delay / test periods in
// time order, test cards already known to be compromised removed, prequential validation folds for model selection,
// the logistic-regression and amount-rule baselines beside every feed-forward net, several seeds (mean ± std), the
// imbalance strategies compared on the same split, and the chosen model stored for scoring. The ULB sample, which
// has no card ids and spans two days, gets a time-ordered train / validation / test split by row fractions instead.

import { z } from 'zod';
import type { Db } from '../store/db';
import {
  type FraudDataset,
  getFraudDataset,
  insertFraudRun,
  LABEL_SOURCE_CODES,
  loadTransactionColumns,
  type TransactionColumns,
  upsertFraudScores,
} from '../store/repos/fraud';
import { inTransaction } from '../store/transaction';
import { newId } from '../store/values';
import { createTopKAlerts } from './alerts';
import { ULB_SAMPLE_NOTE } from './datasets';
import { computeHandbookFeatures, HANDBOOK_FEATURES, handbookLookbackMs, ULB_FEATURES, ulbFeatures } from './features';
import {
  averagePrecision,
  cardPrecisionAtKPerDay,
  METRIC_DEFINITIONS,
  meanStd,
  type PrPoint,
  prCurve,
  precisionAtKPerDay,
  type RocPoint,
  rocAuc,
  rocCurve,
} from './metrics';
import { saveFraudModel } from './model-store';
import {
  applyScaler,
  type ClassifierSpec,
  fitScaler,
  IMBALANCE_STRATEGIES,
  type ImbalanceStrategy,
  predictScores,
  STRATEGY_LABELS,
  trainClassifier,
} from './models';
import { DAY_MS, dayDate } from './simulator';

export const fraudTrainConfigSchema = z.object({
  datasetId: z.string().min(1, 'choose a dataset'),
  name: z.string().trim().min(1).max(200).optional(),
  /** days of the training period (Handbook 7) */
  trainDays: z.number().int().min(1).max(365).default(7),
  /** the feedback delay between training and test, in days (Handbook 7); also the terminal features' shift */
  delayDays: z.number().int().min(1).max(90).default(7),
  /** days of the test period (Handbook 7) */
  testDays: z.number().int().min(1).max(365).default(7),
  /** the day after the test period (exclusive); default: the end of the dataset's history */
  testEndDay: z.number().int().min(1).optional(),
  /** prequential validation folds (Handbook 4), each shifted back by testDays; folds that do not fit are dropped */
  folds: z.number().int().min(1).max(12).default(4),
  /** daily alert budget of precision@k and card precision@k (Handbook 100) */
  k: z.number().int().min(1).max(100_000).default(100),
  /** seeds per trained model (mean ± std) */
  seeds: z.number().int().min(1).max(10).default(3),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  epochs: z.number().int().min(1).max(500).default(10),
  /** Handbook 64: small batches give small training periods enough steps */
  batchSize: z.number().int().min(8).max(8192).default(64),
  learningRate: z.number().positive().max(1).default(1e-3),
  /** hidden layer widths of the feed-forward candidates compared by validation */
  hiddenCandidates: z
    .array(z.array(z.number().int().min(1).max(1024)).min(1).max(4))
    .min(1)
    .max(6)
    .default([[32], [64, 32]]),
  dropout: z.number().min(0).max(0.9).default(0.2),
  /** imbalance strategies evaluated on the test split, each with the selected architecture */
  strategies: z.array(z.enum(IMBALANCE_STRATEGIES)).min(1).default(['classWeights', 'focal', 'gan']),
  /** the strategy used for model selection and for the stored (deployed) model */
  primary: z.enum(IMBALANCE_STRATEGIES).default('classWeights'),
  selectBy: z.enum(['ap', 'auc', 'cardPrecisionAtK']).default('ap'),
  focal: z
    .object({ gamma: z.number().min(0).max(10).default(2), alpha: z.number().min(0).max(1).nullable().default(0.25) })
    .prefault({}),
  gan: z
    .object({
      steps: z.number().int().min(1).max(20_000).default(1000),
      latentDim: z.number().int().min(1).max(128).default(8),
      targetFraudShare: z.number().gt(0).lt(0.9).default(0.1),
    })
    .prefault({}),
  /** ULB only: leading fractions of the time-ordered rows for training and validation; the rest is the test */
  fractions: z
    .object({ train: z.number().gt(0).lt(1).default(0.6), validation: z.number().gt(0).lt(1).default(0.2) })
    .prefault({}),
  /** after training, alert the top perDay transactions of each test day with the stored model (null: no alerts) */
  alerts: z
    .object({ perDay: z.number().int().min(1).max(100_000).default(100) })
    .nullable()
    .prefault({}),
});

export type FraudTrainInput = z.input<typeof fraudTrainConfigSchema>;
export type FraudTrainConfig = z.output<typeof fraudTrainConfigSchema>;

export type MetricSummary = { mean: number | null; std: number | null; values: (number | null)[] };
export type EvaluationMetrics = {
  auc: number | null;
  ap: number | null;
  precisionAtK: number | null;
  cardPrecisionAtK: number | null;
};
export type MetricName = keyof EvaluationMetrics;
const METRIC_NAMES: MetricName[] = ['auc', 'ap', 'precisionAtK', 'cardPrecisionAtK'];

export type Period = {
  fromDay: number;
  /** exclusive */
  toDay: number;
  fromDate: string;
  /** the last date inside the period */
  toDate: string;
  /** labelled rows used */
  rows: number;
  frauds: number;
};

export type DailyPoint = { day: number; date: string; value: number };

export type ModelResult = {
  /** 'amount-rule' | 'logreg' | 'ffn-<strategy>' */
  id: string;
  label: string;
  kind: 'baseline' | 'model';
  family: 'rule' | 'logreg' | 'ffn';
  strategy: ImbalanceStrategy | null;
  hidden: number[] | null;
  seeds: number[];
  metrics: Record<MetricName, MetricSummary>;
  /** chart data of the first seed */
  charts: { roc: RocPoint[]; pr: PrPoint[]; dailyPrecisionAtK: DailyPoint[]; dailyCardPrecisionAtK: DailyPoint[] };
  /** synthetic frauds added per seed (GAN oversampling), else null */
  syntheticFrauds: number[] | null;
  notes: string[];
  trainSeconds: number;
};

export type SelectionCandidate = { hidden: number[]; metrics: Record<MetricName, MetricSummary> };

export type FraudTrainingReport = {
  runId: string;
  modelId: string;
  datasetId: string;
  datasetName: string;
  source: 'simulator' | 'ulb';
  /** shown beside every figure of this dataset (the ULB sample's fraud share), else null */
  note: string | null;
  config: FraudTrainConfig;
  featureNames: string[];
  k: number;
  split:
    | {
        kind: 'days';
        train: Period;
        delay: { fromDay: number; toDay: number; fromDate: string; toDate: string };
        test: Period & { removedKnownCompromised: number };
        /** rows in the train and test periods without a known label (not investigated yet), left out */
        unlabelledExcluded: number;
      }
    | { kind: 'fractions'; train: Period; validation: Period; test: Period; unlabelledExcluded: number };
  /** where the labels of the training and test rows came from; 'triage' counts the analysts' decisions */
  labelSources: Record<'train' | 'test', Record<'simulator' | 'import' | 'triage', number>>;
  selection: {
    method: 'prequential' | 'holdout' | 'none';
    selectBy: FraudTrainConfig['selectBy'];
    strategy: ImbalanceStrategy;
    folds: { train: Period; validation: Period }[];
    candidates: SelectionCandidate[];
    chosenHidden: number[];
    note: string | null;
  };
  models: ModelResult[];
  /** GAN oversampling against class weights on the same split and seeds, when both were evaluated */
  ganVsClassWeights: {
    /** per-seed differences GAN − class weights, mean ± std */
    delta: Record<MetricName, MetricSummary>;
    helps: boolean;
    summary: string;
  } | null;
  deployed: {
    modelId: string;
    strategy: ImbalanceStrategy;
    hidden: number[];
    seed: number;
    metrics: EvaluationMetrics;
  };
  alerts: { created: number; perDay: number; fromDay: number; toDay: number } | null;
  handbookReference: { auc: number; ap: number; cardPrecisionAt100: number; note: string };
  metricDefinitions: typeof METRIC_DEFINITIONS;
  durationSeconds: number;
};

export type TrainProgress = {
  stage: string;
  pct: number;
  message: string;
  fold?: number;
  folds?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
};

export type TrainContext = {
  /** awaited often (each epoch); throw to stop */
  report?: (p: TrainProgress) => Promise<void>;
  signal?: AbortSignal;
  jobId?: string | null;
  createdBy: string | null;
};

/** The Handbook's tuned feed-forward network on its own simulated data (ch. 7.2), for orientation only. */
const HANDBOOK_REFERENCE = {
  auc: 0.876,
  ap: 0.675,
  cardPrecisionAt100: 0.303,
  note: "The Handbook's tuned feed-forward net on its own 183-day simulation; different data, shown for orientation.",
};

/** The loaded dataset: raw features of every loaded row plus what splitting needs. */
type Prepared = {
  /** day 0 of the dataset, ms since epoch */
  startMs: number;
  cols: TransactionColumns;
  x: Float32Array;
  d: number;
  featureNames: string[];
  /** day → [first row, end row) in cols (rows are in time order, so a day is contiguous) */
  dayRange: Map<number, [number, number]>;
};

type Split = {
  train: number[];
  test: number[];
  trainPeriod: Period;
  testPeriod: Period;
  removedKnownCompromised: number;
  unlabelledExcluded: number;
};

/** Validates the input (throwing one message listing every problem), trains, evaluates, stores; returns the report. */
export async function trainFraudModels(
  db: Db,
  input: FraudTrainInput,
  ctx: TrainContext,
): Promise<FraudTrainingReport> {
  const parsed = fraudTrainConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid fraud training settings: ${z.prettifyError(parsed.error)}`);
  const cfg = parsed.data;
  const started = Date.now();
  const ds = await getFraudDataset(db, cfg.datasetId);
  if (ds?.status !== 'ready') throw new Error(`fraud dataset ${cfg.datasetId} does not exist or is not ready`);
  if (!cfg.strategies.includes(cfg.primary)) cfg.strategies = [cfg.primary, ...cfg.strategies];
  const report = ctx.report ?? (async () => {});
  return ds.source === 'ulb'
    ? trainOnFractions(db, ds, cfg, ctx, report, started)
    : trainOnDays(db, ds, cfg, ctx, report, started);
}

// ---------------------------------------------------------------------------------------------------------------
// Simulated data: train / delay / test days

function dayPeriod(ds: FraudDataset, fromDay: number, toDay: number, rows: number, frauds: number): Period {
  return {
    fromDay,
    toDay,
    fromDate: dayDate(ds.startMs, fromDay),
    toDate: dayDate(ds.startMs, toDay - 1),
    rows,
    frauds,
  };
}

/** The train / test split of the Handbook (get_train_test_set with the delay and known-compromised removal). */
function daySplit(
  p: Prepared,
  ds: FraudDataset,
  trainFrom: number,
  trainDays: number,
  delay: number,
  testDays: number,
): Split {
  const { cols, dayRange } = p;
  const trainTo = trainFrom + trainDays;
  const testFrom = trainTo + delay;
  const testTo = testFrom + testDays;
  const train: number[] = [];
  const known = new Set<number>();
  let unlabelled = 0;
  for (let day = trainFrom; day < trainTo; day++) {
    const r = dayRange.get(day);
    if (!r) continue;
    for (let i = r[0]; i < r[1]; i++) {
      if (cols.label[i] < 0) {
        unlabelled++;
        continue;
      }
      train.push(i);
      if (cols.label[i] === 1 && cols.customer[i] >= 0) known.add(cols.customer[i]);
    }
  }
  const test: number[] = [];
  let removed = 0;
  for (let j = 0; j < testDays; j++) {
    // Cards found compromised on delay day trainTo + j − 1 are known (blocked) by test day testFrom + j.
    if (j >= 1) {
      const r = dayRange.get(trainTo + j - 1);
      if (r)
        for (let i = r[0]; i < r[1]; i++) if (cols.label[i] === 1 && cols.customer[i] >= 0) known.add(cols.customer[i]);
    }
    const r = dayRange.get(testFrom + j);
    if (!r) continue;
    for (let i = r[0]; i < r[1]; i++) {
      if (cols.label[i] < 0) {
        unlabelled++;
        continue;
      }
      if (cols.customer[i] >= 0 && known.has(cols.customer[i])) {
        removed++;
        continue;
      }
      test.push(i);
    }
  }
  const frauds = (rows: number[]) => rows.reduce((s, i) => s + (cols.label[i] === 1 ? 1 : 0), 0);
  return {
    train,
    test,
    trainPeriod: dayPeriod(ds, trainFrom, trainTo, train.length, frauds(train)),
    testPeriod: dayPeriod(ds, testFrom, testTo, test.length, frauds(test)),
    removedKnownCompromised: removed,
    unlabelledExcluded: unlabelled,
  };
}

async function prepareDays(
  db: Db,
  ds: FraudDataset,
  fromDay: number,
  toDay: number,
  delayDays: number,
): Promise<Prepared> {
  // Features look back 30 days (customers) and delay + 30 days (terminals) before the first row we evaluate.
  const loadFrom = Math.max(0, fromDay * DAY_MS - handbookLookbackMs(delayDays));
  const cols = await loadTransactionColumns(db, ds.id, {
    fromMs: ds.startMs + loadFrom,
    toMs: ds.startMs + toDay * DAY_MS,
  });
  const x = computeHandbookFeatures(cols, { delayDays });
  return {
    startMs: ds.startMs,
    cols,
    x,
    d: HANDBOOK_FEATURES.length,
    featureNames: [...HANDBOOK_FEATURES],
    dayRange: dayRanges(cols),
  };
}

function dayRanges(cols: TransactionColumns): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let i = 0; i < cols.n; ) {
    let j = i;
    while (j < cols.n && cols.day[j] === cols.day[i]) j++;
    m.set(cols.day[i], [i, j]);
    i = j;
  }
  return m;
}

async function trainOnDays(
  db: Db,
  ds: FraudDataset,
  cfg: FraudTrainConfig,
  ctx: TrainContext,
  report: (p: TrainProgress) => Promise<void>,
  started: number,
): Promise<FraudTrainingReport> {
  const testEnd = cfg.testEndDay ?? ds.days;
  const span = cfg.trainDays + cfg.delayDays + cfg.testDays;
  const trainFrom = testEnd - span;
  if (trainFrom < 0) {
    throw new Error(
      `the split needs ${span} days (train ${cfg.trainDays} + delay ${cfg.delayDays} + test ${cfg.testDays}) before day ${testEnd}, but the dataset starts ${testEnd} days earlier; shorten the periods or simulate more days`,
    );
  }
  // Validation fold f: the same structure ending where the final training period ends, shifted back f·testDays.
  const foldStarts: number[] = [];
  for (let f = 0; f < cfg.folds; f++) {
    const start = trainFrom - cfg.delayDays - cfg.testDays - f * cfg.testDays;
    if (start >= 0) foldStarts.push(start);
  }
  await report({ stage: 'load', pct: 1, message: 'loading transactions and computing features' });
  const prepared = await prepareDays(db, ds, Math.min(trainFrom, ...foldStarts), testEnd, cfg.delayDays);
  const split = daySplit(prepared, ds, trainFrom, cfg.trainDays, cfg.delayDays, cfg.testDays);
  if (split.testPeriod.rows === 0)
    throw new Error(
      `the test period (days ${split.testPeriod.fromDay}–${split.testPeriod.toDay - 1}) has no labelled transactions`,
    );

  // Model selection: prequential folds, primary strategy, first seed.
  const folds = foldStarts.map((s) => daySplit(prepared, ds, s, cfg.trainDays, cfg.delayDays, cfg.testDays));
  const usable = folds.filter((f) => f.trainPeriod.frauds > 0 && f.testPeriod.frauds > 0);
  const progress = new ProgressPlan(report, usable.length * cfg.hiddenCandidates.length, cfg);
  let selectionNote: string | null = null;
  if (cfg.hiddenCandidates.length > 1 && usable.length === 0) {
    selectionNote =
      foldStarts.length === 0
        ? `no validation fold fits before day ${trainFrom} (each needs ${span} days); the first candidate was used`
        : 'no validation fold has frauds in both its periods; the first candidate was used';
  }
  const candidates: SelectionCandidate[] = [];
  if (cfg.hiddenCandidates.length > 1 && usable.length > 0) {
    for (const hidden of cfg.hiddenCandidates) {
      const perFold: EvaluationMetrics[] = [];
      for (const [fi, fold] of usable.entries()) {
        const r = await fitAndScore(
          prepared,
          fold.train,
          fold.test,
          { family: 'ffn', hidden, dropout: cfg.dropout },
          cfg,
          cfg.primary,
          cfg.seed,
          ctx,
          (e) =>
            progress.step('selection', `validation fold ${fi + 1}/${usable.length}, hidden [${hidden.join(', ')}]`, e, {
              fold: fi + 1,
              folds: usable.length,
            }),
        );
        perFold.push(evaluate(prepared, fold.test, r.scores, cfg.k).metrics);
        progress.done();
      }
      candidates.push({ hidden, metrics: summarise(perFold) });
    }
  }
  const chosenHidden = chooseHidden(candidates, cfg);

  const models = await evaluateOnTest(prepared, split.train, split.test, cfg, chosenHidden, ctx, progress);
  const report0 = await finish(db, ds, cfg, ctx, prepared, split.train, models, started, {
    split: {
      kind: 'days',
      train: split.trainPeriod,
      delay: {
        fromDay: split.trainPeriod.toDay,
        toDay: split.testPeriod.fromDay,
        fromDate: dayDate(ds.startMs, split.trainPeriod.toDay),
        toDate: dayDate(ds.startMs, split.testPeriod.fromDay - 1),
      },
      test: { ...split.testPeriod, removedKnownCompromised: split.removedKnownCompromised },
      unlabelledExcluded: split.unlabelledExcluded,
    },
    labelSources: { train: labelSources(prepared.cols, split.train), test: labelSources(prepared.cols, split.test) },
    selection: {
      method: candidates.length > 0 ? 'prequential' : 'none',
      selectBy: cfg.selectBy,
      strategy: cfg.primary,
      folds: usable.map((f) => ({ train: f.trainPeriod, validation: f.testPeriod })),
      candidates,
      chosenHidden,
      note: selectionNote,
    },
    trainedOn: split.trainPeriod,
    alertDays: [split.testPeriod.fromDay, split.testPeriod.toDay],
    note: null,
  });
  return report0;
}

// ---------------------------------------------------------------------------------------------------------------
// ULB: time-ordered fractions

async function trainOnFractions(
  db: Db,
  ds: FraudDataset,
  cfg: FraudTrainConfig,
  ctx: TrainContext,
  report: (p: TrainProgress) => Promise<void>,
  started: number,
): Promise<FraudTrainingReport> {
  if (cfg.fractions.train + cfg.fractions.validation >= 1) {
    throw new Error(
      `fractions.train (${cfg.fractions.train}) + fractions.validation (${cfg.fractions.validation}) must leave rows for the test`,
    );
  }
  await report({ stage: 'load', pct: 1, message: 'loading transactions' });
  const cols = await loadTransactionColumns(db, ds.id, { withFeatures: true });
  const prepared: Prepared = {
    startMs: ds.startMs,
    cols,
    x: ulbFeatures(cols),
    d: ULB_FEATURES.length,
    featureNames: [...ULB_FEATURES],
    dayRange: dayRanges(cols),
  };
  const labelled: number[] = [];
  for (let i = 0; i < cols.n; i++) if (cols.label[i] >= 0) labelled.push(i);
  const nTrain = Math.floor(labelled.length * cfg.fractions.train);
  const nVal = Math.floor(labelled.length * cfg.fractions.validation);
  const train = labelled.slice(0, nTrain);
  const validation = labelled.slice(nTrain, nTrain + nVal);
  const test = labelled.slice(nTrain + nVal);
  const period = (rows: number[]): Period => {
    const first = rows.length > 0 ? cols.day[rows[0]] : 0;
    const last = rows.length > 0 ? cols.day[rows[rows.length - 1]] : 0;
    return dayPeriod(
      ds,
      first,
      last + 1,
      rows.length,
      rows.reduce((s, i) => s + (cols.label[i] === 1 ? 1 : 0), 0),
    );
  };
  if (period(train).frauds === 0 || period(test).frauds === 0)
    throw new Error('the time-ordered split leaves no fraud in the training or test rows');

  const progress = new ProgressPlan(report, cfg.hiddenCandidates.length > 1 ? cfg.hiddenCandidates.length : 0, cfg);
  const candidates: SelectionCandidate[] = [];
  if (cfg.hiddenCandidates.length > 1) {
    for (const hidden of cfg.hiddenCandidates) {
      const r = await fitAndScore(
        prepared,
        train,
        validation,
        { family: 'ffn', hidden, dropout: cfg.dropout },
        cfg,
        cfg.primary,
        cfg.seed,
        ctx,
        (e) => progress.step('selection', `validation, hidden [${hidden.join(', ')}]`, e),
      );
      candidates.push({ hidden, metrics: summarise([evaluate(prepared, validation, r.scores, cfg.k).metrics]) });
      progress.done();
    }
  }
  const chosenHidden = chooseHidden(candidates, cfg);
  const models = await evaluateOnTest(prepared, train, test, cfg, chosenHidden, ctx, progress);
  const testPeriod = period(test);
  return finish(db, ds, cfg, ctx, prepared, train, models, started, {
    split: {
      kind: 'fractions',
      train: period(train),
      validation: period(validation),
      test: testPeriod,
      unlabelledExcluded: cols.n - labelled.length,
    },
    labelSources: { train: labelSources(cols, train), test: labelSources(cols, test) },
    selection: {
      method: candidates.length > 0 ? 'holdout' : 'none',
      selectBy: cfg.selectBy === 'cardPrecisionAtK' ? 'ap' : cfg.selectBy,
      strategy: cfg.primary,
      folds: [],
      candidates,
      chosenHidden,
      note: cfg.selectBy === 'cardPrecisionAtK' ? 'no card ids in this dataset: selected by average precision' : null,
    },
    trainedOn: period(train),
    alertDays: [testPeriod.fromDay, testPeriod.toDay],
    note: ULB_SAMPLE_NOTE,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Shared steps

/** Splits the job's 0–100 % over selection runs, test runs and the final steps, and forwards epoch reports. */
class ProgressPlan {
  private runsDone = 0;
  private readonly totalRuns: number;
  private lastAt = 0;
  constructor(
    private readonly report: (p: TrainProgress) => Promise<void>,
    selectionRuns: number,
    cfg: FraudTrainConfig,
  ) {
    this.totalRuns = selectionRuns + cfg.seeds * (1 + cfg.strategies.length);
  }
  async step(
    stage: string,
    message: string,
    e: { stage: 'gan' | 'fit'; epoch: number; epochs: number; loss: number },
    extra: { fold?: number; folds?: number } = {},
  ): Promise<void> {
    const within = e.epoch / e.epochs;
    const pct = 5 + (90 * (this.runsDone + (e.stage === 'gan' ? 0.3 * within : within))) / Math.max(1, this.totalRuns);
    const now = Date.now();
    // one report per epoch, but not more than four a second (each is a database write)
    if (now - this.lastAt < 250 && e.epoch < e.epochs) return;
    this.lastAt = now;
    await this.report({
      stage,
      pct: Math.min(95, pct),
      message: e.stage === 'gan' ? `${message}: GAN step ${e.epoch}/${e.epochs}` : message,
      epoch: e.stage === 'fit' ? e.epoch : undefined,
      epochs: e.stage === 'fit' ? e.epochs : undefined,
      loss: e.loss,
      ...extra,
    });
  }
  done(): void {
    this.runsDone++;
  }
}

function gather(p: Prepared, rows: number[]): { x: Float32Array; y: Float32Array } {
  const { d } = p;
  const x = new Float32Array(rows.length * d);
  const y = new Float32Array(rows.length);
  rows.forEach((i, r) => {
    x.set(p.x.subarray(i * d, (i + 1) * d), r * d);
    y[r] = p.cols.label[i] === 1 ? 1 : 0;
  });
  return { x, y };
}

const LOGREG_MIN_EPOCHS = 30;
const LOGREG_LEARNING_RATE = 0.02;

type Fitted = {
  scores: Float32Array;
  model: import('../nn/module').Module;
  scaler: import('./models').Scaler;
  syntheticFrauds: number;
  note: string | null;
  seconds: number;
};

/** Fits the scaler on the training rows only, trains, and scores the evaluation rows. */
async function fitAndScore(
  p: Prepared,
  trainRows: number[],
  evalRows: number[],
  spec: ClassifierSpec,
  cfg: FraudTrainConfig,
  strategy: ImbalanceStrategy,
  seed: number,
  ctx: TrainContext,
  onEpoch: (e: { stage: 'gan' | 'fit'; epoch: number; epochs: number; loss: number }) => Promise<void>,
): Promise<Fitted> {
  const t0 = Date.now();
  const tr = gather(p, trainRows);
  const scaler = fitScaler(tr.x, trainRows.length, p.d);
  const xs = applyScaler(tr.x, trainRows.length, p.d, scaler);
  const trained = await trainClassifier(
    xs,
    tr.y,
    trainRows.length,
    p.d,
    spec,
    {
      // the baseline is convex and cheap: train it to convergence rather than handicap it with the net's budget
      epochs: spec.family === 'logreg' ? Math.max(cfg.epochs, LOGREG_MIN_EPOCHS) : cfg.epochs,
      batchSize: cfg.batchSize,
      learningRate: spec.family === 'logreg' ? Math.max(cfg.learningRate, LOGREG_LEARNING_RATE) : cfg.learningRate,
      strategy,
      focal: cfg.focal,
      gan: cfg.gan,
    },
    seed,
    { onEpoch, signal: ctx.signal },
  );
  const ev = gather(p, evalRows);
  const scores = predictScores(trained.model, applyScaler(ev.x, evalRows.length, p.d, scaler), evalRows.length, p.d);
  return {
    scores,
    model: trained.model,
    scaler,
    syntheticFrauds: trained.syntheticFrauds,
    note: trained.note,
    seconds: (Date.now() - t0) / 1000,
  };
}

function evaluate(
  p: Prepared,
  rows: number[],
  scores: ArrayLike<number>,
  k: number,
): { metrics: EvaluationMetrics; daily: { pk: DailyPoint[]; cpk: DailyPoint[] }; labels: Float32Array } {
  const labels = new Float32Array(rows.length);
  const day = new Int32Array(rows.length);
  const customer = new Int32Array(rows.length);
  rows.forEach((i, r) => {
    labels[r] = p.cols.label[i] === 1 ? 1 : 0;
    day[r] = p.cols.day[i];
    customer[r] = p.cols.customer[i];
  });
  const scored = { n: rows.length, day, customer, score: scores, label: labels };
  const pk = precisionAtKPerDay(scored, k);
  const hasCards = customer.some((c) => c >= 0);
  const cpk = hasCards ? cardPrecisionAtKPerDay(scored, k) : { perDay: [], mean: null };
  return {
    metrics: {
      auc: rocAuc(scores, labels),
      ap: averagePrecision(scores, labels),
      precisionAtK: pk.mean,
      cardPrecisionAtK: cpk.mean,
    },
    daily: {
      pk: pk.perDay.map((v) => ({ ...v, date: '' })),
      cpk: cpk.perDay.map((v) => ({ day: v.day, value: v.value, date: '' })),
    },
    labels,
  };
}

function summarise(list: EvaluationMetrics[]): Record<MetricName, MetricSummary> {
  const out = {} as Record<MetricName, MetricSummary>;
  for (const m of METRIC_NAMES) {
    const values = list.map((e) => e[m]);
    const s = meanStd(values);
    out[m] = { mean: s.mean, std: s.std, values };
  }
  return out;
}

function chooseHidden(candidates: SelectionCandidate[], cfg: FraudTrainConfig): number[] {
  if (candidates.length === 0) return cfg.hiddenCandidates[0];
  const key = (c: SelectionCandidate) => c.metrics[cfg.selectBy].mean ?? c.metrics.ap.mean ?? Number.NEGATIVE_INFINITY;
  return candidates.reduce((best, c) => (key(c) > key(best) ? c : best)).hidden;
}

type TestModels = { results: ModelResult[]; deployed: { fitted: Fitted; seed: number; metrics: EvaluationMetrics } };

async function evaluateOnTest(
  p: Prepared,
  train: number[],
  test: number[],
  cfg: FraudTrainConfig,
  hidden: number[],
  ctx: TrainContext,
  progress: ProgressPlan,
): Promise<TestModels> {
  const seeds = Array.from({ length: cfg.seeds }, (_, i) => cfg.seed + 1000 * i);
  const results: ModelResult[] = [];
  const dated = (pts: DailyPoint[]) => pts.map((v) => ({ ...v, date: dayDate(p.startMs, v.day) }));

  // Baseline without training: the amount itself as the score.
  {
    const amountScores = test.map((i) => p.cols.amount[i]);
    const e = evaluate(p, test, amountScores, cfg.k);
    results.push({
      id: 'amount-rule',
      label: 'Amount rule (score = amount)',
      kind: 'baseline',
      family: 'rule',
      strategy: null,
      hidden: null,
      seeds: [],
      metrics: summarise([e.metrics]),
      charts: {
        roc: rocCurve(amountScores, e.labels),
        pr: prCurve(amountScores, e.labels),
        dailyPrecisionAtK: dated(e.daily.pk),
        dailyCardPrecisionAtK: dated(e.daily.cpk),
      },
      syntheticFrauds: null,
      notes: [],
      trainSeconds: 0,
    });
  }

  const runs: {
    spec: ClassifierSpec;
    strategy: ImbalanceStrategy;
    id: string;
    label: string;
    kind: ModelResult['kind'];
  }[] = [
    { spec: { family: 'logreg' }, strategy: 'none', id: 'logreg', label: 'Logistic regression', kind: 'baseline' },
    ...cfg.strategies.map((s) => ({
      spec: { family: 'ffn' as const, hidden, dropout: cfg.dropout },
      strategy: s,
      id: `ffn-${s}`,
      label: `Feed-forward net [${hidden.join(', ')}], ${STRATEGY_LABELS[s]}`,
      kind: 'model' as const,
    })),
  ];
  let deployed: TestModels['deployed'] | null = null;
  for (const run of runs) {
    const perSeed: EvaluationMetrics[] = [];
    const synthetic: number[] = [];
    const notes = new Set<string>();
    let charts: ModelResult['charts'] | null = null;
    let seconds = 0;
    for (const seed of seeds) {
      const fitted = await fitAndScore(p, train, test, run.spec, cfg, run.strategy, seed, ctx, (e) =>
        progress.step('test', `${run.label}, seed ${seed}`, e),
      );
      progress.done();
      seconds += fitted.seconds;
      const e = evaluate(p, test, fitted.scores, cfg.k);
      perSeed.push(e.metrics);
      synthetic.push(fitted.syntheticFrauds);
      if (fitted.note) notes.add(fitted.note);
      if (charts === null) {
        charts = {
          roc: rocCurve(fitted.scores, e.labels),
          pr: prCurve(fitted.scores, e.labels),
          dailyPrecisionAtK: dated(e.daily.pk),
          dailyCardPrecisionAtK: dated(e.daily.cpk),
        };
      }
      if (run.spec.family === 'ffn' && run.strategy === cfg.primary && deployed === null) {
        deployed = { fitted, seed, metrics: e.metrics };
      }
    }
    results.push({
      id: run.id,
      label: run.label,
      kind: run.kind,
      family: run.spec.family,
      strategy: run.spec.family === 'ffn' ? run.strategy : null,
      hidden: run.spec.family === 'ffn' ? hidden : null,
      seeds,
      metrics: summarise(perSeed),
      charts: charts!,
      syntheticFrauds: run.strategy === 'gan' ? synthetic : null,
      notes: [...notes],
      trainSeconds: seconds,
    });
  }
  return { results, deployed: deployed! };
}

function labelSources(cols: TransactionColumns, rows: number[]): Record<'simulator' | 'import' | 'triage', number> {
  const out = { simulator: 0, import: 0, triage: 0 };
  for (const i of rows) {
    const s = cols.labelSource[i];
    if (s === LABEL_SOURCE_CODES.simulator) out.simulator++;
    else if (s === LABEL_SOURCE_CODES.import) out.import++;
    else if (s === LABEL_SOURCE_CODES.triage) out.triage++;
  }
  return out;
}

function ganComparison(results: ModelResult[]): FraudTrainingReport['ganVsClassWeights'] {
  const gan = results.find((r) => r.id === 'ffn-gan');
  const cw = results.find((r) => r.id === 'ffn-classWeights');
  if (!gan || !cw) return null;
  const delta = {} as Record<MetricName, MetricSummary>;
  for (const m of METRIC_NAMES) {
    const values = gan.metrics[m].values.map((g, i) => {
      const c = cw.metrics[m].values[i];
      return g === null || c === null ? null : g - c;
    });
    const s = meanStd(values);
    delta[m] = { mean: s.mean, std: s.std, values };
  }
  const dAp = delta.ap;
  // "helps" only when the average gain in AP is positive and larger than its seed-to-seed spread
  const helps = dAp.mean !== null && dAp.std !== null && dAp.mean > 0 && dAp.mean > dAp.std;
  const f = (v: number | null) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);
  const seeds = dAp.values.length;
  const summary = helps
    ? `GAN oversampling helped on this split: average precision ${f(dAp.mean)} ± ${dAp.std?.toFixed(3)} over class weights (${seeds} seeds; AUC ${f(delta.auc.mean)}, card precision@k ${f(delta.cardPrecisionAtK.mean)}).`
    : `GAN oversampling did not clearly help on this split: average precision ${f(dAp.mean)} ± ${dAp.std?.toFixed(3) ?? 'n/a'} against class weights (${seeds} seeds; AUC ${f(delta.auc.mean)}, card precision@k ${f(delta.cardPrecisionAtK.mean)}).`;
  return { delta, helps, summary };
}

async function finish(
  db: Db,
  ds: FraudDataset,
  cfg: FraudTrainConfig,
  ctx: TrainContext,
  p: Prepared,
  trainRows: number[],
  models: TestModels,
  started: number,
  parts: Pick<FraudTrainingReport, 'split' | 'labelSources' | 'selection' | 'note'> & {
    trainedOn: Period;
    alertDays: [number, number];
  },
): Promise<FraudTrainingReport> {
  const { deployed } = models;
  const runName = cfg.name ?? `${ds.name}: ${STRATEGY_LABELS[cfg.primary]} net`;
  const runId = newId();

  // Scores of the alert days, computed before the write transaction (which must not wait on progress reports).
  let scored: { transactionId: number; day: number; score: number }[] = [];
  if (cfg.alerts) {
    await ctx.report?.({ stage: 'alerts', pct: 96, message: 'scoring the test days and raising alerts' });
    const [fromDay, toDay] = parts.alertDays;
    const rows: number[] = [];
    for (let day = fromDay; day < toDay; day++) {
      const r = p.dayRange.get(day);
      if (r) for (let i = r[0]; i < r[1]; i++) rows.push(i);
    }
    const { x } = gather(p, rows);
    const scores = predictScores(
      deployed.fitted.model,
      applyScaler(x, rows.length, p.d, deployed.fitted.scaler),
      rows.length,
      p.d,
    );
    scored = rows.map((i, r) => ({ transactionId: p.cols.id[i], day: p.cols.day[i], score: scores[r] }));
  }

  const primary = models.results.find((r) => r.id === `ffn-${cfg.primary}`)!;
  const ganVsClassWeights = ganComparison(models.results);
  // The model, its scores and alerts, and the run are stored together or not at all.
  return inTransaction(db, async (trx) => {
    const modelId = await saveFraudModel(trx, {
      name: runName,
      model: deployed.fitted.model,
      manifest: {
        kind: 'fraud-classifier',
        fraudDatasetId: ds.id,
        featureSet: ds.source === 'ulb' ? 'ulb' : 'handbook',
        featureNames: p.featureNames,
        scaler: deployed.fitted.scaler,
        delayDays: cfg.delayDays,
        family: 'ffn',
        strategy: cfg.primary,
        hidden: parts.selection.chosenHidden,
        dropout: cfg.dropout,
        seed: deployed.seed,
        trainedOn: {
          fromDay: parts.trainedOn.fromDay,
          toDay: parts.trainedOn.toDay,
          rows: trainRows.length,
          frauds: parts.trainedOn.frauds,
        },
        runId,
      },
      metrics: { ...deployed.metrics },
      jobId: ctx.jobId ?? null,
      createdBy: ctx.createdBy,
      datasetId: ds.datasetId,
    });
    let alerts: FraudTrainingReport['alerts'] = null;
    if (cfg.alerts) {
      await upsertFraudScores(trx, modelId, scored);
      const created = await createTopKAlerts(trx, {
        datasetId: ds.id,
        modelId,
        rows: scored,
        perDay: cfg.alerts.perDay,
        userId: ctx.createdBy,
      });
      alerts = { created, perDay: cfg.alerts.perDay, fromDay: parts.alertDays[0], toDay: parts.alertDays[1] };
    }
    const result: FraudTrainingReport = {
      runId,
      modelId,
      datasetId: ds.id,
      datasetName: ds.name,
      source: ds.source,
      note: parts.note,
      config: cfg,
      featureNames: p.featureNames,
      k: cfg.k,
      split: parts.split,
      labelSources: parts.labelSources,
      selection: parts.selection,
      models: models.results,
      ganVsClassWeights,
      deployed: {
        modelId,
        strategy: cfg.primary,
        hidden: parts.selection.chosenHidden,
        seed: deployed.seed,
        metrics: deployed.metrics,
      },
      alerts,
      handbookReference: HANDBOOK_REFERENCE,
      metricDefinitions: METRIC_DEFINITIONS,
      durationSeconds: (Date.now() - started) / 1000,
    };
    await insertFraudRun(trx, {
      id: runId,
      datasetId: ds.id,
      jobId: ctx.jobId ?? null,
      modelId,
      name: runName,
      config: cfg as unknown as Record<string, unknown>,
      summary: {
        auc: primary.metrics.auc.mean,
        ap: primary.metrics.ap.mean,
        precisionAtK: primary.metrics.precisionAtK.mean,
        cardPrecisionAtK: primary.metrics.cardPrecisionAtK.mean,
        k: cfg.k,
        testFromDay: parts.split.test.fromDay,
        testToDay: parts.split.test.toDay,
        triageLabelsInTraining: parts.labelSources.train.triage,
        ganHelps: ganVsClassWeights?.helps ?? null,
      },
      result,
      createdBy: ctx.createdBy,
    });
    return result;
  }).then(async (result) => {
    await ctx.report?.({ stage: 'done', pct: 100, message: 'finished' });
    return result;
  });
}
