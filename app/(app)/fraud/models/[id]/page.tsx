import Link from 'next/link';
import { notFound } from 'next/navigation';
import { type ModelResult, STRATEGY_LABELS } from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { getUserById } from '@/lib/store/repos/users';
import { DownsampledBadge, SyntheticBadge } from '../../../../_components/fraud/Badges';
import {
  type CurveSeries,
  DailyPrecisionChart,
  PrChart,
  RocChart,
  SeriesLegend,
} from '../../../../_components/fraud/FraudCharts';
import { count, dateTime, fixed, rate, seconds, signed, spread } from '../../../../_components/fraud/format';
import { HowComputed } from '../../../../_components/fraud/HowComputed';
import { requirePageUser } from '../../../../_server/guard';
import { reportOfModel } from '../../queries';

const METRICS = [
  { key: 'auc', label: 'ROC AUC', title: 'test period, mean ± std over seeds' },
  { key: 'ap', label: 'Average precision', title: 'test period, mean ± std over seeds' },
  { key: 'precisionAtK', label: 'P@k', title: 'precision@k per day, averaged over the test days' },
  { key: 'cardPrecisionAtK', label: 'CP@k', title: 'card precision@k per day, averaged over the test days' },
] as const;

const COLORS: Record<string, string> = {
  'amount-rule': '#94a3b8',
  logreg: '#475569',
  'ffn-none': '#0d9488',
  'ffn-classWeights': '#1d4ed8',
  'ffn-focal': '#7c3aed',
  'ffn-gan': '#ea580c',
};

function Tile({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2" data-testid={testId}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className="text-lg font-semibold tabular-nums">{value}</div>
      {sub && <div className="text-xs text-slate-500">{sub}</div>}
    </div>
  );
}

function Period({
  label,
  p,
}: {
  label: string;
  p: { fromDate: string; toDate: string; rows?: number; frauds?: number };
}) {
  return (
    <tr>
      <td className="font-medium">{label}</td>
      <td className="whitespace-nowrap tabular-nums">
        {p.fromDate} – {p.toDate}
      </td>
      <td className="text-right tabular-nums">{p.rows !== undefined ? count(p.rows) : '—'}</td>
      <td className="text-right tabular-nums">{p.frauds !== undefined ? count(p.frauds) : '—'}</td>
      <td className="text-right tabular-nums">
        {p.rows !== undefined && p.frauds !== undefined && p.rows > 0 ? rate(p.frauds / p.rows) : '—'}
      </td>
    </tr>
  );
}

