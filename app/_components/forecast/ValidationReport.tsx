// The validation report of a price CSV: how the file was read, its rows, the bad rows (line, column, value, why) and
// the trading days missing from it. Rendered before importing and again when an import is refused.

import type { PriceValidationReport } from '@/lib/data/price-csv';
import { count } from './format';

const KIND_LABEL: Record<string, string> = {
  'unparseable-date': 'unreadable date',
  'unparseable-number': 'unreadable number',
  'missing-value': 'missing value',
  'high-below-low': 'High below Low',
  'non-positive-price': 'price ≤ 0',
  'negative-volume': 'negative volume',
  'duplicate-date': 'duplicate date',
  'price-outside-range': 'Open/Close outside [Low, High]',
  'off-calendar-date': 'not a trading day',
};

const MAX_GAPS_SHOWN = 30;

export function ValidationReport({ report, fileName }: { report: PriceValidationReport; fileName?: string }) {
  const gaps = report.gaps.gaps;
  return (
    <div className="space-y-4" data-testid="validation-report">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-4">
        {fileName && (
          <div className="col-span-2 md:col-span-4">
            <dt className="text-slate-500">File</dt>
            <dd className="font-medium">{fileName}</dd>
          </div>
        )}
        <div>
          <dt className="text-slate-500">Format</dt>
          <dd>
            {report.format === 'yahoo' ? 'Yahoo Finance' : 'Stooq'} · {report.lineEnding} ·{' '}
            {report.order === 'descending'
              ? 'newest first'
              : report.order === 'ascending'
                ? 'oldest first'
                : 'unordered'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Rows</dt>
          <dd data-testid="report-rows">
            {count(report.validRows)} valid of {count(report.rows)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Dates</dt>
          <dd>
            {report.firstDate ?? '—'} → {report.lastDate ?? '—'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Prices</dt>
          <dd>
            {report.adjusted ? 'Adj Close present: adjusted prices are used' : 'no Adj Close: raw closes are used'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Errors · warnings</dt>
          <dd className={report.errorCount > 0 ? 'font-medium text-red-700' : ''} data-testid="report-errors">
            {count(report.errorCount)} error{report.errorCount === 1 ? '' : 's'} · {count(report.warningCount)} warning
            {report.warningCount === 1 ? '' : 's'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Missing trading days</dt>
          <dd className={report.gaps.missingDays > 0 ? 'text-amber-700' : ''}>
            {count(report.gaps.missingDays)} ({report.gaps.calendar === 'nyse' ? 'NYSE calendar' : 'business days'})
          </dd>
        </div>
        {report.ticker && (
          <div>
            <dt className="text-slate-500">Ticker in file</dt>
            <dd>{report.ticker}</dd>
          </div>
        )}
      </dl>

      {report.issues.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold text-slate-700">Row issues</h3>
          <p className="text-xs text-slate-500">
            Errors make a row unusable (the file is refused unless you choose to leave those rows out); warnings are
            kept and only reported.
          </p>
          <div className="mt-2 max-h-80 overflow-auto rounded border border-slate-200">
            <table className="table" data-testid="issues-table">
              <thead className="sticky top-0 bg-white">
                <tr>
                  <th>Line</th>
                  <th>Column</th>
                  <th>Value</th>
                  <th>Problem</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {report.issues.map((i) => (
                  <tr key={`${i.line}-${i.field}-${i.kind}`}>
                    <td className="tabular-nums">{i.line}</td>
                    <td>{i.field}</td>
                    <td className="max-w-40 truncate font-mono text-xs" title={i.value}>
                      {i.value === '' ? '(empty)' : i.value}
                    </td>
                    <td>
                      <span
                        className={`rounded px-1.5 py-0.5 text-xs font-medium ${i.severity === 'error' ? 'bg-red-100 text-red-800' : 'bg-amber-100 text-amber-800'}`}
                      >
                        {i.severity}
                      </span>{' '}
                      {KIND_LABEL[i.kind] ?? i.kind}
                    </td>
                    <td className="text-slate-600">{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.omittedIssues > 0 && (
            <p className="mt-1 text-xs text-slate-500">… and {count(report.omittedIssues)} more not listed.</p>
          )}
        </div>
      )}

      {gaps.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold text-slate-700">Gaps</h3>
          <p className="text-xs text-slate-500">
            Trading sessions with no row. They are kept as gaps (returns span them); nothing is filled in.
          </p>
          <ul className="mt-1 grid grid-cols-1 gap-x-6 text-xs text-slate-600 md:grid-cols-2" data-testid="gaps">
            {gaps.slice(0, MAX_GAPS_SHOWN).map((g) => (
              <li key={g.after}>
                after {g.after}: {g.missing.length} day{g.missing.length === 1 ? '' : 's'} missing (
                {g.missing.slice(0, 4).join(', ')}
                {g.missing.length > 4 ? ', …' : ''})
              </li>
            ))}
          </ul>
          {gaps.length > MAX_GAPS_SHOWN && (
            <p className="mt-1 text-xs text-slate-500">… and {gaps.length - MAX_GAPS_SHOWN} more gaps.</p>
          )}
        </div>
      )}
    </div>
  );
}
