import { notFound } from 'next/navigation';
import type { CreditModelManifest } from '@/lib/credit/creditModels';
import { getCreditModelReport } from '@/lib/credit/creditModels';
import type { MetricName, Spread } from '@/lib/credit/metrics';
import { getDb } from '@/lib/store/db';
import { getUserById } from '@/lib/store/repos/users';
import { ClassHistogramChart, KsChart, ReliabilityChart, RocChart } from '../../../../_components/credit/CreditCharts';
import { SyntheticBadge } from '../../../../_components/credit/DecisionBadge';
import { FairnessTable } from '../../../../_components/credit/FairnessTable';
import { costPerApp, count, fixed, pct, points, scoreOfPd, spread } from '../../../../_components/credit/format';
import { HowComputed } from '../../../../_components/credit/HowComputed';
import { ModelHeader } from '../../../../_components/credit/ModelHeader';
import { requirePageUser } from '../../../../_server/guard';

const METRIC_COLUMNS: { key: MetricName; label: string; title: string; better: 'high' | 'low' }[] = [
  { key: 'auc', label: 'ROC AUC', title: 'per fold, raw scores', better: 'high' },
  { key: 'gini', label: 'Gini', title: '2·AUC − 1, per fold', better: 'high' },
  { key: 'ks', label: 'KS', title: 'per fold', better: 'high' },
  { key: 'prAuc', label: 'PR AUC', title: 'average precision, bads positive, per fold', better: 'high' },
  { key: 'brier', label: 'Brier', title: 'per fold, after calibration', better: 'low' },
  { key: 'logLoss', label: 'Log loss', title: 'per fold, after calibration', better: 'low' },
];

function Tile({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2" data-testid={testId}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className="text-lg font-semibold tabular-nums">{value}</div>
      {sub && <div className="text-xs text-slate-500">{sub}</div>}
    </div>
  );
}

