import Link from 'next/link';
import { canAccess } from '@/lib/auth/roles';
import {
  ALERT_STATUSES,
  type AlertStatus,
  alertQueue,
  fraudDashboard,
  getFraudDataset,
  listFraudDatasets,
} from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { listUsers } from '@/lib/store/repos/users';
import { DownsampledBadge, STATUS_TEXT, StatusBadge, SyntheticBadge } from '../../../_components/fraud/Badges';
import { amount, count, isoTime, score } from '../../../_components/fraud/format';
import { requirePageUser } from '../../../_server/guard';

const PAGE_SIZE = 50;

type Params = {
  dataset?: string;
  status?: string;
  day?: string;
  minAmount?: string;
  maxAmount?: string;
  terminal?: string;
  assignee?: string;
  page?: string;
};

/** A whole number ≥ 0 from a query parameter; '' means "not given". */
function whole(v: string | undefined, label: string, problems: string[]): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    problems.push(`${label} must be a whole number ≥ 0, got “${v}”; the filter is ignored.`);
    return undefined;
  }
  return n;
}

function nonNegative(v: string | undefined, label: string, problems: string[]): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    problems.push(`${label} must be a number ≥ 0, got “${v}”; the filter is ignored.`);
    return undefined;
  }
  return n;
}

