'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { Hyper, ModelKind } from '@/lib/credit/classifiers';
import { SyntheticBadge } from '../../../_components/credit/DecisionBadge';
import { pct } from '../../../_components/credit/format';
import { Field } from '../../../_components/form/Field';
import { startTraining } from '../actions';

type DatasetOption = {
  id: string;
  name: string;
  synthetic: boolean;
  rows: number;
  bads: number | null;
  target: string;
  badValue: string;
};

const KIND_HELP: Record<ModelKind, string> = {
  logistic: 'A network without hidden layers: logistic regression, the published baseline for credit scoring.',
  mlp: 'Hidden layers with ReLU and dropout; small, strongly regularised nets do best on ~1,000 rows.',
  resmlp: 'The tabular ResNet (Gorishniy et al. 2021): residual blocks with normalisation and dropout.',
  perceptron: 'Rosenblatt’s perceptron trained by the classic rule; its net input is calibrated into a PD. A baseline.',
};

type Errors = Record<string, string[] | undefined>;

function NumberInput({
  name,
  defaultValue,
  step = 'any',
}: {
  name: string;
  defaultValue: number | string;
  step?: string;
}) {
  return (
    <input id={`train-${name}`} name={name} type="number" step={step} className="input" defaultValue={defaultValue} />
  );
}

