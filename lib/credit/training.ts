// The whole training run of a credit model: cross-validation of the chosen model and its baselines over several
// seeds, choice and cross-fitted evaluation of the calibration, the cut-off policy and fairness on held-out PDs,
// then the final network trained on every row, calibrated on the out-of-fold scores, with the training population's
// statistics for monitoring and a model card. Returns the bundle, the packed network and a JSON report (metrics
// with spread, chart data).

import { mean, sampleStd } from '../metrics/moments';
import { type Module, Rng } from '../nn';
import type { ApplicationTable } from './applicationsCsv';
import { type CalibrationMethod, type Calibrator, calibrate, fitCalibrator, sigmoid } from './calibration';
import { type Hyper, MODEL_KIND_LABELS, type ModelKind, rawScores, resolveHyper, trainClassifier } from './classifiers';
import {
  type CreditModelBundle,
  DEFAULT_SCALE,
  type MetricSpread,
  type ModelCard,
  packCreditModel,
  pdToScore,
  type ScoreScale,
} from './creditModel';
import { type CvProgress, type CvResult, crossValidate } from './crossValidation';
import { GERMAN_ATTRIBUTES, GERMAN_COSTS } from './germanCodes';
import {
  type ClassMetrics,
  type ConfusionMatrix,
  classHistogram,
  classMetrics,
  ECE_BINS,
  type HistogramBin,
  type KsPoint,
  ksCurve,
  type MetricName,
  type ReliabilityBin,
  type RocPoint,
  reliabilityBins,
  rocCurve,
  type Spread,
} from './metrics';
import { defaultGroupings, type FairnessReport, fairnessReport, type GroupBy, populationStats } from './monitoring';
import { choosePolicy, DEFAULT_POLICY, decide, type Policy, type PolicyConfig } from './policy';
import { fitPreprocessor, type PreprocessOptions, type Preprocessor, transformRows } from './preprocess';
import { referenceApplicant } from './reasons';

export type TrainCreditConfig = {
  kind: ModelKind;
  hyper?: Hyper;
  /** default 5 */
  folds?: number;
  /** default [1, 2, 3]; the final model is trained with the first */
  seeds?: number[];
  preprocess?: PreprocessOptions;
  /** 'auto' (default) picks the method with the lower cross-fitted log loss */
  calibration?: CalibrationMethod | 'auto';
  /** default: the UCI German cost matrix 5 : 1 with a ±0.05 refer band */
  policy?: PolicyConfig;
  /** models cross-validated beside this one (default logistic regression and the perceptron) */
  baselines?: ModelKind[];
  scale?: ScoreScale;
  /** fairness attributes (default: age bands and sex when such columns exist) */
  fairness?: GroupBy[];
  name?: string;
  dataset?: { id: string | null; name: string; source: string; synthetic: boolean };
};

export type TrainProgress = {
  stage: 'cv' | 'final' | 'done';
  /** 0–100 over the whole run */
  pct: number;
  message: string;
  kind?: ModelKind;
  fold?: number;
  folds?: number;
  seed?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
};

export type TrainCreditHooks = {
  /** often (every epoch); keep it cheap */
  onProgress?: (p: TrainProgress) => void;
  /** awaited after every fold and stage */
  checkpoint?: () => Promise<void>;
  signal?: AbortSignal;
  onPreprocessorFit?: (info: { seed: number; fold: number; trainRows: number[]; preprocessor: Preprocessor }) => void;
};

type MetricTable = Record<MetricName, Spread>;

export type ModelEvaluation = {
  kind: ModelKind;
  label: string;
  role: 'model' | 'baseline';
  /** held-out metrics per fold, mean ± std over folds × seeds: uncalibrated σ(z), and after each calibration */
  perFold: { raw: MetricTable; calibrated: Partial<Record<CalibrationMethod, MetricTable>> };
  /** metrics of each seed's pooled out-of-fold predictions, mean ± std over seeds */
  pooled: { raw: MetricTable; calibrated: Partial<Record<CalibrationMethod, MetricTable>> };
  folds: { seed: number; fold: number; nTrain: number; nTest: number; epochs: number; auc: number; ece: number }[];
};

