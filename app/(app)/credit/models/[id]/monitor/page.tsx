import { notFound } from 'next/navigation';
import { getCreditModelReport, loadCreditModel } from '@/lib/credit/creditModels';
import { monitorCreditModel } from '@/lib/credit/decisions';
import { defaultGroupings, describeGroupBy, type GroupBy, type PsiResult } from '@/lib/credit/monitoring';
import { getDb } from '@/lib/store/db';
import { getUserById } from '@/lib/store/repos/users';
import { PsiBinsChart } from '../../../../../_components/credit/CreditCharts';
import { PsiBadge } from '../../../../../_components/credit/DecisionBadge';
import { FairnessTable } from '../../../../../_components/credit/FairnessTable';
import { count, fixed, pct } from '../../../../../_components/credit/format';
import { HowComputed } from '../../../../../_components/credit/HowComputed';
import { ModelHeader } from '../../../../../_components/credit/ModelHeader';
import { requirePageUser } from '../../../../../_server/guard';

const groupKey = (g: GroupBy) => `${g.kind}:${g.feature}`;

function parseSince(s: string | undefined): number | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) ? t : undefined;
}

function PsiBins({ r }: { r: PsiResult }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Bin</th>
          <th className="text-right">Training share</th>
          <th className="text-right">Share since</th>
        </tr>
      </thead>
      <tbody>
        {r.bins.map((b) => (
          <tr key={b.label}>
            <td>{b.label}</td>
            <td className="text-right tabular-nums">{pct(b.expected)}</td>
            <td className="text-right tabular-nums">{pct(b.actual)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function CreditMonitorPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ group?: string; since?: string }>;
}) {
  await requirePageUser('credit');
  const { id } = await params;
  const { group, since } = await searchParams;
  const db = getDb();
  const [found, model] = await Promise.all([getCreditModelReport(db, id), loadCreditModel(db, id)]);
  if (!found || !model) notFound();
  const creator = found.model.createdBy ? await getUserById(db, found.model.createdBy) : undefined;
  const features = model.bundle.features;
  const label = new Map(features.map((f) => [f.name, f.label]));

  // attributes to compare approval rates across: age bands / sex where the schema has them, then every category
  const options: GroupBy[] = [...defaultGroupings(features)];
  for (const f of features) {
    if (f.kind === 'categorical' && !options.some((o) => o.kind === 'category' && o.feature === f.name)) {
      options.push({ kind: 'category', feature: f.name });
    }
  }
  const chosen = options.find((o) => groupKey(o) === group) ?? options[0];
  const sinceMs = parseSince(since);
  const report = await monitorCreditModel(db, model, { since: sinceMs, groupBy: chosen ? [chosen] : [] });
  const { stability, counts } = report;
  const n = report.decisions;

  return (
    <div className="space-y-6">
      <ModelHeader
        id={id}
        name={found.model.name}
        card={found.card}
        createdBy={creator?.name ?? null}
        active="monitor"
      />

      <form method="get" className="card flex flex-wrap items-end gap-4" aria-label="Monitoring settings">
        <div>
          <label className="label" htmlFor="monitor-since">
            Applications scored since
          </label>
          <input id="monitor-since" name="since" type="date" className="input" defaultValue={since ?? ''} />
        </div>
        <div>
          <label className="label" htmlFor="monitor-group">
            Fairness attribute
          </label>
          <select id="monitor-group" name="group" className="input" defaultValue={chosen ? groupKey(chosen) : ''}>
            {options.map((o) => (
              <option key={groupKey(o)} value={groupKey(o)}>
                {o.kind === 'category' ? (label.get(o.feature) ?? o.feature) : describeGroupBy(o)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Update
        </button>
        <p className="text-sm text-slate-500">
          Compares the applications this model has scored{sinceMs ? ` since ${since}` : ''} with its training population
          ({count(model.bundle.population.n)} applications).
        </p>
      </form>

      <section className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="monitor-summary">
        {[
          ['Decisions', count(n)],
          ['Approved', n ? `${count(counts.approve)} (${pct(counts.approve / n)})` : '—'],
          ['Referred', n ? `${count(counts.refer)} (${pct(counts.refer / n)})` : '—'],
          ['Declined', n ? `${count(counts.decline)} (${pct(counts.decline / n)})` : '—'],
        ].map(([k, v]) => (
          <div key={k} className="rounded-md border border-slate-200 bg-white px-3 py-2">
            <div className="text-xs text-slate-500">{k}</div>
            <div className="text-lg font-semibold tabular-nums">{v}</div>
          </div>
        ))}
        <div className="rounded-md border border-slate-200 bg-white px-3 py-2" data-testid="score-psi">
          <div className="text-xs text-slate-500">Score PSI</div>
          <div className="flex items-center gap-2 text-lg font-semibold tabular-nums">
            {stability.score ? fixed(stability.score.psi) : '—'}
            {stability.score && <PsiBadge band={stability.score.band} />}
          </div>
        </div>
      </section>

      {n === 0 ? (
        <div className="card text-sm text-slate-600">
          No applications have been scored with this model{sinceMs ? ' since that date' : ''} yet. Score some on the
          “Score applications” tab (one by one or as a file); stability and fairness appear here.
        </div>
      ) : (
        <>
          {n < 100 && (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
              Only {n} decision{n === 1 ? '' : 's'}: population shares from so few applications are noisy, and PSI is
              biased upwards for small samples. Judge shifts with care.
            </p>
          )}
          <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <div className="card space-y-2">
              <h2 className="text-lg font-semibold">Score stability</h2>
              <p className="text-sm text-slate-600">
                Shares of the training population’s score deciles, at training and among the {count(n)} applications
                scored since.
              </p>
              {stability.score && <PsiBinsChart bins={stability.score.bins} testId="chart-score-psi" />}
            </div>
            <div className="card space-y-2">
              <h2 className="text-lg font-semibold">Approval rates (fairness)</h2>
              {report.fairness.length === 0 ? (
                <p className="text-sm text-slate-500">The model has no attribute to group by.</p>
              ) : (
                report.fairness.map((f) => <FairnessTable key={f.attribute} report={f} testId="monitor-fairness" />)
              )}
              <p className="text-xs text-slate-500">
                Four-fifths rule: a group whose approval rate is below 0.80 × the highest group’s is flagged.
              </p>
            </div>
          </section>

          <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <div className="px-5 pt-4">
              <h2 className="text-lg font-semibold">Feature stability</h2>
              <p className="text-sm text-slate-500">
                PSI of each input, most shifted first. &lt; 0.10 stable · 0.10–0.25 moderate shift · ≥ 0.25 significant
                shift. Open a row for its bins.
              </p>
            </div>
            <div className="overflow-x-auto">
              <table className="table" data-testid="feature-psi">
                <thead>
                  <tr>
                    <th>Feature</th>
                    <th className="text-right">PSI</th>
                    <th>Band</th>
                    <th>Largest change</th>
                  </tr>
                </thead>
                <tbody>
                  {stability.features.map((r) => {
                    const top = r.bins.reduce((a, b) =>
                      Math.abs(b.actual - b.expected) > Math.abs(a.actual - a.expected) ? b : a,
                    );
                    return (
                      <tr key={r.name}>
                        <td>
                          <details>
                            <summary className="cursor-pointer">
                              {label.get(r.name) ?? r.name}{' '}
                              <span className="font-mono text-xs text-slate-400">{r.name}</span>
                            </summary>
                            <div className="mt-2 max-w-lg">
                              <PsiBins r={r} />
                            </div>
                          </details>
                        </td>
                        <td className="text-right align-top tabular-nums">{fixed(r.psi)}</td>
                        <td className="align-top">
                          <PsiBadge band={r.band} />
                        </td>
                        <td className="align-top text-xs text-slate-600">
                          {top.label}: {pct(top.expected)} → {pct(top.actual)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <HowComputed topics={['psi', 'fairness']} />
    </div>
  );
}
