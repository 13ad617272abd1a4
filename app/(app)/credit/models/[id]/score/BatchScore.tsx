'use client';

// Batch scoring of an uploaded CSV: counts, the first problems and scored rows, and downloads of the full result
// file and the per-row error report (route handler /api/credit/batches/:id/…).

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { RowError } from '@/lib/credit/types';
import { csvUploadProblem } from '@/lib/uploads';
import { DecisionBadge } from '../../../../../_components/credit/DecisionBadge';
import { count, pct } from '../../../../../_components/credit/format';
import { type ScoredBatch, scoreBatch } from '../../../actions';

function Errors({ errors, title }: { errors: RowError[]; title: string }) {
  return (
    <div role="alert">
      <h3 className="text-sm font-medium text-red-800">{title}</h3>
      <div className="mt-1 max-h-72 overflow-auto">
        <table className="table" data-testid="batch-errors">
          <thead>
            <tr>
              <th>Row</th>
              <th>Line</th>
              <th>Column</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
              <tr key={i}>
                <td className="tabular-nums">{e.row || '—'}</td>
                <td className="tabular-nums">{e.line || '—'}</td>
                <td className="font-mono text-xs">{e.field || '—'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function BatchScore({ modelId, columns }: { modelId: string; columns: { name: string; required: boolean }[] }) {
  const [file, setFile] = useState<File | null>(null);
  const [batch, setBatch] = useState<ScoredBatch | null>(null);
  const [problems, setProblems] = useState<RowError[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  const run = () =>
    start(async () => {
      if (!file) return;
      setBatch(null);
      setProblems(null);
      // checked here too, so a file over the limit never hits the server's request-size limit
      const problem = csvUploadProblem(file);
      setError(problem);
      if (problem) return;
      const form = new FormData();
      form.set('modelId', modelId);
      form.set('file', file);
      const r = await scoreBatch(form);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      if ('problems' in r.data) {
        setProblems(r.data.problems);
        return;
      }
      setBatch(r.data);
      router.refresh();
    });

  return (
    <section className="card space-y-4" data-testid="batch-scoring">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Score a file of applications</h2>
        <a href={`/api/credit/models/${modelId}/template`} className="text-sm text-brand-600 hover:underline" download>
          Download a template CSV
        </a>
      </div>
      <p className="text-sm text-slate-600">
        A CSV with a header row and the model’s columns:{' '}
        <span className="font-mono text-xs">
          {columns.map((c) => `${c.name}${c.required ? '' : ' (optional)'}`).join(', ')}
        </span>
        . Other columns (an id, the outcome) are kept in the result file and not used. Rows with problems are reported
        and left unscored; every scored row is stored as a decision.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-72 flex-1">
          <label className="label" htmlFor="batch-file">
            Applications file (CSV)
          </label>
          <input
            id="batch-file"
            type="file"
            accept=".csv,.txt,text/csv"
            className="input"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <button type="button" className="btn" disabled={!file || pending} onClick={run}>
          {pending ? 'Scoring…' : 'Score file'}
        </button>
      </div>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {problems && <Errors errors={problems} title="The file cannot be scored; nothing was stored." />}

      {batch && (
        <div className="space-y-4" data-testid="batch-result">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
            {[
              ['Rows', count(batch.rows)],
              ['Scored and stored', count(batch.stored)],
              ['With problems', count(batch.failed)],
              [
                'Approve',
                `${count(batch.counts.approve)} (${pct(batch.counts.approve / Math.max(1, batch.scored), 0)})`,
              ],
              ['Refer', `${count(batch.counts.refer)} (${pct(batch.counts.refer / Math.max(1, batch.scored), 0)})`],
              [
                'Decline',
                `${count(batch.counts.decline)} (${pct(batch.counts.decline / Math.max(1, batch.scored), 0)})`,
              ],
            ].map(([label, value]) => (
              <div key={label} className="rounded-md border border-slate-200 px-3 py-2">
                <div className="text-xs text-slate-500">{label}</div>
                <div className="font-semibold tabular-nums">{value}</div>
              </div>
            ))}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <a className="btn" href={`/api/credit/batches/${batch.batchId}/results.csv`} download>
              Download results (CSV)
            </a>
            {batch.totalErrors > 0 && (
              <a className="btn-secondary" href={`/api/credit/batches/${batch.batchId}/errors.csv`} download>
                Download error report (CSV, {count(batch.totalErrors)} problems)
              </a>
            )}
            {batch.ignoredColumns.length > 0 && (
              <span className="text-xs text-slate-500">Not used: {batch.ignoredColumns.join(', ')}</span>
            )}
          </div>
          {batch.errors.length > 0 && (
            <Errors
              errors={batch.errors}
              title={`Problems (${batch.errors.length < batch.totalErrors ? `first ${batch.errors.length} of ${count(batch.totalErrors)}` : count(batch.totalErrors)})`}
            />
          )}
          {batch.sample.length > 0 && (
            <div>
              <h3 className="text-sm font-medium">First scored rows</h3>
              <table className="table">
                <thead>
                  <tr>
                    <th>Row</th>
                    <th>Decision</th>
                    <th className="text-right">PD</th>
                    <th className="text-right">Score</th>
                    <th>Reasons</th>
                  </tr>
                </thead>
                <tbody>
                  {batch.sample.map((s) => (
                    <tr key={s.row}>
                      <td className="tabular-nums">{s.row}</td>
                      <td>
                        <DecisionBadge decision={s.decision} />
                      </td>
                      <td className="whitespace-nowrap text-right tabular-nums">{pct(s.pd)}</td>
                      <td className="whitespace-nowrap text-right tabular-nums">{s.score} pts</td>
                      <td className="text-xs text-slate-600">{s.reasons.join(' · ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
