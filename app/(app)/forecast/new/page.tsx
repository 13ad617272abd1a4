import Link from 'next/link';
import { PRICES_KIND } from '@/lib/data/import';
import { DEFAULT_BASELINES } from '@/lib/forecast/baselines';
import { DEFAULT_WALK_FORWARD } from '@/lib/forecast/config';
import { DEFAULT_FEATURES, FEATURE_CATALOG } from '@/lib/forecast/features';
import { MODEL_DEFAULTS, MODEL_LABELS, MODEL_PARAMS, MODEL_TYPES } from '@/lib/forecast/models';
import { HORIZONS } from '@/lib/forecast/target';
import { DEFAULT_TRADING } from '@/lib/forecast/trading';
import { getDb } from '@/lib/store/db';
import { listDatasets } from '@/lib/store/repos/datasets';
import { requirePageUser } from '../../../_server/guard';
import { BacktestForm, type DatasetOption, type FormCatalog } from './BacktestForm';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export default async function NewBacktestPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  await requirePageUser('forecast');
  const { dataset } = await searchParams;
  const datasets = await listDatasets(getDb(), { kind: PRICES_KIND });
  const options: DatasetOption[] = datasets.map((d) => ({
    id: d.id,
    name: d.name,
    synthetic: d.synthetic,
    rows: d.rowCount,
    firstDate: str(d.meta.firstDate),
    lastDate: str(d.meta.lastDate),
    ticker: str(d.meta.ticker),
  }));
  const catalog: FormCatalog = {
    features: FEATURE_CATALOG,
    defaultFeatures: DEFAULT_FEATURES,
    modelTypes: MODEL_TYPES,
    modelLabels: MODEL_LABELS,
    modelDefaults: MODEL_DEFAULTS,
    modelParams: MODEL_PARAMS,
    horizons: HORIZONS,
    walkForward: DEFAULT_WALK_FORWARD,
    trading: DEFAULT_TRADING,
    baselines: DEFAULT_BASELINES,
  };
  const initial = options.find((d) => d.id === dataset)?.id ?? options.find((d) => !d.synthetic)?.id ?? options[0]?.id;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/forecast" className="text-sm text-brand-600 hover:underline">
          ← Forecast
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">New walk-forward backtest</h1>
        <p className="text-sm text-slate-500">
          Choose the data, features, model, horizon and backtest settings. Every prediction is made out of sample by a
          model trained only on earlier days; the baselines run on the same days.
        </p>
      </div>
      {initial ? (
        <BacktestForm datasets={options} initialDatasetId={initial} catalog={catalog} />
      ) : (
        <div className="card text-sm text-slate-600">
          No price datasets yet.{' '}
          <Link href="/forecast/import" className="text-brand-600 underline">
            Import a CSV
          </Link>{' '}
          first.
        </div>
      )}
    </div>
  );
}