export default async function AlertQueuePage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requirePageUser('fraud');
  const db = getDb();
  const sp = await searchParams;
  const datasets = await listFraudDatasets(db);
  const ds = (sp.dataset ? await getFraudDataset(db, sp.dataset) : undefined) ?? datasets[0];
  const users = (await listUsers(db)).filter((u) => !u.disabled && canAccess(u.role, 'fraud'));

  const problems: string[] = [];
  const statusParam = sp.status ?? 'undecided';
  const status: AlertStatus | AlertStatus[] | undefined =
    statusParam === 'undecided'
      ? ['open', 'investigating']
      : statusParam === 'decided'
        ? ['confirmed_fraud', 'false_positive']
        : (ALERT_STATUSES as readonly string[]).includes(statusParam)
          ? (statusParam as AlertStatus)
          : undefined;
  const day = whole(sp.day, 'Day', problems);
  let minAmount = nonNegative(sp.minAmount, 'Minimum amount', problems);
  let maxAmount = nonNegative(sp.maxAmount, 'Maximum amount', problems);
  if (minAmount !== undefined && maxAmount !== undefined && minAmount > maxAmount) {
    problems.push(`The minimum amount (${minAmount}) is above the maximum (${maxAmount}); both are ignored.`);
    minAmount = undefined;
    maxAmount = undefined;
  }
  const terminalId = whole(sp.terminal, 'Terminal', problems);
  const assigneeParam = sp.assignee ?? '';
  const assigneeId =
    assigneeParam === ''
      ? undefined
      : assigneeParam === 'none'
        ? null
        : assigneeParam === 'me'
          ? user.id
          : users.some((u) => u.id === assigneeParam)
            ? assigneeParam
            : undefined;
  const page = Math.max(1, whole(sp.page, 'Page', problems) ?? 1);

  const [queue, dash] = ds
    ? await Promise.all([
        alertQueue(db, {
          datasetId: ds.id,
          status,
          day,
          minAmount,
          maxAmount,
          terminalId,
          assigneeId,
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        }),
        fraudDashboard(db, ds.id),
      ])
    : [{ items: [], total: 0 }, undefined];
  const pages = Math.max(1, Math.ceil(queue.total / PAGE_SIZE));
  const linkTo = (over: Partial<Params>) => {
    const q = new URLSearchParams();
    const all: Params = {
      dataset: ds?.id,
      status: statusParam,
      day: sp.day,
      minAmount: sp.minAmount,
      maxAmount: sp.maxAmount,
      terminal: sp.terminal,
      assignee: sp.assignee,
      ...over,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') q.set(k, v);
    return `/fraud/alerts?${q.toString()}`;
  };
  const first = (page - 1) * PAGE_SIZE + 1;

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/fraud${ds ? `?dataset=${ds.id}` : ''}`} className="text-sm text-brand-600 hover:underline">
          ← Fraud
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Alert queue</h1>
        <p className="text-sm text-slate-500">
          Highest fraud probability first. Open an alert to see the transaction, the customer&apos;s history and what
          drove the score, and to move it open → investigating → confirmed fraud or false positive.
        </p>
      </div>

      {!ds ? (
        <div className="card text-sm">
          No fraud dataset yet.{' '}
          <Link href="/fraud/simulate" className="text-brand-600 underline">
            Simulate one
          </Link>
          , then train a model: training raises the test days&apos; alerts.
        </div>
      ) : (
        <>
          <form method="get" className="card grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8" aria-label="Filters">
            <div className="col-span-2">
              <label className="label" htmlFor="f-dataset">
                Dataset
              </label>
              <select id="f-dataset" name="dataset" className="input" defaultValue={ds.id}>
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                    {d.source === 'simulator' ? ' (synthetic)' : ''}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label className="label" htmlFor="f-status">
                Status
              </label>
              <select id="f-status" name="status" className="input" defaultValue={statusParam}>
                <option value="undecided">open or investigating</option>
                <option value="decided">decided</option>
                <option value="all">all</option>
                {ALERT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_TEXT[s]}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label className="label" htmlFor="f-day">
                Day
              </label>
              <select id="f-day" name="day" className="input" defaultValue={sp.day ?? ''}>
                <option value="">any</option>
                {(dash?.alertsPerDay ?? []).map((d) => (
                  <option key={d.day} value={d.day}>
                    {d.date} ({d.total})
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label className="label" htmlFor="f-min">
                Amount from
              </label>
              <input
                id="f-min"
                name="minAmount"
                className="input"
                inputMode="decimal"
                defaultValue={sp.minAmount ?? ''}
                placeholder="0"
              />
            </div>
            <div>
              <label className="label" htmlFor="f-max">
                Amount to
              </label>
              <input
                id="f-max"
                name="maxAmount"
                className="input"
                inputMode="decimal"
                defaultValue={sp.maxAmount ?? ''}
                placeholder="any"
              />
            </div>
            <div>
              <label className="label" htmlFor="f-terminal">
                Terminal
              </label>
              <input
                id="f-terminal"
                name="terminal"
                className="input"
                inputMode="numeric"
                defaultValue={sp.terminal ?? ''}
                placeholder="any"
              />
            </div>
            <div>
              <label className="label" htmlFor="f-assignee">
                Assignee
              </label>
              <select id="f-assignee" name="assignee" className="input" defaultValue={assigneeParam}>
                <option value="">anyone</option>
                <option value="me">me</option>
                <option value="none">unassigned</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="col-span-2 flex items-end gap-2 md:col-span-4 lg:col-span-8">
              <button type="submit" className="btn">
                Apply filters
              </button>
              <Link href={`/fraud/alerts?dataset=${ds.id}&status=all`} className="btn-secondary">
                Clear
              </Link>
              <span className="ml-auto text-sm text-slate-600">
                {ds.name}
                {ds.source === 'simulator' ? <SyntheticBadge /> : <DownsampledBadge />}
              </span>
            </div>
          </form>

          {problems.length > 0 && (
            <div role="alert" className="rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900">
              {problems.map((p) => (
                <div key={p}>{p}</div>
              ))}
            </div>
          )}

          <section className="card p-0!">
            <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4">
              <h2 className="text-lg font-semibold">
                {queue.total === 0
                  ? 'No alerts match'
                  : `Alerts ${count(first)}–${count(first + queue.items.length - 1)} of ${count(queue.total)}`}
              </h2>
              <span className="text-xs text-slate-500">sorted by score, highest first</span>
            </div>
            <div className="overflow-x-auto">
              <table className="table" data-testid="alert-queue">
                <thead>
                  <tr>
                    <th className="text-right" title="fraud probability from the model that raised the alert">
                      Score
                    </th>
                    <th>Status</th>
                    <th>Transaction</th>
                    <th>Time</th>
                    <th className="text-right">Amount</th>
                    <th className="text-right">Card</th>
                    <th className="text-right">Terminal</th>
                    <th>Assignee</th>
                    <th>Raised by</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.items.map((a) => (
                    <tr key={a.id} data-alert-id={a.id} data-status={a.status}>
                      <td className="text-right tabular-nums">
                        <div className="flex items-center justify-end gap-2">
                          <div className="h-1.5 w-12 overflow-hidden rounded bg-slate-100" aria-hidden>
                            <div className="h-full bg-red-400" style={{ width: `${Math.round(a.score * 100)}%` }} />
                          </div>
                          <span className="font-medium">{score(a.score)}</span>
                        </div>
                      </td>
                      <td>
                        <StatusBadge status={a.status} />
                      </td>
                      <td>
                        <Link
                          href={`/fraud/alerts/${a.id}`}
                          className="font-mono text-xs text-brand-700 hover:underline"
                        >
                          {a.txId}
                        </Link>
                      </td>
                      <td className="whitespace-nowrap text-xs text-slate-600">{isoTime(a.time)}</td>
                      <td className="text-right tabular-nums">{amount(a.amount)}</td>
                      <td className="text-right tabular-nums">{a.customerId ?? '—'}</td>
                      <td className="text-right tabular-nums">
                        {a.terminalId !== null ? (
                          <Link
                            href={linkTo({ terminal: String(a.terminalId), page: undefined })}
                            className="hover:underline"
                          >
                            {a.terminalId}
                          </Link>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td className="text-xs">
                        {a.assigneeName ?? <span className="text-slate-400">unassigned</span>}
                      </td>
                      <td className="text-xs text-slate-500">{a.reason === 'top_k' ? 'daily top k' : 'threshold'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {pages > 1 && (
              <nav className="flex items-center justify-between px-5 py-3 text-sm" aria-label="Pages">
                {page > 1 ? (
                  <Link href={linkTo({ page: String(page - 1) })} className="btn-secondary">
                    ← Previous
                  </Link>
                ) : (
                  <span />
                )}
                <span className="text-slate-500">
                  Page {page} of {pages}
                </span>
                {page < pages ? (
                  <Link href={linkTo({ page: String(page + 1) })} className="btn-secondary">
                    Next →
                  </Link>
                ) : (
                  <span />
                )}
              </nav>
            )}
          </section>
        </>
      )}
    </div>
  );
}
