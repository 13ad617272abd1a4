// A trained credit model as saved and as used: the bundle (plain JSON: schema, preprocessing, calibration, policy,
// score scale, reference applicant, training-population statistics, model card) plus the lib/nn network.
// Score scale (points to double the odds): score = offset + factor·ln(odds), odds = (1 − PD) / PD (good : bad),
// factor = pdo / ln 2, offset = baseScore − factor·ln(baseOdds). Default: 600 points at odds 50 : 1, 20 points to
// double the odds — so PD 1/51 ≈ 2 % scores 600, odds 25 : 1 (PD ≈ 3.8 %) scores 580, higher is safer.

import {
  loadModel,
  type ModelManifest,
  type Module,
  packModelFile,
  Rng,
  type SavedModel,
  saveModel,
  unpackModelFile,
} from '../nn';
import { type Calibrator, calibrate, sigmoid } from './calibration';
import { type Hyper, type ModelKind, rawScores } from './classifiers';
import type { FairnessReport, PopulationStats } from './monitoring';
import type { Policy } from './policy';
import { type Preprocessor, transformRows } from './preprocess';
import type { RawScorer } from './reasons';
import type { Application, FeatureSpec } from './types';

export type ScoreScale = {
  /** points at baseOdds */
  baseScore: number;
  /** odds good : bad that score baseScore */
  baseOdds: number;
  /** points to double the odds */
  pdo: number;
};

export const DEFAULT_SCALE: ScoreScale = { baseScore: 600, baseOdds: 50, pdo: 20 };

export function pdToScore(pd: number, scale: ScoreScale = DEFAULT_SCALE): number {
  const factor = scale.pdo / Math.LN2;
  const offset = scale.baseScore - factor * Math.log(scale.baseOdds);
  return offset + factor * Math.log((1 - pd) / pd);
}

/** A metric's mean ± std over folds (or seeds) with the number of values. */
export type MetricSpread = { mean: number; std: number; n: number };

/** Everything a person reading the model page needs, as plain data. */
export type ModelCard = {
  title: string;
  modelKind: ModelKind;
  modelLabel: string;
  createdAt: number;
  data: {
    datasetId: string | null;
    datasetName: string;
    source: string;
    synthetic: boolean;
    rows: number;
    bads: number;
    badRate: number;
    target: string;
    badValue: string;
    features: { name: string; label: string; kind: string }[];
    ignored: { name: string; reason: string }[];
  };
  intendedUse: string;
  notIntendedFor: string[];
  evaluation: {
    folds: number;
    seeds: number[];
    /** held-out metrics of this model and each baseline: mean ± std over folds × seeds */
    metrics: {
      kind: ModelKind;
      label: string;
      role: 'model' | 'baseline';
      auc: MetricSpread;
      gini: MetricSpread;
      ks: MetricSpread;
      prAuc: MetricSpread;
      brier: MetricSpread;
      ece: MetricSpread;
    }[];
  };
  calibration: { method: string; eceBefore: number; eceAfter: number; bins: number };
  policy: {
    mode: string;
    approveBelow: number;
    declineFrom: number;
    costs: { badApproved: number; goodDeclined: number; referral: number };
    approvalRate: number;
    referRate: number;
    declineRate: number;
    expectedCost: number;
    approveAllCost: number;
    declineAllCost: number;
  };
  fairness: FairnessReport[];
  limitations: string[];
};

export type CreditModelBundle = {
  format: 'neuralfin-credit';
  version: 1;
  kind: ModelKind;
  hyper: Required<Hyper>;
  seed: number;
  features: FeatureSpec[];
  target: string;
  badValue: string;
  goodValues: string[];
  preprocessor: Preprocessor;
  calibrator: Calibrator;
  policy: Policy;
  scale: ScoreScale;
  /** the typical training applicant, against whom reason codes are computed */
  reference: Application;
  population: PopulationStats;
  card: ModelCard;
};

/** A model ready to score: its bundle and its network (in eval mode). */
export type CreditModel = {
  /** row id in the models table (null before it is saved) */
  id: string | null;
  name: string;
  createdAt: number;
  bundle: CreditModelBundle;
  net: Module;
  /** the network's own manifest (architecture, checksum) */
  network: ModelManifest;
};

/** Raw scores z of applications (already validated) under the model. */
export function modelScorer(model: Pick<CreditModel, 'bundle' | 'net'>): RawScorer {
  const pre = model.bundle.preprocessor;
  const d = pre.columns.length;
  return (apps) => rawScores(model.net, transformRows(pre, apps), apps.length, d);
}

export type Prediction = { z: number; rawPd: number; pd: number; score: number };

export function predictApplications(
  model: Pick<CreditModel, 'bundle' | 'net'>,
  apps: readonly Application[],
): Prediction[] {
  const z = modelScorer(model)(apps);
  return Array.from(z, (v) => {
    const pd = calibrate(model.bundle.calibrator, v);
    return { z: v, rawPd: sigmoid(v), pd, score: pdToScore(pd, model.bundle.scale) };
  });
}

/** Serialises a trained network with the bundle: the manifest carries the bundle (without the card), so the file
 * alone can be scored elsewhere. */
export function packCreditModel(net: Module, bundle: CreditModelBundle): { saved: SavedModel; file: Uint8Array } {
  const { card: _card, population: _population, ...core } = bundle;
  const saved = saveModel(net, {
    config: JSON.parse(JSON.stringify(core)),
    preprocessing: JSON.parse(JSON.stringify(bundle.preprocessor)),
    seed: bundle.seed,
  });
  return { saved, file: packModelFile(saved) };
}

/** Rebuilds the runtime model from a stored bundle and packed network file (checksum verified). */
export function unpackCreditModel(
  meta: { id: string | null; name: string; createdAt: number },
  bundle: CreditModelBundle,
  file: Uint8Array,
): CreditModel {
  if (bundle?.format !== 'neuralfin-credit') throw new Error('not a NeuralFin credit model');
  if (bundle.version !== 1) throw new Error(`credit model version ${bundle.version} is not supported (expected 1)`);
  const saved = unpackModelFile(file);
  // the weights are replaced by the file's; the Rng only fills them first
  const net = loadModel(saved.manifest, saved.weights, new Rng(0));
  return { ...meta, bundle, net, network: saved.manifest };
}
