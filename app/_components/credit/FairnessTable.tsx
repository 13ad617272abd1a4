import type { FairnessReport } from '@/lib/credit/monitoring';
import { PassBadge } from './DecisionBadge';
import { count, fixed, pct } from './format';

/** Approval rate per group and its ratio to the best group, against the four-fifths rule. */
export function FairnessTable({ report, testId }: { report: FairnessReport; testId?: string }) {
  return (
    <div data-testid={testId}>
      <div className="mb-1 flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">By {report.attribute}</span>
        <PassBadge
          passes={report.passesFourFifths}
          label={['passes the four-fifths rule', 'fails the four-fifths rule']}
        />
        {report.minRatio !== null && <span className="text-slate-500">lowest ratio {fixed(report.minRatio, 2)}</span>}
        {report.ungrouped > 0 && <span className="text-slate-500">· {count(report.ungrouped)} without a value</span>}
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>Group</th>
            <th className="text-right">Applications</th>
            <th className="text-right">Approved</th>
            <th className="text-right">Approval rate</th>
            <th className="text-right" title="approval rate / the highest group's approval rate">
              Ratio to {report.referenceGroup ?? 'best'}
            </th>
            <th>≥ 0.80</th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((g) => (
            <tr key={g.group}>
              <td>{g.group}</td>
              <td className="text-right tabular-nums">
                {count(g.n)}
                {g.smallSample && (
                  <span className="ml-1 text-xs text-amber-700" title="fewer than 30: too noisy to judge">
                    (small)
                  </span>
                )}
              </td>
              <td className="text-right tabular-nums">{count(g.approved)}</td>
              <td className="text-right tabular-nums">{pct(g.approvalRate)}</td>
              <td className={`text-right tabular-nums ${g.passes ? '' : 'font-medium text-red-700'}`}>
                {fixed(g.ratio, 2)}
              </td>
              <td>
                <PassBadge passes={g.passes} label={['yes', 'no']} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
