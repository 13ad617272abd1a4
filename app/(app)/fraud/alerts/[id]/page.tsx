import Link from 'next/link';
import { notFound } from 'next/navigation';
import { canAccess } from '@/lib/auth/roles';
import { alertDetail, getFraudDataset } from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { getModel } from '@/lib/store/repos/models';
import { listUsers } from '@/lib/store/repos/users';
import { DownsampledBadge, STATUS_TEXT, StatusBadge, SyntheticBadge } from '../../../../_components/fraud/Badges';
import { DriverBars } from '../../../../_components/fraud/DriverBars';
import { amount, dateTime, fixed, isoTime, score } from '../../../../_components/fraud/format';
import { HowComputed } from '../../../../_components/fraud/HowComputed';
import { requirePageUser } from '../../../../_server/guard';
import { AlertChangeForm } from './AlertChangeForm';

const SCENARIOS: Record<number, string> = {
  0: 'genuine',
  1: 'fraud, scenario 1: amount above 220',
  2: 'fraud, scenario 2: compromised terminal',
  3: 'fraud, scenario 3: compromised card',
};

const LABEL_TEXT = (label: 0 | 1 | null) => (label === null ? 'unknown' : label === 1 ? 'fraud' : 'genuine');

export default async function AlertDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser('fraud');
  const { id } = await params;
  const db = getDb();
  const detail = await alertDetail(db, id);
  if (!detail) notFound();
  const { alert, transaction: tx, customer, customerHistory, history } = detail;
  const [ds, model, users] = await Promise.all([
    getFraudDataset(db, alert.datasetId),
    alert.modelId ? getModel(db, alert.modelId) : undefined,
    listUsers(db),
  ]);
  const assignable = users
    .filter((u) => !u.disabled && canAccess(u.role, 'fraud'))
    .map((u) => ({ id: u.id, name: u.name }));
  const assignee = users.find((u) => u.id === alert.assigneeId);
  // a customer's typical amount: mean ± 3 standard deviations of their spending profile
  const unusual = customer ? (v: number) => v > customer.meanAmount + 3 * customer.stdAmount : () => false;

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/fraud/alerts?dataset=${alert.datasetId}`} className="text-sm text-brand-600 hover:underline">
          ← Alert queue
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            Alert on <span className="font-mono">{tx.txId}</span>
          </h1>
          <StatusBadge status={alert.status} />
        </div>
        <p className="text-sm text-slate-500">
          Score <span className="font-semibold text-slate-800 tabular-nums">{score(alert.score)}</span> · raised by the{' '}
          {alert.reason === 'top_k' ? 'daily top-k budget' : 'score threshold'} for {alert.date}
          {model ? (
            <>
              {' '}
              by{' '}
              <Link href={`/fraud/models/${model.id}`} className="text-brand-700 hover:underline">
                {model.name}
              </Link>
            </>
          ) : (
            ' (model deleted)'
          )}{' '}
          · {ds?.name}
          {ds?.source === 'simulator' ? <SyntheticBadge /> : <DownsampledBadge />} · version {alert.version} · assignee{' '}
          {assignee?.name ?? 'none'}
        </p>
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section className="card" data-testid="alert-transaction">
            <h2 className="mb-2 text-lg font-semibold">Transaction</h2>
            <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-4">
              <div>
                <dt className="text-xs text-slate-500">Time</dt>
                <dd className="tabular-nums">{isoTime(tx.time)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Amount</dt>
                <dd className={`tabular-nums font-semibold ${unusual(tx.amount) ? 'text-red-700' : ''}`}>
                  {amount(tx.amount)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Card (customer)</dt>
                <dd className="tabular-nums">{tx.customerId ?? '—'}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Terminal</dt>
                <dd className="tabular-nums">
                  {tx.terminalId !== null ? (
                    <Link
                      href={`/fraud/alerts?dataset=${alert.datasetId}&status=all&terminal=${tx.terminalId}`}
                      className="text-brand-700 hover:underline"
                    >
                      {tx.terminalId}
                    </Link>
                  ) : (
                    '—'
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Known label</dt>
                <dd data-testid="tx-label">
                  {LABEL_TEXT(tx.label)}
                  {tx.labelSource && <span className="text-xs text-slate-500"> (from {tx.labelSource})</span>}
                </dd>
              </div>
              {customer && (
                <div className="col-span-2 md:col-span-3">
                  <dt className="text-xs text-slate-500">Customer profile</dt>
                  <dd className="tabular-nums">
                    mean amount {amount(customer.meanAmount)} ± {amount(customer.stdAmount)} ·{' '}
                    {fixed(customer.meanTxPerDay, 2)} transactions a day
                  </dd>
                </div>
              )}
            </dl>
            {detail.simulatedScenario !== null && (
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer text-slate-600">
                  Simulator ground truth <SyntheticBadge title="Only synthetic data has a ground truth" />
                </summary>
                <p className="mt-1 text-slate-700" data-testid="ground-truth">
                  {SCENARIOS[detail.simulatedScenario] ?? `scenario ${detail.simulatedScenario}`}. Real investigations
                  have no such answer key; it is shown for demos and to check triage.
                </p>
              </details>
            )}
          </section>

          <section className="card">
            {detail.drivers ? (
              <DriverBars drivers={detail.drivers} limit={10} />
            ) : (
              <>
                <h2 className="text-sm font-medium">What drove the score</h2>
                <p className="text-sm text-slate-500">{detail.driversNote}</p>
              </>
            )}
            {detail.drivers && (
              <p className="mt-2 text-xs text-slate-500">
                {detail.driversNote} Features are recomputed from the stored history with the labels known now, so they
                can differ slightly from the moment of scoring.
              </p>
            )}
          </section>

          <section className="card p-0!">
            <div className="px-5 pt-4">
              <h2 className="text-lg font-semibold">Customer&apos;s recent history</h2>
              <p className="text-sm text-slate-500">
                The card&apos;s transactions in the 30 days up to this one, newest first (at most 50). Amounts above the
                customer&apos;s mean + 3 standard deviations are in red.
              </p>
            </div>
            <div className="max-h-96 overflow-auto">
              <table className="table" data-testid="customer-history">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Transaction</th>
                    <th className="text-right">Terminal</th>
                    <th className="text-right">Amount</th>
                    <th>Known label</th>
                  </tr>
                </thead>
                <tbody>
                  {customerHistory.length === 0 && (
                    <tr>
                      <td colSpan={5} className="py-4 text-center text-slate-500">
                        No earlier transactions of this card in the last 30 days.
                      </td>
                    </tr>
                  )}
                  {customerHistory.map((t) => (
                    <tr key={t.id} className={t.id === tx.id ? 'bg-brand-50/60' : ''}>
                      <td className="whitespace-nowrap text-xs tabular-nums">{isoTime(t.time)}</td>
                      <td className="font-mono text-xs">
                        {t.txId}
                        {t.id === tx.id && <span className="ml-1 font-sans text-slate-500">(this one)</span>}
                      </td>
                      <td className="text-right tabular-nums">{t.terminalId ?? '—'}</td>
                      <td
                        className={`text-right tabular-nums ${unusual(t.amount) ? 'font-semibold text-red-700' : ''}`}
                      >
                        {amount(t.amount)}
                      </td>
                      <td className={`text-xs ${t.label === 1 ? 'text-red-700' : 'text-slate-600'}`}>
                        {LABEL_TEXT(t.label)}
                        {t.labelSource === 'triage' ? ' (triage)' : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>

        <div className="space-y-6">
          <AlertChangeForm
            key={alert.id}
            alertId={alert.id}
            version={alert.version}
            status={alert.status}
            allowedNext={alert.allowedNext}
            assigneeId={alert.assigneeId}
            users={assignable}
            me={user.id}
          />

          <section className="card p-0!" data-testid="alert-history">
            <h2 className="px-5 pt-4 text-lg font-semibold">History</h2>
            <ol className="divide-y divide-slate-100">
              {[...history].reverse().map((h) => (
                <li key={h.id} className="px-5 py-2 text-sm" data-history-to={h.toStatus}>
                  <div className="flex flex-wrap items-center gap-2">
                    {h.fromStatus === null ? (
                      <span className="font-medium">Raised</span>
                    ) : h.fromStatus === h.toStatus ? (
                      <span className="font-medium">Updated</span>
                    ) : (
                      <span className="font-medium">
                        {STATUS_TEXT[h.fromStatus]} → {STATUS_TEXT[h.toStatus]}
                      </span>
                    )}
                    <span className="text-xs text-slate-500">v{h.version}</span>
                  </div>
                  <div className="text-xs text-slate-500">
                    {dateTime(h.at)} · {h.userName ?? (h.userId ? 'a deleted user' : 'system')}
                    {h.assigneeName ? ` · assigned to ${h.assigneeName}` : ''}
                  </div>
                  {h.note && <p className="mt-1 whitespace-pre-wrap text-slate-700">“{h.note}”</p>}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>

      <HowComputed topics={['drivers', 'alerts']} />
    </div>
  );
}
