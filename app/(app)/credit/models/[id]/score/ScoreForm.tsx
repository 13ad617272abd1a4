'use client';

// The application form, built from the model's schema: per-field errors from the server's validation, then PD,
// score, decision and up to four reasons. Each scored application is stored as a decision by the action.

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import type { FormField } from '@/lib/credit/scoring';
import type { FieldError } from '@/lib/credit/types';
import { DecisionBadge } from '../../../../../_components/credit/DecisionBadge';
import { pct } from '../../../../../_components/credit/format';
import { type ScoredApplication, scoreOne } from '../../../actions';

type Bands = { approveBelow: number; declineFrom: number; approveScore: number | null; declineScore: number | null };

function rangeHint(f: FormField): string {
  if (f.min === undefined || f.max === undefined) return '';
  const fmt = (v: number) => v.toLocaleString('en-US');
  return `${fmt(f.min)}–${fmt(f.max)}${f.unit ? ` ${f.unit}` : ''}${f.step === 1 ? ', whole number' : ''}`;
}

export function ScoreForm({ modelId, fields, bands }: { modelId: string; fields: FormField[]; bands: Bands }) {
  const [scored, setScored] = useState<ScoredApplication | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [pending, start] = useTransition();
  const resultRef = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const errorOf = (name: string) => fieldErrors.filter((e) => e.field === name).map((e) => e.message);
  const known = new Set(fields.map((f) => f.name));
  const otherErrors = fieldErrors.filter((e) => !known.has(e.field));

  const submit = (form: FormData) =>
    start(async () => {
      const input: Record<string, string> = {};
      for (const f of fields) input[f.name] = String(form.get(f.name) ?? '');
      const r = await scoreOne({ modelId, input });
      if (!r.ok) {
        setError(r.error);
        setScored(null);
        return;
      }
      setError(null);
      if ('fieldErrors' in r.data) {
        setFieldErrors(r.data.fieldErrors);
        setScored(null);
        return;
      }
      setFieldErrors([]);
      setScored(r.data);
      router.refresh();
      requestAnimationFrame(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }));
    });

  const res = scored?.result;
  return (
    <section className="grid grid-cols-1 gap-6 xl:grid-cols-3">
      <form
        key={formKey}
        noValidate
        // onSubmit rather than action: React resets a form after its action, and the entered values must stay
        onSubmit={(e) => {
          e.preventDefault();
          submit(new FormData(e.currentTarget));
        }}
        className="card space-y-4 xl:col-span-2"
        aria-label="Application"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Score one application</h2>
          <p className="text-xs text-slate-500">
            Filled in with the typical training applicant; fields marked * are required.
          </p>
        </div>
        <div className="grid grid-cols-1 gap-x-4 gap-y-3 md:grid-cols-2 lg:grid-cols-3">
          {fields.map((f) => {
            const errs = errorOf(f.name);
            const id = `field-${f.name}`;
            return (
              <div key={f.name} data-field={f.name}>
                <label className="label" htmlFor={id}>
                  {f.label}
                  {f.required ? ' *' : ''}
                </label>
                {f.kind === 'numeric' ? (
                  <div className="flex items-center gap-2">
                    <input
                      id={id}
                      name={f.name}
                      type="number"
                      inputMode="decimal"
                      step={f.step ?? 'any'}
                      min={f.min}
                      max={f.max}
                      defaultValue={f.typical === null ? '' : String(f.typical)}
                      aria-invalid={errs.length > 0}
                      aria-describedby={`${id}-help`}
                      className={`input ${errs.length ? 'border-red-400' : ''}`}
                    />
                    {f.unit && <span className="shrink-0 text-xs text-slate-500">{f.unit}</span>}
                  </div>
                ) : (
                  <select
                    id={id}
                    name={f.name}
                    defaultValue={f.typical === null ? '' : String(f.typical)}
                    aria-invalid={errs.length > 0}
                    aria-describedby={`${id}-help`}
                    className={`input ${errs.length ? 'border-red-400' : ''}`}
                  >
                    {!f.required && <option value="">— not given —</option>}
                    {(f.options ?? []).map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                )}
                <p id={`${id}-help`} className={`mt-0.5 text-xs ${errs.length ? 'text-red-700' : 'text-slate-400'}`}>
                  {errs.length
                    ? errs.join(' ')
                    : f.kind === 'numeric'
                      ? rangeHint(f)
                      : `${f.options?.length ?? 0} options`}
                </p>
              </div>
            );
          })}
        </div>
        {(error || otherErrors.length > 0) && (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
            {otherErrors.map((e) => (
              <div key={`${e.field}-${e.message}`}>{e.message}</div>
            ))}
          </div>
        )}
        {fieldErrors.length > 0 && (
          <p role="alert" className="text-sm text-red-700">
            {fieldErrors.length} field{fieldErrors.length === 1 ? ' needs' : 's need'} correcting; nothing was scored or
            stored.
          </p>
        )}
        <div className="flex gap-2">
          <button type="submit" className="btn" disabled={pending}>
            {pending ? 'Scoring…' : 'Score application'}
          </button>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setFormKey((k) => k + 1);
              setFieldErrors([]);
              setError(null);
            }}
          >
            Reset to the typical applicant
          </button>
        </div>
      </form>

      <div ref={resultRef} className="card space-y-4" data-testid="score-result" aria-live="polite">
        <h2 className="text-lg font-semibold">Decision</h2>
        {!res && (
          <p className="text-sm text-slate-500">
            Approve below PD {pct(bands.approveBelow)}
            {bands.approveScore !== null ? ` (score above ${bands.approveScore})` : ''}, decline from{' '}
            {pct(bands.declineFrom)}
            {bands.declineScore !== null ? ` (score ${bands.declineScore} or less)` : ''}, refer in between.
          </p>
        )}
        {res && scored && (
          <>
            <DecisionBadge decision={res.decision} large />
            <dl className="grid grid-cols-2 gap-3">
              <div className="rounded-md border border-slate-200 px-3 py-2">
                <dt className="text-xs text-slate-500">Probability of default</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid="result-pd">
                  {pct(res.pd, 1)}
                </dd>
              </div>
              <div className="rounded-md border border-slate-200 px-3 py-2">
                <dt className="text-xs text-slate-500">Score (higher is safer)</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid="result-score">
                  {res.score} pts
                </dd>
              </div>
            </dl>
            <PdBar pd={res.pd} approveBelow={res.bands.approveBelow} declineFrom={res.bands.declineFrom} />
            <div>
              <h3 className="text-sm font-medium">Reasons</h3>
              {res.reasons.length === 0 ? (
                <p className="text-sm text-slate-500">
                  {res.decision === 'approve'
                    ? 'Approved: no adverse reasons are given.'
                    : 'No field raised the risk above the typical applicant’s.'}
                </p>
              ) : (
                <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm" data-testid="reasons">
                  {res.reasons.map((r) => (
                    <li key={r.feature}>
                      {r.text}
                      <span
                        className="ml-1 text-xs text-slate-400"
                        title="raise of the model's log-odds over the typical applicant's value"
                      >
                        (+{r.contribution.toFixed(2)} log-odds)
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
            <p className="text-xs text-slate-500">
              Raw network PD {pct(res.rawPd)} before calibration · server time {res.elapsedMs.toFixed(1)} ms · stored as
              decision <span className="font-mono">{scored.decisionId.slice(0, 8)}</span>
            </p>
          </>
        )}
      </div>
    </section>
  );
}

/** Where the PD falls among the approve / refer / decline bands (0–100 % on a square-root scale: small PDs matter). */
function PdBar({ pd, approveBelow, declineFrom }: { pd: number; approveBelow: number; declineFrom: number }) {
  const x = (p: number) => `${(100 * Math.sqrt(Math.min(1, Math.max(0, p)))).toFixed(2)}%`;
  return (
    <div>
      <div className="relative h-3 w-full overflow-hidden rounded bg-red-200">
        <div className="absolute inset-y-0 left-0 bg-emerald-200" style={{ width: x(approveBelow) }} />
        <div
          className="absolute inset-y-0 bg-amber-200"
          style={{ left: x(approveBelow), width: `calc(${x(declineFrom)} - ${x(approveBelow)})` }}
        />
        <div className="absolute inset-y-0 w-0.5 bg-slate-900" style={{ left: x(pd) }} />
      </div>
      <div className="mt-0.5 flex justify-between text-[10px] text-slate-400">
        <span>PD 0 %</span>
        <span>
          approve &lt; {pct(approveBelow)} · decline ≥ {pct(declineFrom)}
        </span>
        <span>100 %</span>
      </div>
    </div>
  );
}
