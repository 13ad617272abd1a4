// Trained fraud classifiers in the store: the engine's model file (architecture + weights + checksum) as the models
// row's artifact, and a manifest with what scoring needs (feature set and order, the training scaler, the delay),
// plus a small in-process cache of loaded scorers (models are immutable once stored).

import type { Module } from '../nn/module';
import { loadModel, packModelFile, saveModel, unpackModelFile } from '../nn/persistence';
import { Rng } from '../nn/rng';
import type { Db } from '../store/db';
import { writeAudit } from '../store/repos/audit';
import { createModel, getModel, getModelArtifact } from '../store/repos/models';
import type { ImbalanceStrategy, Scaler } from './models';
import { applyScaler, predictScores } from './models';

export type FeatureSet = 'handbook' | 'ulb';

export type FraudModelManifest = {
  kind: 'fraud-classifier';
  fraudDatasetId: string;
  featureSet: FeatureSet;
  featureNames: string[];
  /** fit on the training rows only */
  scaler: Scaler;
  /** the feedback delay of the terminal features (handbook feature set) */
  delayDays: number;
  family: 'logreg' | 'ffn';
  strategy: ImbalanceStrategy;
  hidden: number[];
  dropout: number;
  seed: number;
  trainedOn: { fromDay: number; toDay: number; rows: number; frauds: number };
  runId: string | null;
  engine: { engineVersion: string; formatVersion: number; checksum: string };
};

export async function saveFraudModel(
  db: Db,
  input: {
    name: string;
    model: Module;
    manifest: Omit<FraudModelManifest, 'engine'>;
    metrics: Record<string, number | null>;
    jobId: string | null;
    createdBy: string | null;
    datasetId: string | null;
  },
): Promise<string> {
  const saved = saveModel(input.model, {
    config: { family: input.manifest.family, strategy: input.manifest.strategy, hidden: input.manifest.hidden },
    preprocessing: { featureNames: input.manifest.featureNames, scaler: input.manifest.scaler },
    seed: input.manifest.seed,
    metrics: input.metrics,
  });
  const manifest: FraudModelManifest = {
    ...input.manifest,
    engine: {
      engineVersion: saved.manifest.engineVersion,
      formatVersion: saved.manifest.formatVersion,
      checksum: saved.manifest.checksum.value,
    },
  };
  const row = await createModel(db, {
    kind: 'fraud',
    name: input.name,
    datasetId: input.datasetId,
    jobId: input.jobId,
    manifest: manifest as unknown as Record<string, unknown>,
    metrics: input.metrics,
    artifact: packModelFile(saved),
    createdBy: input.createdBy,
  });
  // in the caller's transaction when it passes one, so the model and its audit row are stored together
  await writeAudit(db, {
    userId: input.createdBy,
    action: 'model.create',
    objectType: 'model',
    objectId: row.id,
    detail: { kind: 'fraud', name: input.name, strategy: input.manifest.strategy, jobId: input.jobId },
  });
  return row.id;
}

export type FraudScorer = {
  modelId: string;
  name: string;
  manifest: FraudModelManifest;
  /** fraud probabilities for raw (unscaled) feature rows (n, d) in manifest.featureNames order */
  score(x: Float32Array, n: number): Float32Array;
  /** the engine module, in eval mode */
  module: Module;
};

const cache = new Map<string, FraudScorer>();
const CACHE_SIZE = 8;

/** Loads (or returns the cached) scorer of a fraud model; throws a clear error for a missing or foreign model. */
export async function loadFraudScorer(db: Db, modelId: string): Promise<FraudScorer> {
  const hit = cache.get(modelId);
  if (hit) return hit;
  const row = await getModel(db, modelId);
  if (!row) throw new Error(`model ${modelId} does not exist`);
  const manifest = row.manifest as unknown as FraudModelManifest;
  if (row.kind !== 'fraud' || manifest.kind !== 'fraud-classifier') {
    throw new Error(`model '${row.name}' is not a fraud classifier (kind '${row.kind}')`);
  }
  const artifact = await getModelArtifact(db, modelId);
  if (!artifact) throw new Error(`model '${row.name}' has no stored weights`);
  const file = unpackModelFile(artifact);
  const module = loadModel(file.manifest, file.weights, new Rng(0));
  const d = manifest.featureNames.length;
  const scorer: FraudScorer = {
    modelId,
    name: row.name,
    manifest,
    module,
    score: (x, n) => predictScores(module, applyScaler(x, n, d, manifest.scaler), n, d),
  };
  cache.set(modelId, scorer);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return scorer;
}