export default async function FraudModelPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('fraud');
  const { id } = await params;
  const found = await reportOfModel(id);
  if (!found) notFound();
  const { run, report, dataset } = found;
  const creator = run.createdBy ? await getUserById(getDb(), run.createdBy) : undefined;
  const deployedId = `ffn-${report.deployed.strategy}`;
  const deployed = report.models.find((m) => m.id === deployedId);
  const hasCards = report.models.some((m) => m.charts.dailyCardPrecisionAtK.length > 0);
  const series = (pick: (m: ModelResult) => unknown[]) =>
    report.models
      .filter((m) => pick(m).length > 0)
      .map((m) => ({
        id: m.id,
        label: m.id === deployedId ? `${m.label} (deployed)` : m.label,
        color: COLORS[m.id] ?? '#0f172a',
        dashed: m.kind === 'baseline',
      }));
  const roc: CurveSeries<ModelResult['charts']['roc'][number]>[] = series((m) => m.charts.roc).map((s) => ({
    ...s,
    points: report.models.find((m) => m.id === s.id)!.charts.roc,
  }));
  const pr: CurveSeries<ModelResult['charts']['pr'][number]>[] = series((m) => m.charts.pr).map((s) => ({
    ...s,
    points: report.models.find((m) => m.id === s.id)!.charts.pr,
  }));
  const daily = series((m) => (hasCards ? m.charts.dailyCardPrecisionAtK : m.charts.dailyPrecisionAtK)).map((s) => {
    const m = report.models.find((x) => x.id === s.id)!;
    return { ...s, points: hasCards ? m.charts.dailyCardPrecisionAtK : m.charts.dailyPrecisionAtK };
  });
  const split = report.split;
  const test = split.test;
  const best = Object.fromEntries(
    METRICS.map((c) => {
      const vals = report.models.map((m) => m.metrics[c.key].mean).filter((v): v is number => typeof v === 'number');
      return [c.key, vals.length ? Math.max(...vals) : null];
    }),
  );
  const gan = report.ganVsClassWeights;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <Link href={`/fraud?dataset=${report.datasetId}`} className="text-sm text-brand-600 hover:underline">
            ← Fraud
          </Link>
          <h1 className="mt-1 text-2xl font-semibold">{run.name}</h1>
          <p className="text-sm text-slate-500">
            On{' '}
            <Link href={`/fraud?dataset=${report.datasetId}`} className="text-brand-700 hover:underline">
              {dataset?.name ?? report.datasetName}
            </Link>
            {report.source === 'simulator' ? <SyntheticBadge /> : <DownsampledBadge />} · deployed: feed-forward net [
            {report.deployed.hidden.join(', ')}], {STRATEGY_LABELS[report.deployed.strategy]}, seed{' '}
            {report.deployed.seed} · trained {dateTime(run.createdAt)}
            {creator ? ` by ${creator.name}` : ''} in {seconds(report.durationSeconds)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={`/fraud/alerts?dataset=${report.datasetId}`} className="btn-secondary">
            Alert queue
          </Link>
          {report.source === 'simulator' && (
            <Link href={`/fraud/models/${id}/score`} className="btn">
              Score transactions
            </Link>
          )}
        </div>
      </div>

      {report.note && (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {report.note}
        </div>
      )}

      <section className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6" data-testid="model-headline">
        <Tile label="ROC AUC" value={spread(deployed?.metrics.auc)} sub="deployed strategy, over seeds" />
        <Tile
          label="Average precision"
          value={spread(deployed?.metrics.ap)}
          sub={`test fraud rate ${rate(test.rows ? test.frauds / test.rows : null)}`}
        />
        <Tile label={`Precision@${report.k}`} value={spread(deployed?.metrics.precisionAtK)} sub="per test day, mean" />
        <Tile
          label={`Card precision@${report.k}`}
          value={spread(deployed?.metrics.cardPrecisionAtK)}
          sub={hasCards ? 'per test day, mean' : 'no card ids in this data'}
          testId="headline-cpk"
        />
        <Tile
          label="Alerts raised"
          value={report.alerts ? count(report.alerts.created) : 'none'}
          sub={report.alerts ? `top ${report.alerts.perDay} per test day` : 'alerts were switched off'}
        />
        <Tile
          label="Triage labels in training"
          value={count(report.labelSources.train.triage)}
          sub={`of ${count(split.train.rows)} training rows`}
          testId="triage-labels"
        />
      </section>

      <section className="card p-0!">
        <div className="px-5 pt-4">
          <h2 className="text-lg font-semibold">Test-period metrics beside the baselines</h2>
          <p className="text-sm text-slate-500">
            Every model trained on the same rows and tested on the same {count(test.rows)} transactions (
            {count(test.frauds)} frauds); mean ± std over {report.config.seeds} seed
            {report.config.seeds === 1 ? '' : 's'} (the amount rule has no seed). k = {report.k} alerts a day. Best mean
            in bold.
          </p>
        </div>
        <div className="overflow-x-auto">
          <table className="table" data-testid="model-comparison">
            <thead>
              <tr>
                <th>Model</th>
                {METRICS.map((c) => (
                  <th key={c.key} className="text-right" title={c.title}>
                    {c.label.replace('k', String(report.k))} ↑
                  </th>
                ))}
                <th className="text-right" title="synthetic fraud rows added per seed">
                  Synthetic frauds
                </th>
                <th className="text-right">Training time</th>
              </tr>
            </thead>
            <tbody>
              {report.models.map((m) => (
                <tr key={m.id} className={m.id === deployedId ? 'bg-brand-50/60' : ''} data-model-row={m.id}>
                  <td>
                    <span className="font-medium">{m.label}</span>
                    <span className="ml-2 text-xs text-slate-500">
                      {m.id === deployedId ? 'deployed' : m.kind === 'baseline' ? 'baseline' : 'compared'}
                    </span>
                    {m.notes.length > 0 && <div className="text-xs text-amber-700">{m.notes.join(' ')}</div>}
                  </td>
                  {METRICS.map((c) => (
                    <td
                      key={c.key}
                      className={`whitespace-nowrap text-right tabular-nums ${m.metrics[c.key].mean !== null && m.metrics[c.key].mean === best[c.key] ? 'font-semibold' : ''}`}
                    >
                      {spread(m.metrics[c.key])}
                    </td>
                  ))}
                  <td className="text-right tabular-nums">
                    {m.syntheticFrauds ? m.syntheticFrauds.map((n) => count(n)).join(' / ') : '—'}
                  </td>
                  <td className="text-right tabular-nums">
                    {m.kind === 'baseline' && m.family === 'rule' ? '—' : seconds(m.trainSeconds)}
                  </td>
                </tr>
              ))}
              <tr className="text-slate-400">
                <td title={report.handbookReference.note}>
                  Fraud Detection Handbook, tuned net <span className="text-xs">(its own data, for orientation)</span>
                </td>
                <td className="text-right tabular-nums">{fixed(report.handbookReference.auc)}</td>
                <td className="text-right tabular-nums">{fixed(report.handbookReference.ap)}</td>
                <td className="text-right">—</td>
                <td className="text-right tabular-nums">
                  {fixed(report.handbookReference.cardPrecisionAt100)} (k=100)
                </td>
                <td />
                <td />
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      {gan && (
        <section className="card space-y-3" data-testid="gan-comparison">
          <h2 className="text-lg font-semibold">
            GAN oversampling vs class weights{' '}
            <span
              className={`ml-2 rounded px-2 py-0.5 text-xs font-medium ${gan.helps ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-700'}`}
            >
              {gan.helps ? 'helps' : 'no clear gain'}
            </span>
          </h2>
          <p className="text-sm text-slate-700">{gan.summary}</p>
          <table className="table max-w-3xl">
            <thead>
              <tr>
                <th>Difference GAN − class weights</th>
                <th className="text-right">mean ± std over seeds</th>
                <th className="text-right">per seed</th>
              </tr>
            </thead>
            <tbody>
              {METRICS.map((c) => (
                <tr key={c.key}>
                  <td>{c.label.replace('k', String(report.k))}</td>
                  <td className="text-right tabular-nums">
                    {signed(gan.delta[c.key].mean)}
                    {gan.delta[c.key].std !== null && gan.delta[c.key].values.length > 1
                      ? ` ± ${fixed(gan.delta[c.key].std)}`
                      : ''}
                  </td>
                  <td className="text-right tabular-nums">
                    {gan.delta[c.key].values.map((v) => signed(v)).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className="card space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Test-period curves</h2>
          <SeriesLegend series={roc} />
        </div>
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
          <div>
            <h3 className="mb-2 text-sm font-semibold">ROC curve</h3>
            <RocChart series={roc} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Precision-recall curve</h3>
            <PrChart series={pr} fraudShare={test.rows > 0 ? test.frauds / test.rows : null} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">
              {hasCards ? 'Card precision' : 'Precision'}@{report.k} per test day
            </h3>
            <DailyPrecisionChart series={daily} k={report.k} metric={hasCards ? 'card' : 'transaction'} />
          </div>
        </div>
      </section>

      <section className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <div className="card p-0!">
          <h2 className="px-5 pt-4 text-lg font-semibold">Split</h2>
          <table className="table" data-testid="split-table">
            <thead>
              <tr>
                <th>Period</th>
                <th>Dates</th>
                <th className="text-right">Labelled rows</th>
                <th className="text-right">Frauds</th>
                <th className="text-right">Fraud rate</th>
              </tr>
            </thead>
            <tbody>
              <Period label="Training" p={split.train} />
              {split.kind === 'days' ? (
                <Period label={`Feedback delay (${report.config.delayDays} days)`} p={split.delay} />
              ) : (
                <Period label="Validation" p={split.validation} />
              )}
              <Period label="Test" p={test} />
            </tbody>
          </table>
          <ul className="space-y-0.5 px-5 py-3 text-xs text-slate-600">
            {split.kind === 'days' && (
              <li>
                {count(split.test.removedKnownCompromised)} test transactions of cards already known to be compromised
                were removed.
              </li>
            )}
            <li>{count(split.unlabelledExcluded)} transactions without a known label were left out.</li>
            <li data-testid="label-sources">
              Training labels: {count(report.labelSources.train.simulator)} from the simulator,{' '}
              {count(report.labelSources.train.import)} imported,{' '}
              <strong>{count(report.labelSources.train.triage)} from triage</strong>. Test labels from triage:{' '}
              {count(report.labelSources.test.triage)}.
            </li>
          </ul>
        </div>
        <div className="card p-0!">
          <h2 className="px-5 pt-4 text-lg font-semibold">Architecture selection</h2>
          <p className="px-5 text-sm text-slate-500">
            {report.selection.method === 'prequential'
              ? `Prequential validation on ${report.selection.folds.length} earlier fold${report.selection.folds.length === 1 ? '' : 's'}, ${STRATEGY_LABELS[report.selection.strategy]}, by ${report.selection.selectBy}.`
              : report.selection.method === 'holdout'
                ? `Hold-out validation rows, by ${report.selection.selectBy}.`
                : report.config.hiddenCandidates.length > 1
                  ? 'No selection:'
                  : 'One candidate, so no selection was needed.'}{' '}
            {report.selection.note}
          </p>
          {report.selection.candidates.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th>Hidden widths</th>
                  <th className="text-right">AUC</th>
                  <th className="text-right">AP</th>
                  <th className="text-right">CP@{report.k}</th>
                </tr>
              </thead>
              <tbody>
                {report.selection.candidates.map((c) => {
                  const chosen = c.hidden.join(',') === report.selection.chosenHidden.join(',');
                  return (
                    <tr key={c.hidden.join('-')} className={chosen ? 'bg-brand-50/60' : ''}>
                      <td>
                        [{c.hidden.join(', ')}] {chosen && <span className="text-xs text-slate-500">chosen</span>}
                      </td>
                      <td className="text-right tabular-nums">{spread(c.metrics.auc)}</td>
                      <td className="text-right tabular-nums">{spread(c.metrics.ap)}</td>
                      <td className="text-right tabular-nums">{spread(c.metrics.cardPrecisionAtK)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <p className="px-5 py-3 text-xs text-slate-500">
            Features ({report.featureNames.length}): {report.featureNames.join(', ')}.
          </p>
        </div>
      </section>

      <HowComputed topics={['metrics', 'split', 'gan', 'alerts']} />
    </div>
  );
}
