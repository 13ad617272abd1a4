import Link from 'next/link';
import { CREDIT_DATASET_KIND, type CreditDatasetMeta } from '@/lib/credit/creditDatasets';
import { listCreditModels } from '@/lib/credit/creditModels';
import { CREDIT_TRAIN_JOB_KIND } from '@/lib/jobs/credit';
import { listJobs } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { listDatasets } from '@/lib/store/repos/datasets';
import { listUsers } from '@/lib/store/repos/users';
import { SyntheticBadge } from '../../_components/credit/DecisionBadge';
import { count, dateTime, fixed, pct } from '../../_components/credit/format';
import { requirePageUser } from '../../_server/guard';

const STATUS_STYLE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-blue-100 text-blue-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-800',
};

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export default async function CreditPage() {
  await requirePageUser('credit');
  const db = getDb();
  const [datasets, models, jobs, users] = await Promise.all([
    listDatasets(db, { kind: CREDIT_DATASET_KIND }),
    listCreditModels(db),
    listJobs(db, { kind: CREDIT_TRAIN_JOB_KIND, limit: 8 }),
    listUsers(db),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const datasetById = new Map(datasets.map((d) => [d.id, d]));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Credit</h1>
          <p className="text-sm text-slate-500">
            Import loan applications, train and calibrate scorers with cross-validation, set cut-offs, and score
            applications with reasons. Every decision is stored with its input, model, user and time.
          </p>
        </div>
        <div className="flex gap-2">
          <Link href="/credit/import" className="btn-secondary">
            Import applications (CSV)
          </Link>
          <Link href="/credit/train" className="btn">
            Train a model
          </Link>
        </div>
      </div>

      <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <h2 className="px-5 pt-4 text-lg font-semibold">Models</h2>
        <div className="overflow-x-auto">
          <table className="table" data-testid="credit-models">
            <thead>
              <tr>
                <th>Model</th>
                <th>Dataset</th>
                <th title="ROC AUC on held-out folds, mean ± std over folds × seeds">AUC</th>
                <th title="2·AUC − 1">Gini</th>
                <th title="Kolmogorov–Smirnov distance between the bads' and goods' PDs">KS</th>
                <th title="Expected calibration error after calibration (10 bins)">ECE</th>
                <th title="Approval rate of the cut-off policy on held-out PDs">Approved</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.length === 0 && (
                <tr>
                  <td colSpan={9} className="py-6 text-center text-slate-500">
                    No credit models yet.{' '}
                    <Link href="/credit/train" className="text-brand-600 underline">
                      Train one
                    </Link>{' '}
                    on the synthetic sample or on a file you import.
                  </td>
                </tr>
              )}
              {models.map((m) => {
                const ds = m.datasetId ? datasetById.get(m.datasetId) : undefined;
                const auc = num(m.metrics.auc);
                const aucStd = num(m.metrics.aucStd);
                return (
                  <tr key={m.id} data-model-id={m.id}>
                    <td>
                      <Link href={`/credit/models/${m.id}`} className="font-medium text-brand-700 hover:underline">
                        {m.name}
                      </Link>
                    </td>
                    <td>
                      {ds ? ds.name : '—'}
                      {ds?.synthetic && <SyntheticBadge />}
                    </td>
                    <td className="whitespace-nowrap tabular-nums">
                      {fixed(auc)}
                      {aucStd !== null && <span className="text-slate-500"> ± {fixed(aucStd)}</span>}
                    </td>
                    <td className="tabular-nums">{fixed(num(m.metrics.gini))}</td>
                    <td className="tabular-nums">{fixed(num(m.metrics.ks))}</td>
                    <td className="tabular-nums">{fixed(num(m.metrics.ece))}</td>
                    <td className="tabular-nums">{pct(num(m.metrics.approvalRate))}</td>
                    <td className="whitespace-nowrap text-slate-500">
                      {dateTime(m.createdAt)}
                      <div className="text-xs">{m.createdBy ? (userName.get(m.createdBy) ?? '') : ''}</div>
                    </td>
                    <td className="whitespace-nowrap text-right">
                      <Link href={`/credit/models/${m.id}/score`} className="btn-secondary mr-1">
                        Score
                      </Link>
                      <Link href={`/credit/models/${m.id}/monitor`} className="btn-secondary">
                        Monitor
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <h2 className="px-5 pt-4 text-lg font-semibold">Datasets</h2>
        <div className="overflow-x-auto">
          <table className="table" data-testid="credit-datasets">
            <thead>
              <tr>
                <th>Dataset</th>
                <th>Source</th>
                <th className="text-right">Applications</th>
                <th className="text-right">Bad rate</th>
                <th>Target</th>
                <th className="text-right">Columns</th>
                <th>Imported</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {datasets.length === 0 && (
                <tr>
                  <td colSpan={8} className="py-6 text-center text-slate-500">
                    No credit datasets yet.
                  </td>
                </tr>
              )}
              {datasets.map((d) => {
                const meta = d.meta as Partial<CreditDatasetMeta>;
                const bads = meta.bads ?? null;
                return (
                  <tr key={d.id} data-dataset-id={d.id}>
                    <td className="font-medium">
                      {d.name}
                      {d.synthetic && <SyntheticBadge />}
                    </td>
                    <td className="max-w-56 truncate text-slate-500" title={d.source}>
                      {d.source}
                    </td>
                    <td className="text-right tabular-nums">{count(d.rowCount)}</td>
                    <td className="text-right tabular-nums">{bads !== null ? pct(bads / d.rowCount) : '—'}</td>
                    <td className="whitespace-nowrap font-mono text-xs">
                      {meta.target} = “{meta.badValue}”
                    </td>
                    <td className="text-right tabular-nums">{meta.columns?.length ?? '—'}</td>
                    <td className="whitespace-nowrap text-slate-500">
                      {dateTime(d.createdAt)}
                      <div className="text-xs">{d.createdBy ? (userName.get(d.createdBy) ?? '') : 'system (seed)'}</div>
                    </td>
                    <td className="text-right">
                      <Link href={`/credit/train?dataset=${d.id}`} className="btn-secondary whitespace-nowrap">
                        Train on this
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      {jobs.length > 0 && (
        <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
          <h2 className="px-5 pt-4 text-lg font-semibold">Recent training runs</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th className="text-right">Progress</th>
                <th>Started</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => {
                const name = (j.payload as { name?: string } | null)?.name ?? j.kind;
                const p = j.status === 'succeeded' ? 100 : (j.progress?.pct ?? 0);
                return (
                  <tr key={j.id}>
                    <td>{name}</td>
                    <td>
                      <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[j.status] ?? ''}`}>
                        {j.status}
                      </span>
                    </td>
                    <td className="text-right tabular-nums">{p.toFixed(0)} %</td>
                    <td className="whitespace-nowrap text-slate-500">{dateTime(j.createdAt)}</td>
                    <td className="text-right">
                      <Link href={`/credit/jobs/${j.id}`} className="text-sm text-brand-600 hover:underline">
                        Details
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
