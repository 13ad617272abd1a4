// Credit models in the store: saving a trained model (bundle as the manifest, packed network as the artifact,
// headline metrics, audit row — one transaction) and loading one for scoring (cached: stored models never change).

import type { Kysely } from 'kysely';
import { withAudit } from '../store/repos/audit';
import { createModel, getModel, getModelArtifact, listModels, type Model } from '../store/repos/models';
import type { Database } from '../store/schema';
import { type CreditModel, type CreditModelBundle, unpackCreditModel } from './creditModel';
import { scoreApplication } from './scoring';
import type { CreditTrainingReport, TrainedCreditModel } from './training';

export const CREDIT_MODEL_KIND = 'credit';

/** What the models row's manifest holds for a credit model. */
export type CreditModelManifest = CreditModelBundle & { report: CreditTrainingReport };

export async function saveCreditModel(
  db: Kysely<Database>,
  trained: TrainedCreditModel,
  meta: {
    name: string;
    datasetId: string | null;
    jobId: string | null;
    createdBy: string | null;
    requestId?: string | null;
  },
): Promise<Model> {
  const manifest: CreditModelManifest = { ...trained.bundle, report: trained.report };
  return withAudit(
    db,
    (trx) =>
      createModel(trx, {
        kind: CREDIT_MODEL_KIND,
        name: meta.name,
        datasetId: meta.datasetId,
        jobId: meta.jobId,
        manifest: JSON.parse(JSON.stringify(manifest)),
        metrics: trained.metrics,
        artifact: trained.file,
        createdBy: meta.createdBy,
        createdAt: trained.bundle.card.createdAt,
      }),
    (m) => ({
      userId: meta.createdBy,
      action: 'model.create',
      objectType: 'model',
      objectId: m.id,
      detail: { kind: CREDIT_MODEL_KIND, modelKind: trained.bundle.kind, name: meta.name, metrics: trained.metrics },
      requestId: meta.requestId ?? null,
    }),
  );
}

const holder = globalThis as typeof globalThis & { __neuralfinCreditModels?: Map<string, CreditModel> };
const MAX_CACHED = 20;

/** The model ready to score, or undefined when there is no credit model with this id. */
export async function loadCreditModel(db: Kysely<Database>, id: string): Promise<CreditModel | undefined> {
  holder.__neuralfinCreditModels ??= new Map();
  const cache = holder.__neuralfinCreditModels;
  const hit = cache.get(id);
  if (hit) return hit;
  const row = await getModel(db, id);
  if (!row || row.kind !== CREDIT_MODEL_KIND) return undefined;
  const artifact = await getModelArtifact(db, id);
  if (!artifact) throw new Error(`credit model ${id} has no network file`);
  const model = unpackCreditModel(
    { id: row.id, name: row.name, createdAt: row.createdAt },
    row.manifest as unknown as CreditModelBundle,
    artifact,
  );
  // one scoring of the typical applicant compiles the scoring path, so the first real request is fast too
  scoreApplication(model, model.bundle.reference);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(id, model);
  return model;
}

/** The stored training report (metrics with spread, chart data) and card of a credit model. */
export async function getCreditModelReport(
  db: Kysely<Database>,
  id: string,
): Promise<{ model: Model; card: CreditModelBundle['card']; report: CreditTrainingReport } | undefined> {
  const row = await getModel(db, id);
  if (!row || row.kind !== CREDIT_MODEL_KIND) return undefined;
  const manifest = row.manifest as unknown as CreditModelManifest;
  return { model: row, card: manifest.card, report: manifest.report };
}

/** Credit models, newest first (without artifacts). */
export function listCreditModels(db: Kysely<Database>): Promise<Model[]> {
  return listModels(db, { kind: CREDIT_MODEL_KIND });
}
