import Link from 'next/link';
import { PRICES_KIND } from '@/lib/data/import';
import { FORECAST_JOB_KIND, type ForecastJobPayload } from '@/lib/jobs/forecast';
import { listJobs } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { listDatasets } from '@/lib/store/repos/datasets';
import { listForecastRuns } from '@/lib/store/repos/forecast';
import { listUsers } from '@/lib/store/repos/users';
import { count, dateTime, fixed, pct } from '../../_components/forecast/format';
import { Leaderboard } from '../../_components/forecast/Leaderboard';
import { SyntheticBadge } from '../../_components/forecast/SyntheticBadge';
import { requirePageUser } from '../../_server/guard';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

const FORMAT_LABEL: Record<string, string> = {
  yahoo: 'Yahoo CSV',
  stooq: 'Stooq CSV',
  'yahoo-finance2': 'Yahoo download',
  synthetic: 'generator',
};

export default async function ForecastPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  await requirePageUser('forecast');
  const { dataset: chosen } = await searchParams;
  const db = getDb();
  const [datasets, runs, active, users] = await Promise.all([
    listDatasets(db, { kind: PRICES_KIND }),
    listForecastRuns(db, { limit: 500 }),
    listJobs(db, { kind: FORECAST_JOB_KIND, status: ['queued', 'running'], limit: 20 }),
    listUsers(db),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const datasetById = new Map(datasets.map((d) => [d.id, d]));
  const runsPerDataset = new Map<string, number>();
  for (const r of runs) runsPerDataset.set(r.datasetId, (runsPerDataset.get(r.datasetId) ?? 0) + 1);
  const boardDatasets = datasets.filter((d) => runsPerDataset.has(d.id));
  const boardId = boardDatasets.some((d) => d.id === chosen) ? chosen : runs[0]?.datasetId;
  const boardRuns = runs
    .filter((r) => r.datasetId === boardId)
    .map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, summary: r.summary }));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Forecast</h1>
          <p className="max-w-3xl text-sm text-slate-500">
            Neural price forecasters judged by honest walk-forward backtests: every prediction out of sample, beside
            naive, drift, AR and moving-average baselines, with trading results after costs.
          </p>
        </div>
        <div className="flex gap-2">
          <Link href="/forecast/import" className="btn-secondary">
            Import prices
          </Link>
          <Link href="/forecast/new" className="btn">
            New backtest
          </Link>
        </div>
      </div>

      {active.length > 0 && (
        <section className="card space-y-2" data-testid="active-backtests">
          <h2 className="text-base font-semibold">Running now</h2>
          <ul className="space-y-1 text-sm">
            {active.map((j) => {
              const p = j.payload as ForecastJobPayload;
              const pr = j.progress;
              return (
                <li key={j.id} className="flex flex-wrap items-center gap-3">
                  <Link href={`/forecast/jobs/${j.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.name ?? `${p.model?.type ?? 'model'} on ${datasetById.get(p.datasetId)?.name ?? 'a dataset'}`}
                  </Link>
                  <span className="text-slate-500">
                    {j.status}
                    {pr?.pct !== undefined ? ` · ${pr.pct.toFixed(0)} %` : ''}
                    {pr?.fold && pr.folds ? ` · fold ${pr.fold} of ${pr.folds}` : ''}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section className="card">
        <div>
          <h2 className="text-lg font-semibold">Price datasets</h2>
          <p className="text-xs text-slate-500">
            Daily bars. Gaps are trading sessions of the NYSE calendar with no bar; adjusted prices are used when the
            data has them.
          </p>
        </div>
        <div className="-mx-5 mt-3 overflow-x-auto">
          <table className="table" data-testid="price-datasets">
            <thead>
              <tr>
                <th>Dataset</th>
                <th>Ticker</th>
                <th>Range</th>
                <th className="text-right">Rows</th>
                <th className="text-right">Gaps</th>
                <th>Prices</th>
                <th>Source</th>
                <th className="text-right">Runs</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {datasets.length === 0 && (
                <tr>
                  <td colSpan={9} className="py-6 text-center text-slate-500">
                    No price datasets yet.{' '}
                    <Link href="/forecast/import" className="text-brand-600 underline">
                      Import a CSV
                    </Link>
                    .
                  </td>
                </tr>
              )}
              {datasets.map((d) => {
                const m = d.meta;
                const missing = num(m.missingDays);
                return (
                  <tr key={d.id} data-dataset={d.name}>
                    <td className="font-medium">
                      {d.name}
                      {d.synthetic && <SyntheticBadge />}
                      {str(m.description) && (
                        <div className="text-xs font-normal text-slate-500">{str(m.description)}</div>
                      )}
                    </td>
                    <td>{str(m.ticker) ?? '—'}</td>
                    <td className="whitespace-nowrap text-xs">
                      {str(m.firstDate) ?? '—'} → {str(m.lastDate) ?? '—'}
                    </td>
                    <td className="text-right tabular-nums">{count(d.rowCount)}</td>
                    <td className={`text-right tabular-nums ${missing ? 'text-amber-700' : ''}`}>
                      {missing === null ? '—' : `${count(missing)} d`}
                    </td>
                    <td className="whitespace-nowrap text-xs">{m.adjusted === true ? 'adjusted' : 'as quoted'}</td>
                    <td className="text-xs text-slate-500">
                      {FORMAT_LABEL[str(m.format) ?? ''] ?? str(m.format) ?? '—'}
                      {d.createdBy ? ` · ${userName.get(d.createdBy) ?? ''}` : ''}
                    </td>
                    <td className="text-right tabular-nums">{runsPerDataset.get(d.id) ?? 0}</td>
                    <td className="whitespace-nowrap text-right">
                      <Link href={`/forecast/new?dataset=${d.id}`} className="btn-secondary">
                        Backtest
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <div>
          <h2 className="text-lg font-semibold">Recent runs</h2>
        </div>
        <div className="-mx-5 mt-3 overflow-x-auto">
          <table className="table" data-testid="recent-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Dataset</th>
                <th>h</th>
                <th>Test period</th>
                <th title="MAE / MAE of the naive forecast; below 1 beats naive">MASE</th>
                <th title="Share of test points with the right sign">Direction</th>
                <th title="Annualised Sharpe ratio of the strategy after costs">Sharpe</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.length === 0 && (
                <tr>
                  <td colSpan={8} className="py-6 text-center text-slate-500">
                    No backtests yet.{' '}
                    <Link href="/forecast/new" className="text-brand-600 underline">
                      Start one
                    </Link>{' '}
                    on a synthetic sample or on data you import.
                  </td>
                </tr>
              )}
              {runs.slice(0, 10).map((r) => {
                const d = datasetById.get(r.datasetId);
                const s = r.summary;
                return (
                  <tr key={r.id}>
                    <td>
                      <Link href={`/forecast/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                        {r.name}
                      </Link>
                      <div className="text-xs text-slate-500">{s.modelLabel}</div>
                    </td>
                    <td>
                      {d?.name ?? '—'}
                      {d?.synthetic && <SyntheticBadge />}
                    </td>
                    <td className="tabular-nums">{s.horizon} d</td>
                    <td className="whitespace-nowrap text-xs">
                      {s.firstTestDate} → {s.lastTestDate} ({count(s.testDays)} d)
                    </td>
                    <td className="tabular-nums">{fixed(s.model.mase.mean, 3)}</td>
                    <td className="tabular-nums">{pct(s.model.directionalAccuracy.mean, 1)}</td>
                    <td className="tabular-nums">{fixed(s.model.sharpe.mean, 2)}</td>
                    <td className="whitespace-nowrap text-xs text-slate-500">
                      {dateTime(r.createdAt)}
                      {r.createdBy ? <div>{userName.get(r.createdBy) ?? ''}</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Leaderboard</h2>
          <p className="text-xs text-slate-500">
            Runs on the same data compared on their out-of-sample test days. Forecaster values are mean ± std over
            seeds; runs with different settings may test different days, so compare each run with its own baselines too.
          </p>
        </div>
        {boardDatasets.length === 0 ? (
          <p className="text-sm text-slate-500">The leaderboard fills as backtests finish.</p>
        ) : (
          <>
            <nav className="flex flex-wrap gap-1" aria-label="Leaderboard dataset">
              {boardDatasets.map((d) => (
                <Link
                  key={d.id}
                  href={`/forecast?dataset=${d.id}`}
                  className={`rounded-md px-3 py-1 text-sm ${d.id === boardId ? 'bg-brand-50 font-medium text-brand-700' : 'text-slate-600 hover:bg-slate-100'}`}
                  aria-current={d.id === boardId ? 'page' : undefined}
                >
                  {d.name} ({runsPerDataset.get(d.id)})
                </Link>
              ))}
            </nav>
            <Leaderboard runs={boardRuns} />
          </>
        )}
      </section>
    </div>
  );
}
