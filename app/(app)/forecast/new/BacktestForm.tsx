'use client';

// The new-backtest form: data and horizon, causal features, the forecaster and its hyper-parameters, walk-forward
// settings, seeds, baselines and trading. Numbers are checked here for being numbers; ranges and everything else
// are checked by the server against the run schema, and each message is shown under its field.

import { useRouter } from 'next/navigation';
import { type ReactNode, useState, useTransition } from 'react';
import type { WalkForwardConfig } from '@/lib/forecast/config';
import type { FeatureSpec } from '@/lib/forecast/features';
import type { ModelConfig, ModelType } from '@/lib/forecast/models';
import type { TradingConfig } from '@/lib/forecast/trading';
import { SyntheticBadge } from '../../../_components/forecast/SyntheticBadge';
import { startBacktest } from '../actions';

export type DatasetOption = {
  id: string;
  name: string;
  synthetic: boolean;
  rows: number;
  firstDate: string | null;
  lastDate: string | null;
  ticker: string | null;
};

export type FormCatalog = {
  features: { key: keyof FeatureSpec; label: string; description: string; defaults: FeatureSpec[keyof FeatureSpec] }[];
  defaultFeatures: FeatureSpec;
  modelTypes: readonly ModelType[];
  modelLabels: Record<ModelType, string>;
  modelDefaults: Record<ModelType, ModelConfig>;
  modelParams: Record<ModelType, (keyof ModelConfig)[]>;
  horizons: readonly number[];
  walkForward: WalkForwardConfig;
  trading: TradingConfig;
  baselines: { arOrder: number; maWindow: number };
};

const PARAM_LABEL: Partial<Record<keyof ModelConfig, string>> = {
  window: 'Input window (days)',
  hidden: 'Hidden units',
  layers: 'Layers',
  dropout: 'Dropout (0–0.9)',
  heads: 'Attention heads',
  kernelSize: 'Kernel size',
  epochs: 'Max epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  patience: 'Early-stop patience (epochs)',
  weightDecay: 'Weight decay (L2)',
  clipNorm: 'Gradient clip (norm)',
  spectralRadius: 'Spectral radius',
  leakRate: 'Leak rate (0–1]',
  inputScaling: 'Input scaling',
  washout: 'Washout (steps)',
};

function paramLabel(type: ModelType, key: keyof ModelConfig): string {
  if (key === 'hidden') {
    if (type === 'esn') return 'Reservoir size';
    if (type === 'tcn') return 'Channels';
    if (type === 'transformer') return 'Model width d';
  }
  if (key === 'layers' && type === 'transformer') return 'Encoder blocks';
  return PARAM_LABEL[key] ?? key;
}

const SUB_LABEL: Record<string, string> = {
  fast: 'fast',
  slow: 'slow',
  signal: 'signal',
  period: 'period',
  stdDev: 'σ',
};

type FeatureState = Record<string, { on: boolean; values: Record<string, string> }>;

function initialFeatures(catalog: FormCatalog): FeatureState {
  const state: FeatureState = {};
  for (const f of catalog.features) {
    const current = catalog.defaultFeatures[f.key];
    const on = current !== null && current !== 0;
    const source = on ? current : f.defaults;
    const values: Record<string, string> =
      typeof source === 'object' && source !== null
        ? Object.fromEntries(Object.entries(source).map(([k, v]) => [k, String(v)]))
        : { n: String(source) };
    state[f.key] = { on, values };
  }
  return state;
}

function modelStrings(c: ModelConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : String(v)]));
}

type Errors = Record<string, string[] | undefined>;

/** Messages for a field and anything under it ("features.macd" also shows "features.macd.fast"). */
function under(errors: Errors, key: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (v && (k === key || k.startsWith(`${key}.`))) {
      const sub = k.slice(key.length + 1);
      out.push(...v.map((m) => (sub && !/^\d+$/.test(sub) ? `${sub}: ${m}` : m)));
    }
  }
  return out;
}

function FieldError({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="mt-1 text-xs text-red-700" data-testid="field-error">
      {messages.join(' ')}
    </p>
  );
}

