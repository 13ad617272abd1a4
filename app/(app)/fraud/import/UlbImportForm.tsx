'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { count, rate } from '../../../_components/fraud/format';
import { type UlbImported as Imported, importUlb, type UlbProblem } from '../actions';

export function UlbImportForm() {
  const [imported, setImported] = useState<Imported | null>(null);
  const [problems, setProblems] = useState<UlbProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="max-w-3xl space-y-4">
      <form
        noValidate
        className="card space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          start(async () => {
            setError(null);
            setProblems(null);
            setImported(null);
            const r = await importUlb(form);
            if (!r.ok) {
              setError(r.fieldErrors?.file?.[0] ?? r.error);
              return;
            }
            if ('problems' in r.data) {
              setProblems(r.data.problems);
              return;
            }
            setImported(r.data);
            router.refresh();
          });
        }}
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <div>
            <label className="label" htmlFor="ulb-file">
              CSV file
            </label>
            <input id="ulb-file" name="file" type="file" accept=".csv,text/csv" className="input" />
          </div>
          <div>
            <label className="label" htmlFor="ulb-name">
              Name (optional)
            </label>
            <input
              id="ulb-name"
              name="name"
              className="input"
              placeholder="ULB credit-card fraud sample (28.6% fraud)"
            />
          </div>
        </div>
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <button type="submit" className="btn" disabled={pending}>
          {pending ? 'Importing…' : 'Import'}
        </button>
      </form>
      {problems && (
        <div className="card" role="alert" data-testid="ulb-problems">
          <h2 className="text-sm font-semibold text-red-800">
            The file was not imported: {problems.length} problem{problems.length === 1 ? '' : 's'}
            {problems.length >= 50 ? ' (the first 50)' : ''}
          </h2>
          <div className="mt-2 max-h-72 overflow-auto">
            <table className="table">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Column</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
                  <tr key={i}>
                    <td className="tabular-nums">{p.row || '—'}</td>
                    <td className="font-mono text-xs">{p.field}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {imported && (
        <div className="card space-y-2" data-testid="ulb-imported">
          <p className="text-sm">
            Imported “{imported.name}”: {count(imported.rows)} transactions, {count(imported.frauds)} frauds (
            {rate(imported.frauds / imported.rows)}).
          </p>
          <p className="text-xs text-amber-800">{imported.note}</p>
          <div className="flex gap-2">
            <Link href={`/fraud/train?dataset=${imported.datasetId}`} className="btn">
              Train a model on it
            </Link>
            <Link href={`/fraud?dataset=${imported.datasetId}`} className="btn-secondary">
              Open the dataset
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