export type CreditTrainingReport = {
  modelKind: ModelKind;
  modelLabel: string;
  folds: number;
  seeds: number[];
  data: { rows: number; bads: number; badRate: number; features: number; encodedColumns: number };
  /** this model first, then the baselines */
  models: ModelEvaluation[];
  /** headline figures of this model: AUC etc. from per-fold raw scores, calibration figures from pooled OOF */
  headline: {
    auc: MetricSpread;
    gini: MetricSpread;
    ks: MetricSpread;
    prAuc: MetricSpread;
    brier: MetricSpread;
    logLoss: MetricSpread;
    eceBefore: MetricSpread;
    eceAfter: MetricSpread;
  };
  calibration: {
    method: CalibrationMethod;
    chosenBy: 'auto' | 'user';
    bins: number;
    /** pooled cross-fitted figures of every method tried (mean over seeds) */
    candidates: Partial<Record<CalibrationMethod, { logLoss: number; brier: number; ece: number }>>;
  };
  /** chart data from the first seed's out-of-fold predictions of this model */
  charts: {
    roc: RocPoint[];
    ks: KsPoint[];
    reliabilityBefore: ReliabilityBin[];
    reliabilityAfter: ReliabilityBin[];
    pdHistogram: HistogramBin[];
    scoreHistogram: HistogramBin[];
    confusion: ConfusionMatrix;
  };
  policy: Policy;
  fairness: FairnessReport[];
  final: { epochs: number; stopReason: string; trainingSeconds: number };
};

export type TrainedCreditModel = {
  bundle: CreditModelBundle;
  net: Module;
  /** packed lib/nn model file (manifest + weights), for the models table's artifact */
  file: Uint8Array;
  report: CreditTrainingReport;
  /** flat headline numbers for the models table's metrics column */
  metrics: Record<string, number>;
};

const pickSpread = (s: Spread): MetricSpread => ({ mean: s.mean, std: s.std, n: s.n });

function evaluation(cv: CvResult, role: 'model' | 'baseline'): ModelEvaluation {
  return {
    kind: cv.kind,
    label: MODEL_KIND_LABELS[cv.kind],
    role,
    perFold: cv.perFold,
    pooled: cv.pooled,
    folds: cv.foldResults.map((f) => ({
      seed: f.seed,
      fold: f.fold,
      nTrain: f.nTrain,
      nTest: f.nTest,
      epochs: f.training.epochs,
      auc: f.raw.auc,
      ece: f.raw.ece,
    })),
  };
}

function isGermanSchema(table: ApplicationTable): boolean {
  return GERMAN_ATTRIBUTES.every((a) => table.features.some((f) => f.name === a.name));
}

