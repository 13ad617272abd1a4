'use client';

// Import daily prices: upload a Yahoo / Stooq CSV, read its validation report (bad rows, gaps), then import it or
// see it refused; or download a ticker from Yahoo Finance.

import Link from 'next/link';
import { type ReactNode, useState, useTransition } from 'react';
import type { PriceValidationReport } from '@/lib/data/price-csv';
import { ValidationReport } from '../../../_components/forecast/ValidationReport';
import { checkPriceFile, downloadTicker, importPrices } from '../actions';

type Failure = { error: string; fieldErrors?: Record<string, string[] | undefined> };
type Imported = { datasetId: string; name: string; rows: number };

function FieldError({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return <p className="mt-1 text-xs text-red-700">{errors.join(' ')}</p>;
}

function Alert({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="whitespace-pre-line rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {children}
    </p>
  );
}

function Done({ imported }: { imported: Imported }) {
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 rounded-md bg-emerald-50 px-3 py-2 text-sm">
      <span className="text-emerald-800">
        Imported “{imported.name}”: {imported.rows.toLocaleString('en-US')} daily bars.
      </span>
      <Link href={`/forecast/new?dataset=${imported.datasetId}`} className="btn">
        Start a backtest on {imported.name}
      </Link>
      <Link href="/forecast" className="btn-secondary">
        Back to Forecast
      </Link>
    </div>
  );
}

/** "AAPL.csv" → "AAPL" */
function stem(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '');
}

export function PriceImport() {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [ticker, setTicker] = useState('');
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [report, setReport] = useState<{ fileName: string; report: PriceValidationReport } | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; report: PriceValidationReport | null } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [pending, start] = useTransition();

  const reset = () => {
    setReport(null);
    setRefusal(null);
    setFailure(null);
    setImported(null);
  };

  const check = () =>
    start(async () => {
      reset();
      if (!file) {
        setFailure({ error: 'Choose a CSV file.', fieldErrors: { file: ['Choose a CSV file.'] } });
        return;
      }
      const form = new FormData();
      form.set('file', file);
      const r = await checkPriceFile(form);
      if (!r.ok) setFailure(r);
      else if ('refused' in r.data) setRefusal({ message: r.data.refused, report: r.data.report });
      else setReport(r.data);
    });

  const doImport = () =>
    start(async () => {
      if (!file) return;
      const form = new FormData();
      form.set('file', file);
      form.set('name', name);
      form.set('ticker', ticker);
      form.set('skipBadRows', skipBadRows ? 'true' : 'false');
      const r = await importPrices(form);
      setFailure(null);
      if (!r.ok) setFailure(r);
      else if ('refused' in r.data) {
        setRefusal({ message: r.data.refused, report: r.data.report });
        setReport(null);
      } else {
        // nothing on this page reads the datasets; the action revalidated /forecast
        setImported(r.data);
      }
    });

  const errors = report?.report.errorCount ?? 0;
  const blocked = errors > 0 && !skipBadRows;
  return (
    <div className="space-y-6">
      <section className="card space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Upload a CSV</h2>
          <p className="text-sm text-slate-500">
            Yahoo Finance form (Date, Open, High, Low, Close, Adj Close, Volume; any column order) or Stooq daily form;
            newest- or oldest-first, LF or CRLF. Adjusted closes are used when present. Nothing is stored until you
            import.
          </p>
        </div>
        <div className="grid grid-cols-1 gap-3 md:grid-cols-4">
          <div className="md:col-span-2">
            <label className="label" htmlFor="price-file">
              Price file (CSV, up to 25 MB)
            </label>
            <input
              id="price-file"
              type="file"
              accept=".csv,text/csv"
              className="input"
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                reset();
                if (f) {
                  setName(stem(f.name));
                  if (/^[A-Za-z0-9.^=-]{1,10}$/.test(stem(f.name))) setTicker(stem(f.name).toUpperCase());
                }
              }}
            />
            <FieldError errors={failure?.fieldErrors?.file} />
          </div>
          <div>
            <label className="label" htmlFor="price-name">
              Dataset name
            </label>
            <input id="price-name" className="input" value={name} onChange={(e) => setName(e.target.value)} />
            <FieldError errors={failure?.fieldErrors?.name} />
          </div>
          <div>
            <label className="label" htmlFor="price-ticker">
              Ticker (optional)
            </label>
            <input
              id="price-ticker"
              className="input"
              value={ticker}
              placeholder="e.g. AAPL"
              onChange={(e) => setTicker(e.target.value)}
            />
            <FieldError errors={failure?.fieldErrors?.ticker} />
          </div>
        </div>
        <div className="flex items-center gap-3">
          <button type="button" className="btn" disabled={pending || !file} onClick={check}>
            {pending && !report ? 'Checking…' : 'Check file'}
          </button>
          <span className="text-sm text-slate-500">Reads the file and lists bad rows and gaps.</span>
        </div>
        {failure && !failure.fieldErrors?.file && <Alert>{failure.error}</Alert>}
        {refusal && (
          <div className="space-y-3" data-testid="import-refused">
            <Alert>The file was refused: {refusal.message}</Alert>
            {refusal.report && <ValidationReport report={refusal.report} />}
          </div>
        )}
        {report && !imported && (
          <div className="space-y-4 border-t border-slate-100 pt-4">
            <h3 className="text-base font-semibold">Validation report</h3>
            <ValidationReport report={report.report} fileName={report.fileName} />
            {errors > 0 && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} />
                Leave out the {errors} bad row{errors === 1 ? '' : 's'} and import the{' '}
                {report.report.validRows.toLocaleString('en-US')} valid ones
              </label>
            )}
            <div className="flex flex-wrap items-center gap-3">
              <button type="button" className="btn" disabled={pending || blocked} onClick={doImport}>
                Import {(skipBadRows ? report.report.validRows : report.report.rows).toLocaleString('en-US')} rows
              </button>
              {blocked && (
                <span className="text-sm text-red-700">
                  The file has {errors} bad row{errors === 1 ? '' : 's'}: fix the file, or leave them out.
                </span>
              )}
            </div>
          </div>
        )}
        {imported && <Done imported={imported} />}
      </section>
      <TickerDownload />
    </div>
  );
}