export default async function CreditModelPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('credit');
  const { id } = await params;
  const db = getDb();
  const found = await getCreditModelReport(db, id);
  if (!found) notFound();
  const { model, card, report } = found;
  const manifest = model.manifest as unknown as CreditModelManifest;
  const creator = model.createdBy ? await getUserById(db, model.createdBy) : undefined;
  const h = report.headline;
  const method = report.calibration.method;
  const policy = report.policy;
  const ev = policy.evaluation;
  const scale = manifest.scale;
  const approveScore = policy.approveBelow > 0 ? scoreOfPd(policy.approveBelow, scale) : null;
  const declineScore = policy.declineFrom < 1 ? scoreOfPd(policy.declineFrom, scale) : null;
  const cm = report.charts.confusion;
  const hyper = manifest.hyper;
  // calibration figures are of each seed's pooled out-of-fold PDs, so their spread is over seeds, not folds
  const pooledSub = report.seeds.length === 1 ? 'pooled, 1 seed' : `pooled, ± over ${report.seeds.length} seeds`;

  // best mean per metric column, to mark it in the comparison table
  const rows = report.models.map((m) => {
    const cal = method !== 'none' ? m.perFold.calibrated[method] : undefined;
    const metrics: Record<MetricName, Spread> = {
      ...m.perFold.raw,
      brier: (cal ?? m.perFold.raw).brier,
      logLoss: (cal ?? m.perFold.raw).logLoss,
    };
    const eceAfter = method !== 'none' ? m.pooled.calibrated[method]?.ece : m.pooled.raw.ece;
    return { m, metrics, eceBefore: m.pooled.raw.ece, eceAfter };
  });
  const best = Object.fromEntries(
    METRIC_COLUMNS.map((c) => {
      const vals = rows.map((r) => r.metrics[c.key]?.mean).filter((v): v is number => typeof v === 'number');
      return [c.key, c.better === 'high' ? Math.max(...vals) : Math.min(...vals)];
    }),
  );

  return (
    <div className="space-y-6">
      <ModelHeader id={id} name={model.name} card={card} createdBy={creator?.name ?? null} active="card" />

      <section className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-8" data-testid="headline-metrics">
        <Tile label="ROC AUC" value={spread(h.auc)} sub={`per fold, n = ${h.auc.n}`} testId="headline-auc" />
        <Tile label="Gini" value={spread(h.gini)} />
        <Tile label="KS" value={spread(h.ks)} />
        <Tile label="PR AUC" value={spread(h.prAuc)} sub={`bad rate ${pct(report.data.badRate)}`} />
        <Tile label="Brier (calibrated)" value={spread(h.brier)} sub={pooledSub} />
        <Tile label="Log loss (calibrated)" value={spread(h.logLoss)} sub={pooledSub} />
        <Tile label="ECE before" value={spread(h.eceBefore)} sub={`raw σ(z); ${pooledSub}`} />
        <Tile
          label="ECE after"
          value={spread(h.eceAfter)}
          sub={`${method}; ${pooledSub}`}
          testId="headline-ece-after"
        />
      </section>

      <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <div className="px-5 pt-4">
          <h2 className="text-lg font-semibold">Metrics beside the baselines</h2>
          <p className="text-sm text-slate-500">
            Held-out, mean ± std over {report.folds} folds × {report.seeds.length} seed
            {report.seeds.length === 1 ? '' : 's'} ({report.data.rows.toLocaleString('en-US')} applications,{' '}
            {report.data.features} features → {report.data.encodedColumns} encoded columns). Best mean in bold.
          </p>
        </div>
        <div className="overflow-x-auto">
          <table className="table" data-testid="model-comparison">
            <thead>
              <tr>
                <th>Model</th>
                {METRIC_COLUMNS.map((c) => (
                  <th key={c.key} className="text-right" title={c.title}>
                    {c.label} {c.better === 'high' ? '↑' : '↓'}
                  </th>
                ))}
                <th className="text-right" title="pooled out-of-fold, mean ± std over seeds">
                  ECE raw → {method} ↓
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ m, metrics, eceBefore, eceAfter }) => (
                <tr key={m.kind} className={m.role === 'model' ? 'bg-brand-50/60' : ''}>
                  <td className="whitespace-nowrap">
                    <span className="font-medium">{m.label}</span>
                    <span className="ml-2 text-xs text-slate-500">
                      {m.role === 'model' ? 'this model' : 'baseline'}
                    </span>
                  </td>
                  {METRIC_COLUMNS.map((c) => (
                    <td
                      key={c.key}
                      className={`whitespace-nowrap text-right tabular-nums ${
                        metrics[c.key]?.mean === best[c.key] ? 'font-semibold' : ''
                      }`}
                    >
                      {spread(metrics[c.key])}
                    </td>
                  ))}
                  <td className="whitespace-nowrap text-right tabular-nums">
                    {spread(eceBefore)} → {spread(eceAfter)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <details className="border-t border-slate-100 px-5 py-3 text-sm">
          <summary className="cursor-pointer text-slate-600">Every fold</summary>
          <div className="mt-2 max-h-80 overflow-auto">
            <table className="table">
              <thead>
                <tr>
                  <th>Model</th>
                  <th className="text-right">Seed</th>
                  <th className="text-right">Fold</th>
                  <th className="text-right">Train / test rows</th>
                  <th className="text-right">Epochs</th>
                  <th className="text-right">AUC</th>
                  <th className="text-right">ECE (raw)</th>
                </tr>
              </thead>
              <tbody>
                {report.models.flatMap((m) =>
                  m.folds.map((f) => (
                    <tr key={`${m.kind}-${f.seed}-${f.fold}`}>
                      <td>{m.label}</td>
                      <td className="text-right tabular-nums">{f.seed}</td>
                      <td className="text-right tabular-nums">{f.fold}</td>
                      <td className="text-right tabular-nums">
                        {f.nTrain} / {f.nTest}
                      </td>
                      <td className="text-right tabular-nums">{f.epochs}</td>
                      <td className="text-right tabular-nums">{fixed(f.auc)}</td>
                      <td className="text-right tabular-nums">{fixed(f.ece)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="card">
          <h2 className="mb-2 text-lg font-semibold">ROC</h2>
          <RocChart points={report.charts.roc} auc={h.auc.mean} />
        </div>
        <div className="card">
          <h2 className="mb-2 text-lg font-semibold">KS</h2>
          <KsChart points={report.charts.ks} />
        </div>
        <div className="card">
          <h2 className="mb-2 text-lg font-semibold">Calibration (reliability)</h2>
          <ReliabilityChart
            before={report.charts.reliabilityBefore}
            after={report.charts.reliabilityAfter}
            method={method}
          />
        </div>
        <div className="card">
          <h2 className="mb-2 text-lg font-semibold">Score distribution by class</h2>
          <ClassHistogramChart
            testId="chart-score-histogram"
            bins={report.charts.scoreHistogram}
            unit="points"
            markers={[
              ...(approveScore !== null ? [{ x: approveScore, color: '#059669' }] : []),
              ...(declineScore !== null ? [{ x: declineScore, color: '#dc2626' }] : []),
            ]}
            caption={`Out-of-fold calibrated scores of goods and bads, each as a share of its class. Dashed lines: approve above ${points(approveScore)} (green), decline at or below ${points(declineScore)} (red), refer in between.`}
          />
        </div>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="card space-y-3">
          <h2 className="text-lg font-semibold">Calibration</h2>
          <p className="text-sm text-slate-600">
            Method <span className="font-medium">{method}</span> (
            {report.calibration.chosenBy === 'auto'
              ? 'chosen automatically: lower cross-fitted log loss'
              : 'chosen by the user'}
            ). ECE {spread(h.eceBefore)} before → <span className="font-medium">{spread(h.eceAfter)}</span> after (
            {report.calibration.bins} bins).
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Method tried</th>
                <th className="text-right">Log loss</th>
                <th className="text-right">Brier</th>
                <th className="text-right">ECE</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(report.calibration.candidates).map(([m, c]) => (
                <tr key={m} className={m === method ? 'font-medium' : ''}>
                  <td>
                    {m}
                    {m === method ? ' (used)' : ''}
                  </td>
                  <td className="text-right tabular-nums">{fixed(c?.logLoss)}</td>
                  <td className="text-right tabular-nums">{fixed(c?.brier)}</td>
                  <td className="text-right tabular-nums">{fixed(c?.ece)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs text-slate-500">Pooled out-of-fold predictions, cross-fitted, mean over seeds.</p>
        </div>

        <div className="card space-y-3" data-testid="policy">
          <h2 className="text-lg font-semibold">Cut-off policy</h2>
          <p className="text-sm text-slate-600">
            {policy.mode === 'cost' ? (
              <>
                From the cost matrix: an approved bad loan costs {policy.costs.badApproved}, a declined good loan{' '}
                {policy.costs.goodDeclined}
                {policy.costs.referral > 0 ? `, a manual review ${policy.costs.referral}` : ''} (cost units). Bayes
                cut-off PD = {pct(policy.cutoff)}.
              </>
            ) : (
              <>
                From a target approval rate of{' '}
                {pct(policy.config.mode === 'approvalRate' ? policy.config.approvalRate : null, 0)} on held-out PDs;
                costs {policy.costs.badApproved} : {policy.costs.goodDeclined} for the cost figures.
              </>
            )}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Decision</th>
                <th>PD</th>
                <th>Score</th>
                <th className="text-right">Share (held-out)</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="font-medium text-emerald-700">approve</td>
                <td className="tabular-nums">&lt; {pct(policy.approveBelow)}</td>
                <td className="tabular-nums">{approveScore !== null ? `> ${points(approveScore)}` : '—'}</td>
                <td className="text-right tabular-nums">{pct(ev.approvalRate)}</td>
              </tr>
              <tr>
                <td className="font-medium text-amber-700">refer</td>
                <td className="tabular-nums">
                  {pct(policy.approveBelow)} – {pct(policy.declineFrom)}
                </td>
                <td className="tabular-nums">
                  {declineScore !== null && approveScore !== null
                    ? `${points(declineScore)} – ${points(approveScore)}`
                    : '—'}
                </td>
                <td className="text-right tabular-nums">{pct(ev.referRate)}</td>
              </tr>
              <tr>
                <td className="font-medium text-red-700">decline</td>
                <td className="tabular-nums">≥ {pct(policy.declineFrom)}</td>
                <td className="tabular-nums">{declineScore !== null ? `≤ ${points(declineScore)}` : '—'}</td>
                <td className="text-right tabular-nums">{pct(ev.declineRate)}</td>
              </tr>
            </tbody>
          </table>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Expected cost (this policy)</dt>
            <dd className="font-medium tabular-nums" data-testid="expected-cost">
              {costPerApp(ev.expectedCost)}
            </dd>
            <dt className="text-slate-500">Approve everyone</dt>
            <dd className="tabular-nums">{costPerApp(ev.approveAllCost)}</dd>
            <dt className="text-slate-500">Decline everyone</dt>
            <dd className="tabular-nums">{costPerApp(ev.declineAllCost)}</dd>
            <dt className="text-slate-500">Bad rate among approved</dt>
            <dd className="tabular-nums">{pct(ev.badRateApproved)}</dd>
          </dl>
        </div>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="card space-y-3">
          <h2 className="text-lg font-semibold">Confusion matrix at the cut-off</h2>
          <p className="text-sm text-slate-600">
            Decline when PD ≥ {pct(cm.cutoff)} (one cut-off; referrals counted on the side of it they fall), on the
            first seed’s held-out PDs of {count(ev.n)} applications.
          </p>
          <table className="table max-w-md" data-testid="confusion-matrix">
            <thead>
              <tr>
                <th />
                <th className="text-right">Approved</th>
                <th className="text-right">Declined</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th className="font-medium text-slate-700">Good (repaid)</th>
                <td className="text-right tabular-nums">{count(cm.goodApproved)}</td>
                <td className="text-right tabular-nums text-amber-700">{count(cm.goodDeclined)}</td>
              </tr>
              <tr>
                <th className="font-medium text-slate-700">Bad (defaulted)</th>
                <td className="text-right tabular-nums text-red-700">{count(cm.badApproved)}</td>
                <td className="text-right tabular-nums">{count(cm.badDeclined)}</td>
              </tr>
            </tbody>
          </table>
          <p className="text-xs text-slate-500">
            Approval rate {pct(cm.approvalRate)}; bad rate among approved {pct(cm.badRateApproved)}.
          </p>
        </div>
        <div className="card space-y-4">
          <h2 className="text-lg font-semibold">Fairness (held-out decisions)</h2>
          {card.fairness.length === 0 ? (
            <p className="text-sm text-slate-500">
              The data has no age or sex column, so no default grouping exists; choose an attribute on the Monitoring
              tab once applications are scored.
            </p>
          ) : (
            card.fairness.map((f) => <FairnessTable key={f.attribute} report={f} />)
          )}
          <p className="text-xs text-slate-500">
            Four-fifths rule: each group’s approval rate should be at least 80 % of the highest group’s.
          </p>
        </div>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="card space-y-3">
          <h2 className="text-lg font-semibold">Data</h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Dataset</dt>
            <dd>
              {card.data.datasetName}
              {card.data.synthetic && <SyntheticBadge />}
            </dd>
            <dt className="text-slate-500">Source</dt>
            <dd className="break-all">{card.data.source}</dd>
            <dt className="text-slate-500">Applications</dt>
            <dd className="tabular-nums">
              {count(card.data.rows)} ({count(card.data.bads)} bad, bad rate {pct(card.data.badRate)})
            </dd>
            <dt className="text-slate-500">Outcome</dt>
            <dd>
              <span className="font-mono text-xs">{card.data.target}</span> = “{card.data.badValue}” is bad
            </dd>
            <dt className="text-slate-500">Not used</dt>
            <dd>
              {card.data.ignored.length === 0
                ? 'none'
                : card.data.ignored.map((g) => `${g.name} (${g.reason})`).join('; ')}
            </dd>
          </dl>
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-600">{card.data.features.length} input features</summary>
            <table className="table mt-2">
              <thead>
                <tr>
                  <th>Column</th>
                  <th>Meaning</th>
                  <th>Kind</th>
                </tr>
              </thead>
              <tbody>
                {card.data.features.map((f) => (
                  <tr key={f.name}>
                    <td className="font-mono text-xs">{f.name}</td>
                    <td>{f.label}</td>
                    <td>{f.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
        <div className="card space-y-3">
          <h2 className="text-lg font-semibold">Training</h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Model</dt>
            <dd>
              {card.modelLabel}
              {card.modelKind === 'mlp' && ` · hidden ${hyper.hidden.join(', ')} · dropout ${hyper.dropout}`}
              {card.modelKind === 'resmlp' &&
                ` · width ${hyper.width} · ${hyper.blocks} block${hyper.blocks === 1 ? '' : 's'} · ${hyper.norm} norm · dropout ${hyper.dropout}`}
            </dd>
            {card.modelKind !== 'perceptron' ? (
              <>
                <dt className="text-slate-500">Optimiser</dt>
                <dd>
                  AdamW lr {hyper.lr}, weight decay {hyper.weightDecay}, batch {hyper.batchSize}, class weights{' '}
                  {hyper.classWeight}
                </dd>
                <dt className="text-slate-500">Early stopping</dt>
                <dd>
                  at most {hyper.epochs} epochs, patience {hyper.patience} on a {pct(hyper.validationShare, 0)}{' '}
                  validation share{hyper.refit ? ', then refit on all training rows' : ''}
                </dd>
              </>
            ) : (
              <>
                <dt className="text-slate-500">Passes</dt>
                <dd>{hyper.perceptronEpochs}</dd>
              </>
            )}
            <dt className="text-slate-500">Final model</dt>
            <dd>
              {report.final.epochs} epochs ({report.final.stopReason}), {report.final.trainingSeconds.toFixed(1)} s on{' '}
              {count(card.data.rows)} rows
            </dd>
            <dt className="text-slate-500">Score scale</dt>
            <dd>
              {scale.baseScore} points at odds {scale.baseOdds} : 1, {scale.pdo} points to double the odds
            </dd>
          </dl>
        </div>
      </section>

      <section className="card grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div>
          <h2 className="mb-1 text-lg font-semibold">Intended use</h2>
          <p className="text-sm text-slate-700">{card.intendedUse}</p>
        </div>
        <div>
          <h2 className="mb-1 text-lg font-semibold">Not intended for</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            {card.notIntendedFor.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
        <div>
          <h2 className="mb-1 text-lg font-semibold">Limitations</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="limitations">
            {card.limitations.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
      </section>

      <HowComputed topics={['metrics', 'calibration', 'score', 'policy', 'fairness']} />
    </div>
  );
}
