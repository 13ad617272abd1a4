// "What drove the score": each feature's effect on the fraud probability as a bar left (lowers) or right (raises) of
// zero, with the value and the training mean. Plain markup: usable from server pages and client components.

import type { ScoreDriver } from '@/lib/fraud';
import { fixed, amount as fmtAmount } from './format';

export function DriverBars({ drivers, limit = 8 }: { drivers: ScoreDriver[]; limit?: number }) {
  const shown = drivers.slice(0, limit);
  const max = Math.max(1e-9, ...shown.map((d) => Math.abs(d.contribution)));
  return (
    <div data-testid="score-drivers">
      <h3 className="text-sm font-medium">What drove the score</h3>
      <p className="text-xs text-slate-500">
        Change in fraud probability (percentage points) when the feature is set to its training mean; largest first.
      </p>
      <table className="table mt-1">
        <thead>
          <tr>
            <th>Feature</th>
            <th className="text-right">Value</th>
            <th className="text-right">Training mean</th>
            <th className="w-1/3">Effect</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => {
            const w = (50 * Math.abs(d.contribution)) / max;
            const isAmount = d.feature.toLowerCase().includes('amount');
            return (
              <tr key={d.feature}>
                <td className="text-xs">{d.label}</td>
                <td className="text-right text-xs tabular-nums">{isAmount ? fmtAmount(d.value) : fixed(d.value, 3)}</td>
                <td className="text-right text-xs tabular-nums text-slate-500">
                  {isAmount ? fmtAmount(d.baseline) : fixed(d.baseline, 3)}
                </td>
                <td>
                  <div className="relative h-3 w-full" title={`${(d.contribution * 100).toFixed(2)} pp`}>
                    <div className="absolute top-0 left-1/2 h-full w-px bg-slate-300" />
                    <div
                      className={`absolute top-0 h-full ${d.contribution >= 0 ? 'left-1/2 bg-red-400' : 'right-1/2 bg-emerald-400'}`}
                      style={{ width: `${w}%` }}
                    />
                  </div>
                  <div className="text-right text-[10px] tabular-nums text-slate-500">
                    {d.contribution >= 0 ? '+' : '−'}
                    {Math.abs(d.contribution * 100).toFixed(2)} pp
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