function Section({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className="card space-y-4">
      <div>
        <h2 className="text-base font-semibold">{title}</h2>
        {hint && <p className="text-sm text-slate-500">{hint}</p>}
      </div>
      {children}
    </section>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  errors,
  hint,
  step = 'any',
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors: string[];
  hint?: string;
  step?: string;
  placeholder?: string;
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={`input tabular-nums ${errors.length ? 'border-red-400' : ''}`}
        inputMode="decimal"
        value={value}
        step={step}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors.length > 0}
      />
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      <FieldError messages={errors} />
    </div>
  );
}

export function BacktestForm({
  datasets,
  initialDatasetId,
  catalog,
}: {
  datasets: DatasetOption[];
  initialDatasetId: string;
  catalog: FormCatalog;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const [datasetId, setDatasetId] = useState(initialDatasetId);
  const [name, setName] = useState('');
  const [horizon, setHorizon] = useState(catalog.horizons[0] ?? 1);
  const [features, setFeatures] = useState(() => initialFeatures(catalog));
  const [modelType, setModelType] = useState<ModelType>('lstm');
  const [model, setModel] = useState(() => modelStrings(catalog.modelDefaults.lstm));
  const [wf, setWf] = useState({
    window: catalog.walkForward.window,
    trainSize: String(catalog.walkForward.trainSize),
    retrainEvery: String(catalog.walkForward.retrainEvery),
    warmStart: catalog.walkForward.warmStart,
    validationFraction: String(catalog.walkForward.validationFraction),
    maxFolds: catalog.walkForward.maxFolds === null ? '' : String(catalog.walkForward.maxFolds),
  });
  const [seeds, setSeeds] = useState('1, 2, 3');
  const [baselines, setBaselines] = useState({
    arOrder: String(catalog.baselines.arOrder),
    maWindow: String(catalog.baselines.maWindow),
  });
  const [trading, setTrading] = useState({
    mode: catalog.trading.mode,
    threshold: String(catalog.trading.threshold),
    costBp: String(catalog.trading.costBp),
    riskFreeRate: String(catalog.trading.riskFreeRate),
  });
  const [forecastNext, setForecastNext] = useState(true);
  const [saveModel, setSaveModel] = useState(false);

  const dataset = datasets.find((d) => d.id === datasetId);
  const params = catalog.modelParams[modelType];

  const submit = () =>
    start(async () => {
      // numbers first: an empty or non-numeric box is named here, before anything is sent
      const local: Errors = {};
      const num = (key: string, s: string): number => {
        const v = s.trim() === '' ? Number.NaN : Number(s);
        if (!Number.isFinite(v)) local[key] = ['Enter a number.'];
        return v;
      };
      const featureSpec: Record<string, unknown> = {};
      for (const f of catalog.features) {
        const st = features[f.key];
        if (!st.on) {
          featureSpec[f.key] = f.key === 'returnLags' ? 0 : null;
        } else if ('n' in st.values) {
          featureSpec[f.key] = num(`features.${f.key}`, st.values.n);
        } else {
          featureSpec[f.key] = Object.fromEntries(
            Object.entries(st.values).map(([k, v]) => [k, num(`features.${f.key}.${k}`, v)]),
          );
        }
      }
      const modelSpec: Record<string, unknown> = { type: modelType };
      for (const k of params) {
        modelSpec[k] = k === 'quantiles' ? model[k] === 'true' : num(`model.${k}`, model[k] ?? '');
      }
      const seedList = seeds
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(Number);
      if (seedList.length === 0 || seedList.some((s) => !Number.isInteger(s) || s < 0)) {
        local.seeds = ['Enter one or more whole numbers ≥ 0, separated by commas.'];
      }
      const payload = {
        datasetId,
        name,
        forecastNext,
        saveModel,
        horizon,
        features: featureSpec,
        model: modelSpec,
        walkForward: {
          window: wf.window,
          trainSize: num('walkForward.trainSize', wf.trainSize),
          retrainEvery: num('walkForward.retrainEvery', wf.retrainEvery),
          warmStart: wf.warmStart,
          validationFraction: num('walkForward.validationFraction', wf.validationFraction),
          maxFolds: wf.maxFolds.trim() === '' ? null : num('walkForward.maxFolds', wf.maxFolds),
        },
        seeds: seedList,
        baselines: {
          arOrder: num('baselines.arOrder', baselines.arOrder),
          maWindow: num('baselines.maWindow', baselines.maWindow),
        },
        trading: {
          mode: trading.mode,
          threshold: num('trading.threshold', trading.threshold),
          costBp: num('trading.costBp', trading.costBp),
          riskFreeRate: num('trading.riskFreeRate', trading.riskFreeRate),
        },
      };
      if (Object.keys(local).length > 0) {
        setErrors(local);
        setFormError('Some settings are not numbers: see the messages under them.');
        return;
      }
      const r = await startBacktest(payload);
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        setFormError(
          r.fieldErrors && Object.keys(r.fieldErrors).length > 0
            ? `Some settings need fixing: see the messages under them (first: ${r.error})`
            : r.error,
        );
        return;
      }
      setErrors({});
      setFormError(null);
      router.push(`/forecast/jobs/${r.data.jobId}`);
    });

  return (
    <form
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <Section
        title="Data and target"
        hint="The target is the log return over the next h trading days, ln(Cₜ₊ₕ / Cₜ), also shown as a price."
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <div>
            <label className="label" htmlFor="bt-dataset">
              Price dataset
            </label>
            <select id="bt-dataset" className="input" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                  {d.synthetic && !/synthetic/i.test(d.name) ? ' (synthetic)' : ''}
                </option>
              ))}
            </select>
            {dataset && (
              <p className="mt-1 text-xs text-slate-500">
                {dataset.rows.toLocaleString('en-US')} days · {dataset.firstDate} → {dataset.lastDate}
                {dataset.synthetic && <SyntheticBadge />}
              </p>
            )}
            <FieldError messages={under(errors, 'datasetId')} />
          </div>
          <div>
            <label className="label" htmlFor="bt-name">
              Run name (optional)
            </label>
            <input
              id="bt-name"
              className="input"
              value={name}
              placeholder="default: model · horizon · dataset"
              onChange={(e) => setName(e.target.value)}
            />
            <FieldError messages={under(errors, 'name')} />
          </div>
          <fieldset>
            <legend className="label">Horizon h</legend>
            <div className="flex gap-2">
              {catalog.horizons.map((h) => (
                <label
                  key={h}
                  className={`cursor-pointer rounded-md border px-3 py-1.5 text-sm ${horizon === h ? 'border-brand-500 bg-brand-50 font-medium text-brand-700' : 'border-slate-300'}`}
                >
                  <input
                    type="radio"
                    name="horizon"
                    className="sr-only"
                    checked={horizon === h}
                    onChange={() => setHorizon(h)}
                  />
                  {h} day{h === 1 ? '' : 's'}
                </label>
              ))}
            </div>
            <FieldError messages={under(errors, 'horizon')} />
          </fieldset>
        </div>
      </Section>

      <Section
        title="Features"
        hint="Strictly causal: the row of day t uses bars up to t only. Each indicator is made scale-free (a ratio to the price or a fraction). Rows before an indicator's warm-up are skipped."
      >
        <div className="grid grid-cols-1 gap-x-6 gap-y-3 md:grid-cols-2">
          {catalog.features.map((f) => {
            const st = features[f.key];
            const set = (next: Partial<typeof st>) =>
              setFeatures((old) => ({ ...old, [f.key]: { ...old[f.key], ...next } }));
            const msgs = under(errors, `features.${f.key}`);
            return (
              <div key={f.key} className="border-b border-slate-100 pb-2">
                <div className="flex items-start gap-3">
                  <label className="flex w-60 shrink-0 items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1"
                      checked={st.on}
                      onChange={(e) => set({ on: e.target.checked })}
                      aria-label={f.label}
                    />
                    <span>
                      <span className="font-medium">{f.label}</span>
                      <span className="block text-xs text-slate-500">{f.description}</span>
                    </span>
                  </label>
                  <div className="flex flex-wrap gap-2">
                    {Object.entries(st.values).map(([k, v]) => (
                      <label key={k} className={`w-20 text-xs ${st.on ? 'text-slate-500' : 'text-slate-300'}`}>
                        {k === 'n' ? (f.key === 'returnLags' ? 'lags' : 'period (d)') : (SUB_LABEL[k] ?? k)}
                        <input
                          className={`input mt-0.5 px-2 tabular-nums ${msgs.length ? 'border-red-400' : ''}`}
                          inputMode="decimal"
                          value={v}
                          disabled={!st.on}
                          aria-label={`${f.label} ${k === 'n' ? (f.key === 'returnLags' ? 'lags' : 'period') : k}`}
                          onChange={(e) => set({ values: { ...st.values, [k]: e.target.value } })}
                        />
                      </label>
                    ))}
                  </div>
                </div>
                <FieldError messages={msgs} />
              </div>
            );
          })}
        </div>
        <FieldError messages={(errors.features ?? []).slice()} />
      </Section>

      <Section
        title="Model"
        hint="Trained by NeuralFin's own engine. With the quantile head the network outputs P10 / P50 / P90 trained with the pinball loss; P50 is the point forecast."
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-4">
          <div>
            <label className="label" htmlFor="bt-model">
              Model type
            </label>
            <select
              id="bt-model"
              className="input"
              value={modelType}
              onChange={(e) => {
                const t = e.target.value as ModelType;
                setModelType(t);
                setModel(modelStrings(catalog.modelDefaults[t]));
              }}
            >
              {catalog.modelTypes.map((t) => (
                <option key={t} value={t}>
                  {catalog.modelLabels[t]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="mt-2 text-xs text-brand-600 hover:underline"
              onClick={() => setModel(modelStrings(catalog.modelDefaults[modelType]))}
            >
              Reset to the defaults of {catalog.modelLabels[modelType]}
            </button>
          </div>
          {params
            .filter((k) => k !== 'quantiles')
            .map((k) => (
              <NumberField
                key={`${modelType}-${k}`}
                id={`bt-model-${k}`}
                label={paramLabel(modelType, k)}
                value={model[k] ?? ''}
                onChange={(v) => setModel((old) => ({ ...old, [k]: v }))}
                errors={under(errors, `model.${k}`)}
                hint={`default ${String(catalog.modelDefaults[modelType][k])}`}
              />
            ))}
          {params.includes('quantiles') && (
            <label className="flex items-center gap-2 self-end pb-2 text-sm">
              <input
                type="checkbox"
                checked={model.quantiles === 'true'}
                onChange={(e) => setModel((old) => ({ ...old, quantiles: String(e.target.checked) }))}
              />
              Quantile head (P10 / P50 / P90)
            </label>
          )}
        </div>
        <FieldError messages={errors.model ?? []} />
      </Section>

      <Section
        title="Walk-forward backtest"
        hint="Each fold trains on its window, skips a purge gap of h days, then predicts the next k days out of sample; scalers are refit on each train window only."
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-4">
          <fieldset>
            <legend className="label">Train window</legend>
            <div className="space-y-1 text-sm">
              {(['expanding', 'rolling'] as const).map((w) => (
                <label key={w} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="window"
                    checked={wf.window === w}
                    onChange={() => setWf((o) => ({ ...o, window: w }))}
                  />
                  {w === 'expanding' ? 'Expanding (from the first usable day)' : 'Rolling (the last N samples)'}
                </label>
              ))}
            </div>
          </fieldset>
          <NumberField
            id="bt-trainSize"
            label="Train window N (samples)"
            value={wf.trainSize}
            onChange={(v) => setWf((o) => ({ ...o, trainSize: v }))}
            errors={under(errors, 'walkForward.trainSize')}
            hint="first window (expanding) or every window (rolling), incl. validation"
          />
          <NumberField
            id="bt-retrainEvery"
            label="Retrain every k days"
            value={wf.retrainEvery}
            onChange={(v) => setWf((o) => ({ ...o, retrainEvery: v }))}
            errors={under(errors, 'walkForward.retrainEvery')}
            hint="each fold tests the k days after its window"
          />
          <fieldset>
            <legend className="label">Each retrain</legend>
            <div className="space-y-1 text-sm">
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="warmStart"
                  checked={!wf.warmStart}
                  onChange={() => setWf((o) => ({ ...o, warmStart: false }))}
                />
                From scratch (fresh weights)
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="warmStart"
                  checked={wf.warmStart}
                  onChange={() => setWf((o) => ({ ...o, warmStart: true }))}
                />
                Warm start (continue the previous fold)
              </label>
            </div>
          </fieldset>
          <NumberField
            id="bt-validationFraction"
            label="Validation share (0–0.5)"
            value={wf.validationFraction}
            onChange={(v) => setWf((o) => ({ ...o, validationFraction: v }))}
            errors={under(errors, 'walkForward.validationFraction')}
            hint="end of each window, for early stopping; 0 turns it off"
          />
          <NumberField
            id="bt-maxFolds"
            label="Max folds (optional)"
            value={wf.maxFolds}
            placeholder="all"
            onChange={(v) => setWf((o) => ({ ...o, maxFolds: v }))}
            errors={under(errors, 'walkForward.maxFolds')}
            hint="empty: until the data ends"
          />
          <div>
            <label className="label" htmlFor="bt-seeds">
              Seeds
            </label>
            <input
              id="bt-seeds"
              className={`input ${under(errors, 'seeds').length ? 'border-red-400' : ''}`}
              value={seeds}
              onChange={(e) => setSeeds(e.target.value)}
            />
            <p className="mt-1 text-xs text-slate-500">one training run per seed; metrics are mean ± std</p>
            <FieldError messages={under(errors, 'seeds')} />
          </div>
        </div>
      </Section>

      <Section
        title="Baselines and trading"
        hint="Baselines always run beside the model: naive (no change), drift, AR(p) by least squares and a moving average. Trading: decide at the close of day t, fill at the open of t + 1, costs on both legs."
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-6">
          <NumberField
            id="bt-arOrder"
            label="AR order p"
            value={baselines.arOrder}
            onChange={(v) => setBaselines((o) => ({ ...o, arOrder: v }))}
            errors={under(errors, 'baselines.arOrder')}
          />
          <NumberField
            id="bt-maWindow"
            label="MA window (days)"
            value={baselines.maWindow}
            onChange={(v) => setBaselines((o) => ({ ...o, maWindow: v }))}
            errors={under(errors, 'baselines.maWindow')}
          />
          <div>
            <label className="label" htmlFor="bt-mode">
              Positions
            </label>
            <select
              id="bt-mode"
              className="input"
              value={trading.mode}
              onChange={(e) => setTrading((o) => ({ ...o, mode: e.target.value as TradingConfig['mode'] }))}
            >
              <option value="longFlat">Long / flat</option>
              <option value="longShort">Long / short</option>
            </select>
          </div>
          <NumberField
            id="bt-threshold"
            label="Threshold θ"
            value={trading.threshold}
            onChange={(v) => setTrading((o) => ({ ...o, threshold: v }))}
            errors={under(errors, 'trading.threshold')}
            hint="log return over h; 0.001 ≈ 0.1 %"
          />
          <NumberField
            id="bt-costBp"
            label="Costs (bp per side)"
            value={trading.costBp}
            onChange={(v) => setTrading((o) => ({ ...o, costBp: v }))}
            errors={under(errors, 'trading.costBp')}
            hint="1 bp = 0.01 % of the amount traded"
          />
          <NumberField
            id="bt-riskFreeRate"
            label="Risk-free rate (per year)"
            value={trading.riskFreeRate}
            onChange={(v) => setTrading((o) => ({ ...o, riskFreeRate: v }))}
            errors={under(errors, 'trading.riskFreeRate')}
            hint="fraction: 0.02 = 2 %"
          />
        </div>
      </Section>

      <Section title="After the backtest">
        <div className="space-y-2 text-sm">
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={forecastNext} onChange={(e) => setForecastNext(e.target.checked)} />
            Retrain on the latest window and forecast the next h days from the last bar
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={saveModel} onChange={(e) => setSaveModel(e.target.checked)} />
            Save that forecaster to the model registry (to forecast again later from newer data)
          </label>
        </div>
      </Section>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn" disabled={pending || !datasetId}>
          {pending ? 'Checking settings…' : 'Start backtest'}
        </button>
        <span className="text-sm text-slate-500">
          The settings are checked against the data first; the backtest then runs in a worker.
        </span>
      </div>
      {formError && (
        <p
          role="alert"
          className="whitespace-pre-line rounded-md bg-red-50 px-3 py-2 text-sm text-red-700"
          data-testid="form-error"
        >
          {formError}
        </p>
      )}
    </form>
  );
}
