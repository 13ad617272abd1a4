'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ImbalanceStrategy } from '@/lib/fraud';
import { Field } from '../../../_components/form/Field';
import { DownsampledBadge, SyntheticBadge } from '../../../_components/fraud/Badges';
import { count, rate } from '../../../_components/fraud/format';
import { startFraudTraining } from '../actions';

export type DatasetOption = {
  id: string;
  name: string;
  source: 'simulator' | 'ulb';
  days: number;
  startMs: number;
  transactions: number;
  fraudRate: number | null;
};

type Defaults = {
  trainDays: number;
  delayDays: number;
  testDays: number;
  folds: number;
  seeds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
  ganSteps: number;
  hidden: string;
  strategies: ImbalanceStrategy[];
  primary: ImbalanceStrategy;
  fracTrain: number;
  fracValidation: number;
};

type Errors = Record<string, string[] | undefined>;

const STRATEGY_HELP: Record<ImbalanceStrategy, string> = {
  none: 'plain cross-entropy',
  classWeights: 'frauds weighted by genuine ÷ fraud count',
  focal: 'γ = 2, α = 0.25: down-weights easy examples',
  gan: 'synthetic fraud feature vectors from a GAN trained on the training frauds, up to 10 % of rows',
};

const DAY_MS = 86_400_000;
const dateOf = (startMs: number, day: number) => new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);

/** Daily budget k: the Handbook's 100 at its ~9,700 transactions a day, about 1 % of a day's transactions below. */
function suggestedK(ds: DatasetOption | undefined): number {
  if (!ds || ds.days <= 0) return 100;
  const perDay = ds.transactions / ds.days;
  return perDay >= 5000 ? 100 : Math.max(5, Math.round(perDay / 100));
}

function NumberInput({
  name,
  value,
  onChange,
  defaultValue,
  step = 'any',
}: {
  name: string;
  value?: string;
  onChange?: (v: string) => void;
  defaultValue?: number | string;
  step?: string;
}) {
  return (
    <input
      id={`train-${name}`}
      name={name}
      type="number"
      step={step}
      className="input"
      {...(onChange ? { value, onChange: (e) => onChange(e.target.value) } : { defaultValue })}
    />
  );
}