function TickerDownload() {
  const [result, setResult] = useState<{ ok: true; data: Imported } | ({ ok: false } & Failure) | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="card space-y-4"
      // onSubmit rather than a form action: an action resets the fields, and after a refusal they should stay
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => {
          const r = await downloadTicker(form);
          setResult(r);
        });
      }}
    >
      <div>
        <h2 className="text-lg font-semibold">Download by ticker</h2>
        <p className="text-sm text-slate-500">
          Daily bars with adjusted closes from Yahoo Finance (needs internet access; default: the last 10 years).
        </p>
      </div>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-4">
        <div>
          <label className="label" htmlFor="dl-ticker">
            Ticker
          </label>
          <input id="dl-ticker" name="ticker" className="input" placeholder="e.g. MSFT" required />
          <FieldError errors={result && !result.ok ? result.fieldErrors?.ticker : undefined} />
        </div>
        <div>
          <label className="label" htmlFor="dl-from">
            From (optional)
          </label>
          <input id="dl-from" name="from" type="date" className="input" />
          <FieldError errors={result && !result.ok ? result.fieldErrors?.from : undefined} />
        </div>
        <div>
          <label className="label" htmlFor="dl-to">
            To (optional)
          </label>
          <input id="dl-to" name="to" type="date" className="input" />
          <FieldError errors={result && !result.ok ? result.fieldErrors?.to : undefined} />
        </div>
        <div className="flex items-end">
          <button type="submit" className="btn-secondary" disabled={pending}>
            {pending ? 'Downloading…' : 'Download'}
          </button>
        </div>
      </div>
      {result && !result.ok && <Alert>{result.error}</Alert>}
      {result?.ok && <Done imported={result.data} />}
    </form>
  );
}