/** Trains, evaluates and packages a credit model on the table. */
export async function trainCreditModel(
  table: ApplicationTable,
  config: TrainCreditConfig,
  hooks: TrainCreditHooks = {},
): Promise<TrainedCreditModel> {
  const folds = config.folds ?? 5;
  const seeds = config.seeds ?? [1, 2, 3];
  if (seeds.length === 0) throw new Error('trainCreditModel: at least one seed is needed');
  const hyper = resolveHyper(config.hyper);
  const kinds: ModelKind[] = [
    config.kind,
    ...(config.baselines ?? ['logistic', 'perceptron']).filter((k) => k !== config.kind),
  ];
  const started = Date.now();
  const totalUnits = kinds.length * seeds.length * folds + folds; // the final fit counts as one fold-sized unit per fold
  let unitsDone = 0;
  const report = (p: Omit<TrainProgress, 'pct'>, within = 0) =>
    hooks.onProgress?.({ ...p, pct: Math.min(100, (100 * (unitsDone + within)) / totalUnits) });

  // 1. cross-validation of the model and its baselines
  const cvs: CvResult[] = [];
  for (const kind of kinds) {
    cvs.push(
      await crossValidate(
        table,
        { kind, hyper, folds, seeds, preprocess: config.preprocess, calibrations: ['platt', 'isotonic'] },
        {
          signal: hooks.signal,
          onPreprocessorFit: hooks.onPreprocessorFit,
          onEpoch: (p: CvProgress) =>
            report(
              {
                stage: 'cv',
                message: `${MODEL_KIND_LABELS[kind]}: seed ${p.seed} (${p.seedIndex + 1}/${p.seeds}), fold ${p.fold}/${p.folds}, epoch ${p.epoch}`,
                kind,
                fold: p.fold,
                folds: p.folds,
                seed: p.seed,
                epoch: p.epoch,
                epochs: p.epochs,
                loss: p.loss,
                valLoss: p.valLoss ?? undefined,
              },
              p.epoch / p.epochs,
            ),
          checkpoint: async (done) => {
            unitsDone++;
            report({
              stage: 'cv',
              message: `${MODEL_KIND_LABELS[kind]}: fold ${done.fold}/${done.folds} of seed ${done.seedIndex + 1}/${seeds.length} done`,
              kind,
              fold: done.fold,
              folds: done.folds,
            });
            await hooks.checkpoint?.();
          },
        },
      ),
    );
  }
  const main = cvs[0];

  // 2. calibration method: the lower pooled, cross-fitted log loss unless the user chose one
  const candidates: CreditTrainingReport['calibration']['candidates'] = {};
  for (const m of ['platt', 'isotonic'] as const) {
    const t = main.pooled.calibrated[m];
    if (t) candidates[m] = { logLoss: t.logLoss.mean, brier: t.brier.mean, ece: t.ece.mean };
  }
  const method: CalibrationMethod =
    config.calibration && config.calibration !== 'auto'
      ? config.calibration
      : (candidates.isotonic?.logLoss ?? Number.POSITIVE_INFINITY) <
          (candidates.platt?.logLoss ?? Number.POSITIVE_INFINITY)
        ? 'isotonic'
        : 'platt';
  const run0 = main.runs[0];
  const rawPd0 = Float64Array.from(run0.z, (v) => sigmoid(v));
  // held-out calibrated PDs of the first seed (cross-fitted; 'none' is σ(z))
  const pd0 = method === 'none' ? rawPd0 : (run0.pd[method] as Float64Array);
  const pooledAfter = (run: CvResult['runs'][number]): ClassMetrics =>
    classMetrics(method === 'none' ? Array.from(run.z, (v) => sigmoid(v)) : (run.pd[method] as Float64Array), table.y);
  const afterPerSeed = main.runs.map(pooledAfter);
  const spreadOf = (xs: number[]): MetricSpread => ({ mean: mean(xs), std: sampleStd(xs), n: xs.length });

  // 3. policy and fairness on held-out calibrated PDs
  const policyConfig: PolicyConfig =
    config.policy ?? (isGermanSchema(table) ? { mode: 'cost', ...GERMAN_COSTS, referWidth: 0.05 } : DEFAULT_POLICY);
  const policy = choosePolicy(policyConfig, pd0, table.y);
  const decisions = Array.from(pd0, (p) => decide(policy, p));
  const groupings = config.fairness ?? defaultGroupings(table.features);
  const fairness = groupings.map((g) => fairnessReport(table.rows, decisions, g));

  // 4. the final network on every row, calibrated on the out-of-fold scores of all seeds
  report({
    stage: 'final',
    message: `Training the final ${MODEL_KIND_LABELS[config.kind]} on all ${table.rows.length} rows`,
  });
  const finalStart = Date.now();
  const pre = fitPreprocessor(table.features, table.rows, table.y, config.preprocess);
  const d = pre.columns.length;
  const x = transformRows(pre, table.rows);
  const finalSeed = new Rng(seeds[0]).fork().nextU32();
  const { net, summary } = await trainClassifier(config.kind, x, table.y, d, hyper, finalSeed, {
    signal: hooks.signal,
    onEpoch: (e) =>
      report(
        {
          stage: 'final',
          message: `Final model: epoch ${e.epoch}`,
          kind: config.kind,
          epoch: e.epoch,
          epochs: e.epochs,
          loss: e.loss,
          valLoss: e.valLoss ?? undefined,
        },
        (folds * e.epoch) / e.epochs,
      ),
  });
  const trainingSeconds = (Date.now() - finalStart) / 1000;
  const allZ: number[] = [];
  const allY: number[] = [];
  for (const r of main.runs) {
    allZ.push(...r.z);
    allY.push(...table.y);
  }
  const calibrator: Calibrator = fitCalibrator(method, allZ, allY);
  const zFinal = rawScores(net, x, table.rows.length, d);
  const scale = config.scale ?? DEFAULT_SCALE;
  const trainScores = Array.from(zFinal, (v) => pdToScore(calibrate(calibrator, v), scale));
  const population = populationStats(table.features, table.rows, trainScores);
  const reference = referenceApplicant(table.features, table.rows);
  await hooks.checkpoint?.();

  // 5. report, card, bundle
  const bads = table.y.reduce((a, b) => a + b, 0);
  const headline = {
    auc: pickSpread(main.perFold.raw.auc),
    gini: pickSpread(main.perFold.raw.gini),
    ks: pickSpread(main.perFold.raw.ks),
    prAuc: pickSpread(main.perFold.raw.prAuc),
    brier: spreadOf(afterPerSeed.map((m) => m.brier)),
    logLoss: spreadOf(afterPerSeed.map((m) => m.logLoss)),
    eceBefore: pickSpread(main.pooled.raw.ece),
    eceAfter: spreadOf(afterPerSeed.map((m) => m.ece)),
  };
  const scores0 = Array.from(pd0, (p) => pdToScore(p, scale));
  const result: CreditTrainingReport = {
    modelKind: config.kind,
    modelLabel: MODEL_KIND_LABELS[config.kind],
    folds,
    seeds,
    data: {
      rows: table.rows.length,
      bads,
      badRate: bads / table.rows.length,
      features: table.features.length,
      encodedColumns: d,
    },
    models: cvs.map((cv, i) => evaluation(cv, i === 0 ? 'model' : 'baseline')),
    headline,
    calibration: {
      method,
      chosenBy: config.calibration && config.calibration !== 'auto' ? 'user' : 'auto',
      bins: ECE_BINS,
      candidates,
    },
    charts: {
      roc: rocCurve(rawPd0, table.y),
      ks: ksCurve(rawPd0, table.y),
      reliabilityBefore: reliabilityBins(rawPd0, table.y),
      reliabilityAfter: reliabilityBins(pd0, table.y),
      pdHistogram: classHistogram(pd0, table.y, 20, { lo: 0, hi: 1 }),
      scoreHistogram: classHistogram(scores0, table.y, 20),
      confusion: policy.evaluation.confusion,
    },
    policy,
    fairness,
    final: { epochs: summary.epochs, stopReason: summary.stopReason, trainingSeconds },
  };

  const createdAt = Date.now();
  const dataset = config.dataset ?? { id: null, name: 'applications', source: 'upload', synthetic: false };
  const card: ModelCard = {
    title: config.name ?? `${MODEL_KIND_LABELS[config.kind]} on ${dataset.name}`,
    modelKind: config.kind,
    modelLabel: MODEL_KIND_LABELS[config.kind],
    createdAt,
    data: {
      datasetId: dataset.id,
      datasetName: dataset.name,
      source: dataset.source,
      synthetic: dataset.synthetic,
      rows: table.rows.length,
      bads,
      badRate: bads / table.rows.length,
      target: table.target,
      badValue: table.badValue,
      features: table.features.map((f) => ({ name: f.name, label: f.label, kind: f.kind })),
      ignored: table.ignored.map((g) => ({ name: g.name, reason: g.reason })),
    },
    intendedUse:
      'Estimating the probability that a loan application of the kind in the training data goes bad, to support ' +
      'an approve / refer / decline decision that a credit officer can review, with the reasons shown.',
    notIntendedFor: [
      'Applicants or products unlike the training population (check the stability report first).',
      'Fully automated declines without human review of referred and declined cases.',
      'Pricing, limits or collections: the model was trained only to separate good from bad loans.',
    ],
    evaluation: {
      folds,
      seeds,
      metrics: cvs.map((cv, i) => ({
        kind: cv.kind,
        label: MODEL_KIND_LABELS[cv.kind],
        role: i === 0 ? ('model' as const) : ('baseline' as const),
        auc: pickSpread(cv.perFold.raw.auc),
        gini: pickSpread(cv.perFold.raw.gini),
        ks: pickSpread(cv.perFold.raw.ks),
        prAuc: pickSpread(cv.perFold.raw.prAuc),
        brier: pickSpread((cv.perFold.calibrated[method] ?? cv.perFold.raw).brier),
        ece: pickSpread((cv.pooled.calibrated[method] ?? cv.pooled.raw).ece),
      })),
    },
    calibration: { method, eceBefore: headline.eceBefore.mean, eceAfter: headline.eceAfter.mean, bins: ECE_BINS },
    policy: {
      mode: policy.mode,
      approveBelow: policy.approveBelow,
      declineFrom: policy.declineFrom,
      costs: policy.costs,
      approvalRate: policy.evaluation.approvalRate,
      referRate: policy.evaluation.referRate,
      declineRate: policy.evaluation.declineRate,
      expectedCost: policy.evaluation.expectedCost,
      approveAllCost: policy.evaluation.approveAllCost,
      declineAllCost: policy.evaluation.declineAllCost,
    },
    fairness,
    limitations: [
      `Trained on ${table.rows.length} applications (${bads} bad); with this few, metrics vary by ± the spreads shown.`,
      'Only approved loans have outcomes (reject inference is not done), so the data under-represents risky applicants.',
      'The final network is trained on all rows and calibrated on the cross-validated scores of networks trained on ' +
        `${Math.round((100 * (folds - 1)) / folds)} % of them; its scores can differ slightly from theirs.`,
      'Reason codes compare the applicant with a typical training applicant (median / most frequent values), one ' +
        'field at a time; interactions between fields are not split out.',
      ...(dataset.synthetic ? ['The training data is synthetic: figures say nothing about real applicants.'] : []),
      ...fairness
        .filter((f) => f.passesFourFifths === false)
        .map(
          (f) =>
            `Approval rates by ${f.attribute} fail the four-fifths rule on held-out data (lowest ratio ${f.minRatio?.toFixed(2)}).`,
        ),
    ],
  };
  const bundle: CreditModelBundle = {
    format: 'neuralfin-credit',
    version: 1,
    kind: config.kind,
    hyper,
    seed: finalSeed,
    features: table.features,
    target: table.target,
    badValue: table.badValue,
    goodValues: table.goodValues,
    preprocessor: pre,
    calibrator,
    policy,
    scale,
    reference,
    population,
    card,
  };
  const { file } = packCreditModel(net, bundle);
  const logistic = cvs.find((c) => c.kind === 'logistic');
  const metrics: Record<string, number> = {
    auc: headline.auc.mean,
    aucStd: headline.auc.std,
    gini: headline.gini.mean,
    ks: headline.ks.mean,
    ece: headline.eceAfter.mean,
    brier: headline.brier.mean,
    ...(logistic && config.kind !== 'logistic' ? { logisticAuc: logistic.perFold.raw.auc.mean } : {}),
    approvalRate: policy.evaluation.approvalRate,
  };
  unitsDone = totalUnits;
  report({
    stage: 'done',
    message: `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: AUC ${headline.auc.mean.toFixed(3)} ± ${headline.auc.std.toFixed(3)}`,
  });
  return { bundle, net, file, report: result, metrics };
}