export function TrainForm({
  datasets,
  selected,
  strategies,
  defaults,
}: {
  datasets: DatasetOption[];
  selected: string;
  strategies: { value: ImbalanceStrategy; label: string }[];
  defaults: Defaults;
}) {
  const [datasetId, setDatasetId] = useState(selected);
  const ds = datasets.find((d) => d.id === datasetId);
  const [trainDays, setTrainDays] = useState(String(defaults.trainDays));
  const [delayDays, setDelayDays] = useState(String(defaults.delayDays));
  const [testDays, setTestDays] = useState(String(defaults.testDays));
  const [testEnd, setTestEnd] = useState(String(ds?.days ?? 0));
  const [k, setK] = useState(String(suggestedK(ds)));
  const [alertsPerDay, setAlertsPerDay] = useState(String(suggestedK(ds)));
  const [raiseAlerts, setRaiseAlerts] = useState(true);
  const [primary, setPrimary] = useState<ImbalanceStrategy>(defaults.primary);
  const [compare, setCompare] = useState<Set<ImbalanceStrategy>>(new Set(defaults.strategies));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const days = ds?.source === 'simulator';

  const end = Number(testEnd);
  const tr = Number(trainDays);
  const de = Number(delayDays);
  const te = Number(testDays);
  const splitOk = days && ds && [end, tr, de, te].every((v) => Number.isInteger(v) && v > 0) && tr + de + te <= end;
  const testFrom = end - te;
  const trainFrom = end - te - de - tr;

  const chooseDataset = (id: string) => {
    setDatasetId(id);
    const next = datasets.find((d) => d.id === id);
    setTestEnd(String(next?.days ?? 0));
    setK(String(suggestedK(next)));
    setAlertsPerDay(String(suggestedK(next)));
  };

  return (
    <form
      noValidate
      className="space-y-6"
      // onSubmit rather than action: React resets a form after its action, and the settings must stay on errors
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => {
          setError(null);
          const r = await startFraudTraining(form);
          if (!r.ok) {
            setError(r.error);
            setErrors(r.fieldErrors ?? {});
            return;
          }
          if ('fieldErrors' in r.data) {
            setError(r.data.error);
            setErrors(r.data.fieldErrors);
            return;
          }
          setErrors({});
          router.push(`/fraud/jobs/${r.data.jobId}`);
        });
      }}
    >
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Data and split</h2>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <Field name="datasetId" label="Dataset" errors={errors}>
            <select
              id="train-datasetId"
              name="datasetId"
              className="input"
              value={datasetId}
              onChange={(e) => chooseDataset(e.target.value)}
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                  {d.source === 'simulator' ? ' (synthetic)' : ''} · {count(d.transactions)} transactions
                </option>
              ))}
            </select>
          </Field>
          <Field name="name" label="Model name (optional)" errors={errors}>
            <input id="train-name" name="name" className="input" placeholder="generated from the dataset" />
          </Field>
          <div className="self-end pb-1 text-sm text-slate-600">
            {ds && (
              <>
                Fraud rate {rate(ds.fraudRate)} over {count(ds.days)} days
                {ds.source === 'simulator' ? <SyntheticBadge /> : <DownsampledBadge />}
              </>
            )}
          </div>
        </div>
        {days ? (
          <>
            <div className="grid grid-cols-2 gap-4 md:grid-cols-5">
              <Field name="trainDays" label="Training days" errors={errors} hint="Handbook 7">
                <NumberInput name="trainDays" value={trainDays} onChange={setTrainDays} step="1" />
              </Field>
              <Field
                name="delayDays"
                label="Feedback delay (days)"
                errors={errors}
                hint="labels known after this; also the terminal features' shift"
              >
                <NumberInput name="delayDays" value={delayDays} onChange={setDelayDays} step="1" />
              </Field>
              <Field name="testDays" label="Test days" errors={errors} hint="Handbook 7">
                <NumberInput name="testDays" value={testDays} onChange={setTestDays} step="1" />
              </Field>
              <Field
                name="testEndDay"
                label="Test period ends on"
                errors={errors}
                hint="earlier leaves later days for a retrain on triaged alerts"
              >
                <select
                  id="train-testEndDay"
                  name="testEndDay"
                  className="input"
                  value={testEnd}
                  onChange={(e) => setTestEnd(e.target.value)}
                >
                  {ds &&
                    Array.from({ length: ds.days }, (_, i) => ds.days - i).map((d) => (
                      <option key={d} value={d}>
                        {dateOf(ds.startMs, d - 1)} (day {d - 1}){d === ds.days ? ' · end of history' : ''}
                      </option>
                    ))}
                </select>
              </Field>
              <Field name="folds" label="Validation folds" errors={errors} hint="prequential, each shifted back">
                <NumberInput name="folds" defaultValue={defaults.folds} step="1" />
              </Field>
            </div>
            <p className="text-sm text-slate-600" data-testid="split-preview">
              {splitOk && ds ? (
                <>
                  Train {dateOf(ds.startMs, trainFrom)} – {dateOf(ds.startMs, trainFrom + tr - 1)} · delay{' '}
                  {dateOf(ds.startMs, trainFrom + tr)} – {dateOf(ds.startMs, testFrom - 1)} · test{' '}
                  {dateOf(ds.startMs, testFrom)} – {dateOf(ds.startMs, end - 1)}
                </>
              ) : (
                <span className="text-amber-700">
                  Training + delay + test must fit in the days up to the test end ({end} days).
                </span>
              )}
            </p>
          </>
        ) : (
          <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
            <Field name="fracTrain" label="Training share" errors={errors} hint="first rows in time order">
              <NumberInput name="fracTrain" defaultValue={defaults.fracTrain} />
            </Field>
            <Field
              name="fracValidation"
              label="Validation share"
              errors={errors}
              hint="next rows; the rest is the test"
            >
              <NumberInput name="fracValidation" defaultValue={defaults.fracValidation} />
            </Field>
            <p className="col-span-2 self-end pb-1 text-xs text-slate-500">
              The ULB sample spans two days and has no card ids: it is split by row order, and card precision@k cannot
              be computed.
            </p>
          </div>
        )}
      </section>

      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Models and imbalance</h2>
        <p className="text-sm text-slate-600">
          Baselines, always trained and tested on the same split: <strong>amount rule</strong> (score = amount) and{' '}
          <strong>logistic regression</strong>. The deployed model is a <strong>feed-forward net</strong>; its
          architecture is chosen among the candidates below by validation.
        </p>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <Field
            name="hidden"
            label="Feed-forward candidates (hidden widths)"
            errors={errors}
            hint="“;” between candidates, “,” between layers"
          >
            <input id="train-hidden" name="hidden" className="input" defaultValue={defaults.hidden} />
          </Field>
          <Field name="selectBy" label="Choose the architecture by" errors={errors}>
            <select id="train-selectBy" name="selectBy" className="input" defaultValue="ap">
              <option value="ap">average precision</option>
              <option value="auc">ROC AUC</option>
              {days && <option value="cardPrecisionAtK">card precision@k</option>}
            </select>
          </Field>
          <Field name="primary" label="Imbalance handling of the deployed net" errors={errors}>
            <select
              id="train-primary"
              name="primary"
              className="input"
              value={primary}
              onChange={(e) => setPrimary(e.target.value as ImbalanceStrategy)}
            >
              {strategies.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <fieldset>
          <legend className="label">Also compare on the test split (same seeds)</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-2">
            {strategies.map((s) => (
              <label key={s.value} className="text-sm" title={STRATEGY_HELP[s.value]}>
                <input
                  type="checkbox"
                  name={`strategy_${s.value}`}
                  checked={compare.has(s.value) || s.value === primary}
                  disabled={s.value === primary}
                  onChange={(e) => {
                    const next = new Set(compare);
                    if (e.target.checked) next.add(s.value);
                    else next.delete(s.value);
                    setCompare(next);
                  }}
                  className="mr-1.5"
                />
                {s.label}
                <span className="ml-1 text-xs text-slate-500">({STRATEGY_HELP[s.value]})</span>
              </label>
            ))}
          </div>
          {errors.strategies?.[0] && <p className="mt-0.5 text-xs text-red-700">{errors.strategies[0]}</p>}
          <p className="mt-1 text-xs text-slate-500">
            With both class weights and GAN oversampling checked, the report says honestly whether the GAN helped.
          </p>
        </fieldset>
      </section>

      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Daily budget, alerts and training</h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Field name="k" label="k (daily budget of P@k, CP@k)" errors={errors} hint="Handbook 100 at ~9,700 a day">
            <NumberInput name="k" value={k} onChange={setK} step="1" />
          </Field>
          <Field name="alertsPerDay" label="Alerts per test day" errors={errors} hint="top scores of each test day">
            <div className="flex items-center gap-2">
              <input
                type="checkbox"
                name="raiseAlerts"
                aria-label="Raise alerts"
                checked={raiseAlerts}
                onChange={(e) => setRaiseAlerts(e.target.checked)}
              />
              <input
                id="train-alertsPerDay"
                name="alertsPerDay"
                type="number"
                step="1"
                className="input"
                disabled={!raiseAlerts}
                value={alertsPerDay}
                onChange={(e) => setAlertsPerDay(e.target.value)}
              />
            </div>
          </Field>
          <Field name="seeds" label="Seeds" errors={errors} hint="mean ± std over seeds">
            <NumberInput name="seeds" defaultValue={defaults.seeds} step="1" />
          </Field>
          <Field name="epochs" label="Epochs" errors={errors}>
            <NumberInput name="epochs" defaultValue={defaults.epochs} step="1" />
          </Field>
          <Field name="batchSize" label="Batch size" errors={errors} hint="Handbook 64">
            <NumberInput name="batchSize" defaultValue={defaults.batchSize} step="1" />
          </Field>
          <Field name="learningRate" label="Learning rate" errors={errors} hint="Adam">
            <NumberInput name="learningRate" defaultValue={defaults.learningRate} />
          </Field>
          <Field name="dropout" label="Dropout" errors={errors} hint="share of units dropped, 0–0.9">
            <NumberInput name="dropout" defaultValue={defaults.dropout} />
          </Field>
          <Field name="ganSteps" label="GAN steps" errors={errors} hint="GAN oversampling only">
            <NumberInput name="ganSteps" defaultValue={defaults.ganSteps} step="1" />
          </Field>
        </div>
      </section>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" className="btn" disabled={pending}>
        {pending ? 'Starting…' : 'Start training'}
      </button>
    </form>
  );
}
