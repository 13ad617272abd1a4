import Link from 'next/link';
import { HYPER_DEFAULTS, MODEL_KIND_LABELS, MODEL_KINDS } from '@/lib/credit/classifiers';
import { CREDIT_DATASET_KIND, type CreditDatasetMeta } from '@/lib/credit/creditDatasets';
import { getDb } from '@/lib/store/db';
import { listDatasets } from '@/lib/store/repos/datasets';
import { requirePageUser } from '../../../_server/guard';
import { TrainForm } from './TrainForm';

export default async function CreditTrainPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  await requirePageUser('credit');
  const { dataset } = await searchParams;
  const datasets = await listDatasets(getDb(), { kind: CREDIT_DATASET_KIND });
  const options = datasets.map((d) => {
    const meta = d.meta as Partial<CreditDatasetMeta>;
    return {
      id: d.id,
      name: d.name,
      synthetic: d.synthetic,
      rows: d.rowCount,
      bads: meta.bads ?? null,
      target: meta.target ?? '',
      badValue: meta.badValue ?? '',
    };
  });
  const selected = options.find((d) => d.id === dataset)?.id ?? options[0]?.id ?? '';
  return (
    <div className="space-y-6">
      <div>
        <Link href="/credit" className="text-sm text-brand-600 hover:underline">
          ← Credit
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Train a credit model</h1>
        <p className="text-sm text-slate-500">
          The model and its baselines are cross-validated (stratified k folds, repeated over seeds) with preprocessing
          fit on each training fold only; calibration and the cut-off policy are chosen on held-out predictions; then
          the final model is trained on every row. Training runs in a worker and you can follow it live.
        </p>
      </div>
      {options.length === 0 ? (
        <div className="card text-sm">
          There is no credit dataset yet.{' '}
          <Link href="/credit/import" className="text-brand-600 underline">
            Import one
          </Link>
          .
        </div>
      ) : (
        <TrainForm
          datasets={options}
          selected={selected}
          kinds={MODEL_KINDS.map((k) => ({ value: k, label: MODEL_KIND_LABELS[k] }))}
          defaults={HYPER_DEFAULTS}
        />
      )}
    </div>
  );
}
