'use client';

// One transaction: per-field errors from lib/fraud's validation (missing fields, negative amounts, unknown customers
// or terminals, bad timestamps), then the fraud probability with what drove it (preview) or the stored result and its
// alert (ingest).

import Link from 'next/link';
import { useState, useTransition } from 'react';
import type { TransactionInput } from '@/lib/fraud';
import { DriverBars } from '../../../../../_components/fraud/DriverBars';
import { fixed, amount as fmtAmount, score as fmtScore } from '../../../../../_components/fraud/format';
import { type ScoreOneResult, scoreOneTransaction } from '../../../actions';
import { PolicyFields } from './PolicyFields';

const FIELDS: { name: keyof TransactionInput; label: string; hint: string; type?: string }[] = [
  { name: 'txId', label: 'Transaction id', hint: 'unique per dataset' },
  { name: 'customerId', label: 'Customer (card) id', hint: 'a customer of the dataset', type: 'number' },
  { name: 'terminalId', label: 'Terminal id', hint: 'a terminal of the dataset', type: 'number' },
  { name: 'timestamp', label: 'Time', hint: 'ISO 8601, e.g. 2018-05-01T14:30:00Z' },
  { name: 'amount', label: 'Amount', hint: 'currency units, ≥ 0', type: 'number' },
];

export function ScoreOneForm({ modelId, example }: { modelId: string; example: TransactionInput | null }) {
  const [result, setResult] = useState<ScoreOneResult | null>(null);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<'preview' | 'ingest'>('preview');
  const [pending, start] = useTransition();
  const known = new Set<string>([...FIELDS.map((f) => f.name), 'policyMode', 'threshold', 'dailyBudget', 'perDay']);
  const otherErrors = Object.entries(errors).filter(([k]) => !known.has(k));

  return (
    <section className="grid grid-cols-1 gap-6 xl:grid-cols-5">
      <form
        noValidate
        aria-label="Transaction"
        className="card space-y-4 xl:col-span-3"
        // onSubmit rather than action: React resets a form after its action, and the entered values must stay
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          form.set('modelId', modelId);
          start(async () => {
            setError(null);
            setResult(null);
            const r = await scoreOneTransaction(form);
            if (!r.ok) {
              setError(r.error);
              setErrors(Object.fromEntries(Object.entries(r.fieldErrors ?? {}).map(([k, v]) => [k, v?.join(' ')])));
              return;
            }
            if (r.data.kind === 'errors') {
              const byField: Record<string, string> = {};
              for (const fe of r.data.errors)
                byField[fe.field] = byField[fe.field] ? `${byField[fe.field]} ${fe.message}` : fe.message;
              setErrors(byField);
              setError('The transaction was not scored: correct the fields marked below. Nothing was stored.');
              return;
            }
            setErrors({});
            setResult(r.data);
          });
        }}
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Score one transaction</h2>
          {example && (
            <p className="text-xs text-slate-500">Filled in with the first simulated transaction after the history.</p>
          )}
        </div>
        <div className="grid grid-cols-1 gap-x-4 gap-y-3 md:grid-cols-3">
          {FIELDS.map((f) => {
            const err = errors[f.name];
            const id = `tx-${f.name}`;
            return (
              <div key={f.name} data-field={f.name} className={f.name === 'timestamp' ? 'md:col-span-2' : ''}>
                <label className="label" htmlFor={id}>
                  {f.label}
                </label>
                <input
                  id={id}
                  name={f.name}
                  // text, not number: malformed input must reach the server's validation and its message
                  type="text"
                  inputMode={f.type === 'number' ? 'decimal' : undefined}
                  defaultValue={example ? String(example[f.name]) : ''}
                  aria-invalid={err ? true : undefined}
                  aria-describedby={`${id}-help`}
                  className={`input ${err ? 'border-red-400' : ''}`}
                />
                <p
                  id={`${id}-help`}
                  className={`mt-0.5 text-xs ${err ? 'text-red-700' : 'text-slate-400'}`}
                  data-field-error={err ? f.name : undefined}
                >
                  {err ?? f.hint}
                </p>
              </div>
            );
          })}
        </div>
        <fieldset className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <legend className="sr-only">What to do</legend>
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
          <label>
            <input
              type="radio"
              name="mode"
              value="ingest"
              checked={mode === 'ingest'}
              onChange={() => setMode('ingest')}
              className="mr-1.5"
            />
            Ingest: store, score and raise an alert under the policy
          </label>
        </fieldset>
        {mode === 'ingest' && <PolicyFields prefix="one" errors={errors} />}
        {(error || otherErrors.length > 0) && (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
            {otherErrors.map(([k, m]) => (
              <div key={k}>
                {k}: {m}
              </div>
            ))}
          </div>
        )}
        <button type="submit" className="btn" disabled={pending}>
          {pending ? 'Scoring…' : mode === 'preview' ? 'Score' : 'Ingest'}
        </button>
      </form>

      <div className="card space-y-3 xl:col-span-2" data-testid="score-result" aria-live="polite">
        <h2 className="text-lg font-semibold">Result</h2>
        {!result && <p className="text-sm text-slate-500">The score and what drove it appear here.</p>}
        {result?.kind === 'preview' && (
          <>
            <div>
              <div className="text-xs text-slate-500">Fraud probability of {result.txId}</div>
              <div className="text-3xl font-semibold tabular-nums" data-testid="fraud-score">
                {fmtScore(result.score)}
              </div>
              <div className="text-xs text-slate-500">preview only: nothing was stored</div>
            </div>
            <DriverBars drivers={result.drivers} />
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600">The 15 features the model saw</summary>
              <table className="table mt-2">
                <tbody>
                  {result.features.map((f) => (
                    <tr key={f.feature}>
                      <td className="text-slate-600">{f.label}</td>
                      <td className="text-right tabular-nums">
                        {f.feature.toLowerCase().includes('amount') ? fmtAmount(f.value) : fixed(f.value, 3)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
        {result?.kind === 'ingested' && (
          <div className="space-y-2 text-sm" data-testid="ingest-result">
            <div>
              <div className="text-xs text-slate-500">Fraud probability of {result.result.txId}</div>
              <div className="text-3xl font-semibold tabular-nums">{fmtScore(result.result.score)}</div>
            </div>
            <p>
              {result.result.status === 'new'
                ? 'Stored as a new transaction with its score.'
                : 'This transaction id was ingested before with the same fields: nothing changed.'}
            </p>
            {result.result.alert ? (
              <p>
                {result.result.alert.created ? 'Alert raised' : 'It already has an alert'} (
                {result.result.alert.reason === 'top_k' ? 'daily top k' : 'threshold'}, {result.result.alert.status}
                ).{' '}
                <Link href={`/fraud/alerts/${result.result.alert.id}`} className="text-brand-700 underline">
                  Open the alert
                </Link>
              </p>
            ) : (
              <p className="text-slate-600">No alert: the policy did not select it.</p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
