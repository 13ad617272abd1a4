// Shared fixtures of the credit tests: the German Credit files from the real-data folder (failing loudly when it is
// missing, never skipping), the synthetic sample as a table, and a small model trained on it.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ApplicationTable, parseApplicationTable } from '../../lib/credit/applicationsCsv';
import { type CreditModel, unpackCreditModel } from '../../lib/credit/creditModel';
import { CREDIT_SAMPLE, generateCreditSample } from '../../lib/credit/sample';
import { type TrainCreditConfig, type TrainedCreditModel, trainCreditModel } from '../../lib/credit/training';
import { dataDir as sharedDataDir } from '../helpers/data-dir';

/** $NEURALFIN_DATA_DIR, or ../shared/data beside the repository; throws when neither exists. */
export function dataDir(): string {
  return sharedDataDir('The credit tests read $NEURALFIN_DATA_DIR/german_credit');
}

/** The text of $NEURALFIN_DATA_DIR/german_credit/<file>. */
export function germanFile(file: 'german.csv' | 'credit-g.csv'): string {
  const p = path.join(dataDir(), 'german_credit', file);
  if (!existsSync(p)) throw new Error(`missing test data file ${p}`);
  return readFileSync(p, 'utf8');
}

export function germanTable(): ApplicationTable {
  const r = parseApplicationTable(germanFile('credit-g.csv'), { target: 'class', badValue: 'bad' });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.table;
}

export function sampleTable(rows = 600): ApplicationTable {
  const r = parseApplicationTable(generateCreditSample({ rows }), {
    target: CREDIT_SAMPLE.target,
    badValue: CREDIT_SAMPLE.badValue,
  });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.table;
}

/** A quick model: 3 folds, one seed, logistic baseline only. */
export async function trainQuick(
  table: ApplicationTable,
  config: Partial<TrainCreditConfig> = {},
): Promise<{ trained: TrainedCreditModel; model: CreditModel }> {
  const trained = await trainCreditModel(table, {
    kind: 'mlp',
    folds: 3,
    seeds: [1],
    baselines: ['logistic'],
    ...config,
  });
  const model = unpackCreditModel({ id: 'test-model', name: 'test model', createdAt: 0 }, trained.bundle, trained.file);
  return { trained, model };
}
