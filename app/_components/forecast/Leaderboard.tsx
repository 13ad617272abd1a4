'use client';

// The leaderboard of one dataset: every run per horizon, ranked by MASE (below 1 beats the naive forecast), its
// forecaster's headline metrics as mean ± std over seeds, and under it the baselines scored on the same test days.

import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { BaselineId } from '@/lib/forecast/baselines';
import type { HeadlineKey, RunSummary } from '@/lib/forecast/summary';
import { METRIC_INFO } from './metricInfo';

export type LeaderboardRun = { id: string; name: string; createdAt: number; summary: RunSummary };

/** The columns, with the short headers a wide table needs (full names and definitions are in the tooltips). */
const COLUMNS: [HeadlineKey, string][] = [
  ['rmse', 'RMSE'],
  ['mase', 'MASE'],
  ['directionalAccuracy', 'Direction'],
  ['ic', 'IC'],
  ['coverage', 'Coverage'],
  ['dmPValue', 'DM p'],
  ['sharpe', 'Sharpe'],
  ['annualReturn', 'Ann. return'],
  ['maxDrawdown', 'Max DD'],
];
/** p-values are not averaged meaningfully with a spread */
const NO_SPREAD: ReadonlySet<HeadlineKey> = new Set(['dmPValue']);
const TRADING: ReadonlySet<HeadlineKey> = new Set(['totalReturn', 'annualReturn', 'sharpe', 'maxDrawdown']);

const BASELINE_NAMES: Record<BaselineId, string> = {
  naive: 'Naive',
  drift: 'Drift',
  ar: 'AR(p)',
  ma: 'Moving average',
};

function rankValue(s: RunSummary): number {
  const v = s.model.mase.mean;
  return v === null || !Number.isFinite(v) ? Number.POSITIVE_INFINITY : v;
}

export function Leaderboard({ runs }: { runs: LeaderboardRun[] }) {
  const [showBaselines, setShowBaselines] = useState(true);
  const horizons = [...new Set(runs.map((r) => r.summary.horizon))].sort((a, b) => a - b);
  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm text-slate-600">
        <input type="checkbox" checked={showBaselines} onChange={(e) => setShowBaselines(e.target.checked)} />
        Show the baselines under each run (scored on that run&apos;s test days)
      </label>
      {horizons.map((h) => {
        const group = runs
          .filter((r) => r.summary.horizon === h)
          .sort((a, b) => rankValue(a.summary) - rankValue(b.summary));
        return (
          <div key={h} className="overflow-x-auto">
            <h3 className="mb-1 text-sm font-semibold text-slate-700">
              Horizon {h} day{h === 1 ? '' : 's'} · {group.length} run{group.length === 1 ? '' : 's'}, ranked by MASE
            </h3>
            <table className="table" data-testid={`leaderboard-h${h}`}>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Run</th>
                  <th>Test days</th>
                  {COLUMNS.map(([k, short]) => (
                    <th
                      key={k}
                      title={`${METRIC_INFO[k].label}: ${METRIC_INFO[k].definition}`}
                      className="whitespace-nowrap"
                    >
                      <span className="cursor-help border-b border-dotted border-slate-400">{short}</span>
                      <div className="text-xs font-normal text-slate-400">{METRIC_INFO[k].unit}</div>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {group.map((run, rank) => {
                  const s = run.summary;
                  const multi = s.seeds.length > 1;
                  return (
                    <Fragment key={run.id}>
                      <tr data-run-id={run.id}>
                        <td className="tabular-nums">{rank + 1}</td>
                        <td>
                          <Link
                            href={`/forecast/runs/${run.id}`}
                            className="font-medium text-brand-700 hover:underline"
                          >
                            {run.name}
                          </Link>
                          <div className="text-xs text-slate-500">
                            {s.modelLabel} · {s.window} {s.trainSize}, every {s.retrainEvery} d
                            {s.warmStart ? ', warm' : ''} · {s.seeds.length} seed{multi ? 's' : ''}
                          </div>
                        </td>
                        <td className="whitespace-nowrap text-xs">
                          {s.testDays}
                          <div className="text-slate-400">
                            {s.firstTestDate} → {s.lastTestDate}
                          </div>
                        </td>
                        {COLUMNS.map(([k]) => {
                          const v = s.model[k];
                          const fmt = METRIC_INFO[k].format;
                          return (
                            <td key={k} className="whitespace-nowrap tabular-nums">
                              {v.mean === null || !Number.isFinite(v.mean) ? '—' : fmt(v.mean)}
                              {multi && !NO_SPREAD.has(k) && v.std !== null && Number.isFinite(v.std) && (
                                <div className="text-xs text-slate-400">± {fmt(v.std)}</div>
                              )}
                            </td>
                          );
                        })}
                      </tr>
                      {showBaselines &&
                        (Object.keys(s.baselines) as BaselineId[]).map((b) => (
                          <tr key={`${run.id}-${b}`} className="text-xs text-slate-500">
                            <td />
                            <td className="pl-6" colSpan={2}>
                              {BASELINE_NAMES[b] ?? b}
                            </td>
                            {COLUMNS.map(([k]) => {
                              const v = s.baselines[b]?.[k] ?? null;
                              return (
                                <td key={k} className="whitespace-nowrap tabular-nums">
                                  {v === null || !Number.isFinite(v) ? '—' : METRIC_INFO[k].format(v)}
                                </td>
                              );
                            })}
                          </tr>
                        ))}
                      {showBaselines && (
                        <tr className="text-xs text-slate-500">
                          <td />
                          <td className="pl-6" colSpan={2}>
                            Buy and hold
                          </td>
                          {COLUMNS.map(([k]) => {
                            const v = TRADING.has(k)
                              ? (s.buyAndHold as unknown as Record<string, number | null>)[k]
                              : null;
                            return (
                              <td key={k} className="whitespace-nowrap tabular-nums">
                                {v === null || v === undefined || !Number.isFinite(v) ? '' : METRIC_INFO[k].format(v)}
                              </td>
                            );
                          })}
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
