'use client';

// Upload → preview (inferred kinds to confirm or override, missing values, rare categories) → choose target and bad
// value → import; per-row problems are listed and nothing is stored when there are any.

import Link from 'next/link';
import { useMemo, useState, useTransition } from 'react';
import type { ImportPreview } from '@/lib/credit/applicationsCsv';
import type { ColumnKind, ColumnProfile, RowError } from '@/lib/credit/types';
import { csvUploadProblem } from '@/lib/uploads';
import { count, pct } from '../../../_components/credit/format';
import { type ImportedDataset, importDataset, previewImport } from '../actions';

type Header = 'auto' | 'yes' | 'no';

const KINDS: { value: ColumnKind; label: string }[] = [
  { value: 'numeric', label: 'numeric' },
  { value: 'categorical', label: 'categorical' },
  { value: 'date', label: 'date (not used)' },
  { value: 'id', label: 'id (not used)' },
];

function ProblemList({ problems, title }: { problems: RowError[]; title: string }) {
  return (
    <div
      className="rounded-lg border border-red-200 bg-red-50 p-5 shadow-sm"
      role="alert"
      data-testid="import-problems"
    >
      <h2 className="font-semibold text-red-800">{title}</h2>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="table">
          <thead>
            <tr>
              <th>Line</th>
              <th>Column</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
              <tr key={i}>
                <td className="tabular-nums">{p.line > 0 ? p.line : 'file'}</td>
                <td className="font-mono text-xs">{p.field || '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Summary({ c }: { c: ColumnProfile }) {
  const n = (v: number | undefined) =>
    v === undefined ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
  if (c.kind === 'numeric' || (c.min !== undefined && c.kind !== 'date')) {
    return (
      <span className="tabular-nums">
        {n(c.min)} – {n(c.max)} · mean {n(c.mean)} ± {n(c.std)} · median {n(c.median)}
      </span>
    );
  }
  if (c.kind === 'date') {
    return (
      <span>
        {c.firstDate} – {c.lastDate}
      </span>
    );
  }
  if (c.categories && c.categories.length > 0) {
    const shown = c.categories.slice(0, 4);
    return (
      <span>
        {shown.map((k) => `${k.value} (${k.count})`).join(', ')}
        {c.categories.length > shown.length ? `, … ${c.distinct - shown.length} more` : ''}
      </span>
    );
  }
  return <span className="text-slate-500">e.g. {c.examples.slice(0, 3).join(', ')}</span>;
}

export function ImportFlow() {
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<Header>('auto');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [problems, setProblems] = useState<RowError[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const [kinds, setKinds] = useState<Record<string, ColumnKind>>({});
  const [excluded, setExcluded] = useState<Record<string, boolean>>({});
  const [target, setTarget] = useState('');
  const [badValue, setBadValue] = useState('');
  const [name, setName] = useState('');
  const [imported, setImported] = useState<ImportedDataset | null>(null);
  const [pending, start] = useTransition();

  const runPreview = (f: File, h: Header) =>
    start(async () => {
      setImported(null);
      setProblems(null);
      setPreview(null);
      // checked here too, so a file over the limit never hits the server's request-size limit
      const problem = csvUploadProblem(f);
      setError(problem);
      if (problem) return;
      const form = new FormData();
      form.set('file', f);
      form.set('header', h);
      const r = await previewImport(form);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      if ('problems' in r.data) {
        setProblems(r.data.problems);
        return;
      }
      const p = r.data.preview;
      setPreview(p);
      setKinds(Object.fromEntries(p.columns.map((c) => [c.name, c.kind])));
      setExcluded({});
      const t = p.targetCandidates[0];
      setTarget(t?.name ?? '');
      setBadValue(t?.suggestedBad ?? '');
      setName(r.data.fileName.replace(/\.[^.]*$/, ''));
    });

  const badOptions = useMemo(() => {
    if (!preview || !target) return [];
    const cand = preview.targetCandidates.find((t) => t.name === target);
    if (cand) return cand.values;
    return preview.columns.find((c) => c.name === target)?.categories ?? [];
  }, [preview, target]);

  const chooseTarget = (t: string) => {
    setTarget(t);
    const cand = preview?.targetCandidates.find((c) => c.name === t);
    const cats = preview?.columns.find((c) => c.name === t)?.categories;
    setBadValue(cand?.suggestedBad ?? cats?.[cats.length - 1]?.value ?? '');
  };

  const runImport = () =>
    start(async () => {
      if (!file || !preview) return;
      setError(null);
      setProblems(null);
      setFieldErrors({});
      const inferred = Object.fromEntries(preview.columns.map((c) => [c.name, c.kind]));
      const form = new FormData();
      form.set('file', file);
      form.set('header', header);
      form.set('name', name);
      form.set('target', target);
      form.set('badValue', badValue);
      // only the kinds the user changed are sent: the others stay as inferred on the server
      form.set(
        'kinds',
        JSON.stringify(Object.fromEntries(Object.entries(kinds).filter(([k, v]) => inferred[k] !== v))),
      );
      form.set(
        'exclude',
        JSON.stringify(
          Object.entries(excluded)
            .filter(([c, x]) => x && c !== target)
            .map(([c]) => c),
        ),
      );
      const r = await importDataset(form);
      if (!r.ok) {
        setError(r.error);
        setFieldErrors(r.fieldErrors ?? {});
        return;
      }
      if ('problems' in r.data) {
        setProblems(r.data.problems);
        return;
      }
      setImported(r.data);
    });

  const targetCol = preview?.columns.find((c) => c.name === target);
  const used = preview
    ? preview.columns.filter(
        (c) => c.name !== target && !excluded[c.name] && ['numeric', 'categorical'].includes(kinds[c.name]),
      )
    : [];

  return (
    <div className="space-y-6">
      <section className="card grid grid-cols-1 gap-4 md:grid-cols-3">
        <div className="md:col-span-2">
          <label className="label" htmlFor="credit-file">
            Applications file (CSV, up to 25 MB)
          </label>
          <input
            id="credit-file"
            type="file"
            accept=".csv,.txt,text/csv"
            className="input"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f) runPreview(f, header);
            }}
          />
        </div>
        <div>
          <label className="label" htmlFor="credit-header">
            First row
          </label>
          <select
            id="credit-header"
            className="input"
            value={header}
            onChange={(e) => {
              const h = e.target.value as Header;
              setHeader(h);
              if (file) runPreview(file, h);
            }}
          >
            <option value="auto">detect header automatically</option>
            <option value="yes">is a header (column names)</option>
            <option value="no">is data (no header)</option>
          </select>
        </div>
        {pending && !preview && <p className="text-sm text-slate-500 md:col-span-3">Reading the file…</p>}
      </section>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {problems && (
        <ProblemList
          problems={problems}
          title={
            preview
              ? `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the file`
              : `The file cannot be read: ${problems.length} problem${problems.length === 1 ? '' : 's'}`
          }
        />
      )}

      {imported && (
        <section
          className="rounded-lg border border-emerald-200 bg-emerald-50 p-5 shadow-sm"
          role="status"
          data-testid="import-done"
        >
          <h2 className="font-semibold text-emerald-800">Imported “{imported.name}”</h2>
          <p className="mt-1 text-sm text-slate-700">
            {count(imported.rows)} applications ({count(imported.bads)} bad, {count(imported.goods)} good; bad rate{' '}
            {pct(imported.bads / imported.rows)}), {imported.features} model inputs.
            {imported.ignored.length > 0 && <> Not used: {imported.ignored.join('; ')}.</>}
          </p>
          <div className="mt-3 flex gap-2">
            <Link href={`/credit/train?dataset=${imported.datasetId}`} className="btn">
              Train a model on it
            </Link>
            <Link href="/credit" className="btn-secondary">
              Back to Credit
            </Link>
          </div>
        </section>
      )}

      {preview && !imported && (
        <>
          <section className="card space-y-4">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-semibold">Outcome and name</h2>
              <p className="text-sm text-slate-500" data-testid="preview-summary">
                {count(preview.rowCount)} rows · {preview.columns.length} columns ·{' '}
                {preview.hasHeader ? 'header row found' : 'no header row'}
                {preview.germanCoded && ' · coded German Credit file recognised and decoded'}
              </p>
            </div>
            <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
              <div>
                <label className="label" htmlFor="credit-target">
                  Target column (the outcome)
                </label>
                <select
                  id="credit-target"
                  className="input"
                  value={target}
                  onChange={(e) => chooseTarget(e.target.value)}
                >
                  <option value="">— choose —</option>
                  {preview.targetCandidates.length > 0 && (
                    <optgroup label="Two-valued columns (likely targets)">
                      {preview.targetCandidates.map((t) => (
                        <option key={t.name} value={t.name}>
                          {t.name}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  <optgroup label="Other columns">
                    {preview.columns
                      .filter((c) => !preview.targetCandidates.some((t) => t.name === c.name))
                      .map((c) => (
                        <option key={c.name} value={c.name}>
                          {c.name}
                        </option>
                      ))}
                  </optgroup>
                </select>
                {fieldErrors.target && <p className="mt-1 text-xs text-red-700">{fieldErrors.target[0]}</p>}
              </div>
              <div>
                <label className="label" htmlFor="credit-bad">
                  Value meaning “bad” (defaulted)
                </label>
                {badOptions.length > 0 ? (
                  <select
                    id="credit-bad"
                    className="input"
                    value={badValue}
                    onChange={(e) => setBadValue(e.target.value)}
                  >
                    {badOptions.map((v) => (
                      <option key={v.value} value={v.value}>
                        {v.value} ({count(v.count)} rows)
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id="credit-bad"
                    className="input"
                    value={badValue}
                    onChange={(e) => setBadValue(e.target.value)}
                  />
                )}
                {targetCol && targetCol.missing > 0 && (
                  <p className="mt-1 text-xs text-amber-700">
                    {targetCol.missing} rows have no outcome; the import will list them.
                  </p>
                )}
                {fieldErrors.badValue && <p className="mt-1 text-xs text-red-700">{fieldErrors.badValue[0]}</p>}
              </div>
              <div>
                <label className="label" htmlFor="credit-name">
                  Dataset name
                </label>
                <input id="credit-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
                {fieldErrors.name && <p className="mt-1 text-xs text-red-700">{fieldErrors.name[0]}</p>}
              </div>
            </div>
          </section>

          <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4">
              <h2 className="text-lg font-semibold">Columns: confirm the inferred types</h2>
              <p className="text-sm text-slate-500">
                {used.length} model inputs. Date and id columns are never model inputs; untick a column to leave it out.
              </p>
            </div>
            <div className="overflow-x-auto">
              <table className="table" data-testid="preview-columns">
                <thead>
                  <tr>
                    <th>Use</th>
                    <th>Column</th>
                    <th>Type</th>
                    <th className="text-right">Missing</th>
                    <th className="text-right">Distinct</th>
                    <th>Values</th>
                    <th>Rare categories (&lt; 1 % of rows)</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.columns.map((c) => {
                    const isTarget = c.name === target;
                    const changed = kinds[c.name] !== c.kind;
                    return (
                      <tr key={c.name} data-column={c.name} className={isTarget ? 'bg-brand-50' : ''}>
                        <td>
                          {isTarget ? (
                            <span className="text-xs font-medium text-brand-700">target</span>
                          ) : (
                            <input
                              type="checkbox"
                              aria-label={`Use ${c.name}`}
                              checked={!excluded[c.name]}
                              onChange={(e) => setExcluded({ ...excluded, [c.name]: !e.target.checked })}
                            />
                          )}
                        </td>
                        <td className="font-mono text-xs">{c.name}</td>
                        <td>
                          <select
                            aria-label={`Type of ${c.name}`}
                            className={`input w-44 py-1 ${changed ? 'border-amber-400' : ''}`}
                            value={kinds[c.name] ?? c.kind}
                            onChange={(e) => setKinds({ ...kinds, [c.name]: e.target.value as ColumnKind })}
                            disabled={isTarget}
                          >
                            {KINDS.map((k) => (
                              <option key={k.value} value={k.value}>
                                {k.label}
                              </option>
                            ))}
                          </select>
                          <div className={`mt-0.5 max-w-48 text-xs ${changed ? 'text-amber-700' : 'text-slate-500'}`}>
                            {changed ? `Changed from ${c.kind} (inferred).` : c.kindReason}
                          </div>
                        </td>
                        <td
                          className={`text-right tabular-nums ${c.missing > 0 ? 'text-amber-700' : 'text-slate-400'}`}
                        >
                          {count(c.missing)}
                          {c.missing > 0 && <div className="text-xs">{pct(c.missing / preview.rowCount)}</div>}
                        </td>
                        <td className="text-right tabular-nums">{count(c.distinct)}</td>
                        <td className="max-w-md text-xs">
                          <Summary c={c} />
                        </td>
                        <td className="max-w-xs text-xs">
                          {c.rareCategories && c.rareCategories.length > 0 ? (
                            <span className="text-amber-700">
                              {c.rareCategories.map((r) => `${r.value} (${r.count})`).join(', ')}
                            </span>
                          ) : (
                            <span className="text-slate-400">none</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div className="flex items-center gap-3 border-t border-slate-100 px-5 py-4">
              <button type="button" className="btn" disabled={pending || !target || !badValue} onClick={runImport}>
                {pending ? 'Checking and importing…' : `Import ${count(preview.rowCount)} applications`}
              </button>
              <span className="text-sm text-slate-500">
                Rare categories are kept; at training they can be merged into an “other” bucket (minimum category
                count).
              </span>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