export function TrainForm({
  datasets,
  selected,
  kinds,
  defaults,
}: {
  datasets: DatasetOption[];
  selected: string;
  kinds: { value: ModelKind; label: string }[];
  defaults: Required<Hyper>;
}) {
  const [datasetId, setDatasetId] = useState(selected);
  const [kind, setKind] = useState<ModelKind>('mlp');
  const [policyMode, setPolicyMode] = useState<'cost' | 'approvalRate'>('cost');
  const [woe, setWoe] = useState(false);
  const [costs, setCosts] = useState({ bad: 5, good: 1 });
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const ds = datasets.find((d) => d.id === datasetId);
  const cutoff = costs.bad + costs.good > 0 ? costs.good / (costs.good + costs.bad) : null;
  const nets = kind !== 'perceptron';

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
          const r = await startTraining(form);
          if (!r.ok) {
            const fields = Object.keys(r.fieldErrors ?? {}).filter((k) => k !== 'form');
            setError(
              fields.length > 0
                ? `${fields.length} setting${fields.length === 1 ? ' needs' : 's need'} correcting (marked above); nothing was started.`
                : r.error,
            );
            setErrors(r.fieldErrors ?? {});
            return;
          }
          setErrors({});
          router.push(`/credit/jobs/${r.data.jobId}`);
        });
      }}
    >
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Data and model</h2>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <Field name="datasetId" label="Dataset" errors={errors}>
            <select
              id="train-datasetId"
              name="datasetId"
              className="input"
              value={datasetId}
              onChange={(e) => setDatasetId(e.target.value)}
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                  {d.synthetic ? ' (synthetic)' : ''} · {d.rows.toLocaleString('en-US')} rows
                </option>
              ))}
            </select>
          </Field>
          <Field name="modelKind" label="Model kind" errors={errors}>
            <select
              id="train-modelKind"
              name="modelKind"
              className="input"
              value={kind}
              onChange={(e) => setKind(e.target.value as ModelKind)}
            >
              {kinds.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          <Field name="name" label="Model name (optional)" errors={errors}>
            <input id="train-name" name="name" className="input" placeholder="e.g. MLP on German Credit" />
          </Field>
        </div>
        <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
          {ds && (
            <span>
              Outcome: <span className="font-mono text-xs">{ds.target}</span> = “{ds.badValue}” is bad
              {ds.bads !== null && <> · bad rate {pct(ds.bads / ds.rows)}</>}
              {ds.synthetic && <SyntheticBadge />}
            </span>
          )}
          <span className="text-slate-500">{KIND_HELP[kind]}</span>
        </div>
      </section>

      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Hyper-parameters</h2>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          {kind === 'mlp' && (
            <Field name="hidden" label="Hidden layer widths" hint="e.g. 16 or 32, 16" errors={errors}>
              <input id="train-hidden" name="hidden" className="input" defaultValue={defaults.hidden.join(', ')} />
            </Field>
          )}
          {kind === 'resmlp' && (
            <>
              <Field name="width" label="Width" hint="residual stream units" errors={errors}>
                <NumberInput name="width" defaultValue={defaults.width} step="1" />
              </Field>
              <Field name="blocks" label="Residual blocks" errors={errors}>
                <NumberInput name="blocks" defaultValue={defaults.blocks} step="1" />
              </Field>
              <Field name="norm" label="Normalisation" errors={errors}>
                <select id="train-norm" name="norm" className="input" defaultValue={defaults.norm}>
                  <option value="layer">layer norm</option>
                  <option value="batch">batch norm</option>
                </select>
              </Field>
            </>
          )}
          {(kind === 'mlp' || kind === 'resmlp') && (
            <Field name="dropout" label="Dropout" hint="share of units dropped, 0–0.9" errors={errors}>
              <NumberInput name="dropout" defaultValue={defaults.dropout} />
            </Field>
          )}
          {nets && (
            <>
              <Field name="lr" label="Learning rate" hint="AdamW" errors={errors}>
                <NumberInput name="lr" defaultValue={defaults.lr} />
              </Field>
              <Field name="weightDecay" label="Weight decay" hint="AdamW, decoupled" errors={errors}>
                <NumberInput name="weightDecay" defaultValue={defaults.weightDecay} />
              </Field>
              <Field name="epochs" label="Max epochs" hint="early stopping usually ends sooner" errors={errors}>
                <NumberInput name="epochs" defaultValue={defaults.epochs} step="1" />
              </Field>
              <Field name="batchSize" label="Batch size" errors={errors}>
                <NumberInput name="batchSize" defaultValue={defaults.batchSize} step="1" />
              </Field>
              <Field name="patience" label="Patience (epochs)" hint="without a lower validation loss" errors={errors}>
                <NumberInput name="patience" defaultValue={defaults.patience} step="1" />
              </Field>
              <Field name="classWeight" label="Class weights" errors={errors}>
                <select id="train-classWeight" name="classWeight" className="input" defaultValue={defaults.classWeight}>
                  <option value="none">none</option>
                  <option value="balanced">balanced (N / 2·class count)</option>
                </select>
              </Field>
            </>
          )}
          <Field
            name="perceptronEpochs"
            label="Perceptron passes"
            hint="for the perceptron and its baseline"
            errors={errors}
          >
            <NumberInput name="perceptronEpochs" defaultValue={defaults.perceptronEpochs} step="1" />
          </Field>
        </div>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="card space-y-4">
          <h2 className="text-lg font-semibold">Evaluation and calibration</h2>
          <div className="grid grid-cols-3 gap-4">
            <Field name="folds" label="Folds" hint="stratified, 2–10" errors={errors}>
              <NumberInput name="folds" defaultValue={5} step="1" />
            </Field>
            <Field name="seeds" label="Seeds" hint="repeats, 1–10" errors={errors}>
              <NumberInput name="seeds" defaultValue={3} step="1" />
            </Field>
            <Field name="calibration" label="Calibration" errors={errors}>
              <select id="train-calibration" name="calibration" className="input" defaultValue="auto">
                <option value="auto">auto (lower log loss)</option>
                <option value="platt">Platt (logistic)</option>
                <option value="isotonic">isotonic</option>
                <option value="none">none</option>
              </select>
            </Field>
          </div>
          <fieldset>
            <legend className="label">Baselines cross-validated beside it</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              {kinds
                .filter((k) => k.value !== kind)
                .map((k) => (
                  <label key={k.value} className="flex items-center gap-1.5">
                    <input
                      type="checkbox"
                      name={`baseline_${k.value}`}
                      defaultChecked={k.value === 'logistic' || k.value === 'perceptron'}
                    />
                    {k.label}
                  </label>
                ))}
            </div>
          </fieldset>
          <p className="text-xs text-slate-500">
            Calibration is fit on out-of-fold scores (cross-fitted), so its figures are held-out too. Time grows with
            folds × seeds × (1 + baselines).
          </p>
        </div>

        <div className="card space-y-4">
          <h2 className="text-lg font-semibold">Preprocessing</h2>
          <p className="text-xs text-slate-500">
            Fit on each training fold only and saved with the model: median / most-frequent imputation with missing
            indicators, standardisation, one-hot with an “other” bucket for rare and unseen categories.
          </p>
          <div className="grid grid-cols-2 gap-4">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="logSkewed" defaultChecked />
              ln(1 + x) for skewed amounts
            </label>
            <Field name="minCategoryCount" label="Minimum category count" hint="rarer → “other”" errors={errors}>
              <NumberInput name="minCategoryCount" defaultValue={5} step="1" />
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="woe" checked={woe} onChange={(e) => setWoe(e.target.checked)} />
              Weight-of-evidence binning instead
            </label>
            {woe && (
              <Field name="woeBins" label="WoE bins per numeric feature" errors={errors}>
                <NumberInput name="woeBins" defaultValue={5} step="1" />
              </Field>
            )}
          </div>
        </div>
      </section>

      <section className="card space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 className="text-lg font-semibold">Cut-off policy</h2>
          <div className="flex gap-4 text-sm" role="radiogroup" aria-label="Policy mode">
            <label className="flex items-center gap-1.5">
              <input
                type="radio"
                name="policyMode"
                value="cost"
                checked={policyMode === 'cost'}
                onChange={() => setPolicyMode('cost')}
              />
              From a cost matrix
            </label>
            <label className="flex items-center gap-1.5">
              <input
                type="radio"
                name="policyMode"
                value="approvalRate"
                checked={policyMode === 'approvalRate'}
                onChange={() => setPolicyMode('approvalRate')}
              />
              From a target approval rate
            </label>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Field name="badApproved" label="Loss on an approved bad loan" hint="cost units" errors={errors}>
            <input
              id="train-badApproved"
              name="badApproved"
              type="number"
              step="any"
              className="input"
              defaultValue={5}
              onChange={(e) => setCosts({ ...costs, bad: Number(e.target.value) })}
            />
          </Field>
          <Field name="goodDeclined" label="Profit lost on a declined good loan" hint="cost units" errors={errors}>
            <input
              id="train-goodDeclined"
              name="goodDeclined"
              type="number"
              step="any"
              className="input"
              defaultValue={1}
              onChange={(e) => setCosts({ ...costs, good: Number(e.target.value) })}
            />
          </Field>
          <Field name="referral" label="Cost of a manual review" hint="per referred application" errors={errors}>
            <NumberInput name="referral" defaultValue={0} />
          </Field>
          {policyMode === 'cost' ? (
            <Field name="referWidth" label="Refer band ± (PD points)" hint="around the cut-off" errors={errors}>
              <NumberInput name="referWidth" defaultValue={5} />
            </Field>
          ) : (
            <>
              <Field name="approvalRate" label="Target approval rate (%)" errors={errors}>
                <NumberInput name="approvalRate" defaultValue={70} />
              </Field>
              <Field name="referShare" label="Refer share (%)" hint="just above the approved" errors={errors}>
                <NumberInput name="referShare" defaultValue={10} />
              </Field>
            </>
          )}
        </div>
        <p className="text-xs text-slate-500">
          {policyMode === 'cost' ? (
            <>
              With calibrated PDs, declining is cheaper exactly when PD ≥ C<sub>good</sub> / (C<sub>good</sub> + C
              <sub>bad</sub>){cutoff !== null && Number.isFinite(cutoff) && <> = {pct(cutoff)} for these costs</>}.
              Applications within the band around it are referred to a person.
            </>
          ) : (
            <>
              The approve band ends at the PD quantile that approves the target share of held-out applications; the next
              refer share is referred, the rest declined. The costs are used for the expected-cost figures.
            </>
          )}
        </p>
      </section>

      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex items-center gap-3">
        <button type="submit" className="btn" disabled={pending}>
          {pending ? 'Starting…' : 'Start training'}
        </button>
        <span className="text-sm text-slate-500">You will see its progress next.</span>
      </div>
    </form>
  );
}
