'use client';

// A CSV of transactions: preview the scores, or ingest them (store, score, alert) in one database transaction.
// Problems are listed by row and field and nothing is stored; re-ingesting the same file reports duplicates and
// raises no new alert.

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { count, score as fmtScore } from '../../../../../_components/fraud/format';
import { type BatchResult, scoreBatch } from '../../../actions';
import { PolicyFields } from './PolicyFields';

export function BatchScore({ modelId, liveCsv }: { modelId: string; liveCsv: { href: string; date: string } }) {
  const [result, setResult] = useState<BatchResult | null>(null);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<'preview' | 'ingest'>('ingest');
  const [pending, start] = useTransition();
  const router = useRouter();

  return (
    <section className="card space-y-4" data-testid="batch-scoring">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Score or ingest a file of transactions</h2>
        <a href={liveCsv.href} className="text-sm text-brand-600 hover:underline" download>
          Download the simulated transactions of {liveCsv.date} (CSV, synthetic)
        </a>
      </div>
      <p className="text-sm text-slate-600">
        CSV with a header naming{' '}
        <span className="font-mono text-xs">txId, customerId, terminalId, timestamp, amount</span> (the Handbook&apos;s
        TRANSACTION_ID, CUSTOMER_ID, TERMINAL_ID, TX_DATETIME, TX_AMOUNT also work); timestamps in ISO 8601. Up to
        100,000 rows, 25 MB.
      </p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          form.set('modelId', modelId);
          start(async () => {
            setError(null);
            setResult(null);
            const r = await scoreBatch(form);
            if (!r.ok) {
              setError(r.error);
              setErrors(Object.fromEntries(Object.entries(r.fieldErrors ?? {}).map(([k, v]) => [k, v?.join(' ')])));
              return;
            }
            setErrors({});
            setResult(r.data);
            if (r.data.kind === 'ingested') router.refresh();
          });
        }}
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <div>
            <label className="label" htmlFor="batch-file">
              CSV file
            </label>
            <input id="batch-file" name="file" type="file" accept=".csv,text/csv" className="input" />
            {errors.file && <p className="mt-0.5 text-xs text-red-700">{errors.file}</p>}
          </div>
          <fieldset className="flex flex-col justify-end gap-1 text-sm md:col-span-2">
            <legend className="sr-only">What to do</legend>
            <label>
              <input
                type="radio"
                name="mode"
                value="ingest"
                checked={mode === 'ingest'}
                onChange={() => setMode('ingest')}
                className="mr-1.5"
              />
              Ingest: store, score and raise alerts under the policy (idempotent per transaction id)
            </label>
            <label>
              <input
                type="radio"
                name="mode"
                value="preview"
                checked={mode === 'preview'}
                onChange={() => setMode('preview')}
                className="mr-1.5"
              />
              Preview: score only, store nothing
            </label>
          </fieldset>
        </div>
        {mode === 'ingest' && <PolicyFields prefix="batch" errors={errors} />}
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <button type="submit" className="btn" disabled={pending}>
          {pending ? 'Working…' : mode === 'ingest' ? 'Ingest file' : 'Score file'}
        </button>
      </form>

      {result?.kind === 'errors' && (
        <div role="alert" data-testid="batch-errors">
          <h3 className="text-sm font-medium text-red-800">
            Nothing was stored: {count(result.totalErrors)} problem{result.totalErrors === 1 ? '' : 's'}
            {result.rows > 0 ? ` in ${count(result.rows)} rows` : ''}
            {result.totalErrors > result.errors.length ? ` (the first ${result.errors.length} are listed)` : ''}.
          </h3>
          <div className="mt-1 max-h-72 overflow-auto">
            <table className="table">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Line</th>
                  <th>Transaction</th>
                  <th>Field</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
                  <tr key={i}>
                    <td className="tabular-nums">{e.row === null ? '—' : e.row + 1}</td>
                    <td className="tabular-nums">{e.row === null ? '—' : e.row + 2}</td>
                    <td className="font-mono text-xs">{e.txId ?? '—'}</td>
                    <td className="font-mono text-xs">{e.field}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      {result?.kind === 'preview' && (
        <div className="space-y-2" data-testid="batch-preview">
          <p className="text-sm">
            Scored {count(result.rows)} transactions; nothing was stored.
            {result.ignoredColumns.length > 0 && ` Ignored columns: ${result.ignoredColumns.join(', ')}.`}
          </p>
          <table className="table max-w-2xl">
            <thead>
              <tr>
                <th>Score band</th>
                {result.histogram.map((_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed bins
                  <th key={i} className="text-right">
                    {(i / 10).toFixed(1)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>transactions</td>
                {result.histogram.map((n, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed bins
                  <td key={i} className="text-right tabular-nums">
                    {count(n)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <TopTable rows={result.top.map((t) => ({ txId: t.txId, score: t.score }))} />
        </div>
      )}

      {result?.kind === 'ingested' && (
        <div className="space-y-2" data-testid="batch-ingested">
          <p className="text-sm">
            {count(result.rows)} rows: <strong>{count(result.newTransactions)}</strong> new,{' '}
            <strong>{count(result.duplicates)}</strong> already ingested (unchanged),{' '}
            <strong data-testid="alerts-created">{count(result.alertsCreated)}</strong> alert
            {result.alertsCreated === 1 ? '' : 's'} raised.
            {result.duplicates > 0 && ' Duplicates keep the score and alert they got when first ingested.'}
            {result.ignoredColumns.length > 0 && ` Ignored columns: ${result.ignoredColumns.join(', ')}.`}
          </p>
          <TopTable
            rows={result.top.map((t) => ({
              txId: t.txId,
              score: t.score,
              status: t.status,
              alert: t.alert,
            }))}
          />
        </div>
      )}
    </section>
  );
}

function TopTable({
  rows,
}: {
  rows: {
    txId: string;
    score: number | null;
    status?: 'new' | 'duplicate';
    alert?: { id: string; status: string; created: boolean } | null;
  }[];
}) {
  const ingest = rows.some((r) => r.status !== undefined);
  return (
    <div className="max-h-80 overflow-auto">
      <table className="table">
        <thead>
          <tr>
            <th>Transaction</th>
            <th className="text-right">Score</th>
            {ingest && <th>Stored</th>}
            {ingest && <th>Alert</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.txId}>
              <td className="font-mono text-xs">{r.txId}</td>
              <td className="text-right tabular-nums">{fmtScore(r.score)}</td>
              {ingest && <td className="text-xs">{r.status === 'new' ? 'new' : 'duplicate, unchanged'}</td>}
              {ingest && (
                <td className="text-xs">
                  {r.alert ? (
                    <Link href={`/fraud/alerts/${r.alert.id}`} className="text-brand-700 underline">
                      {r.alert.created ? 'raised' : 'existing'} ({r.alert.status})
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-slate-500">
        {ingest ? 'Alerted transactions first, then the highest scores' : 'Highest scores first'}; at most 25 shown.
      </p>
    </div>
  );
}
