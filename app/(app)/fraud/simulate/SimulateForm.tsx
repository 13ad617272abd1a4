'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { startSimulation } from '../actions';

type Preset = {
  key: 'small' | 'default';
  customers: number;
  terminals: number;
  days: number;
  terminalsPerDay: number;
  cardsPerDay: number;
  startDate: string;
};

type Errors = Record<string, string[] | undefined>;

const PRESET_TEXT: Record<Preset['key'], string> = {
  small: 'Small (demos and tests)',
  default: 'Handbook size',
};

export function SimulateForm({ presets }: { presets: Preset[] }) {
  const [presetKey, setPresetKey] = useState<Preset['key']>('small');
  const preset = presets.find((p) => p.key === presetKey) ?? presets[0];
  const [days, setDays] = useState(String(preset.days));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const fieldError = (name: string) =>
    errors[name]?.[0] && (
      <p className="mt-0.5 text-xs text-red-700" data-field-error={name}>
        {errors[name]?.[0]}
      </p>
    );
  // about 5,000 customers make ~9,700 transactions a day in the Handbook
  const perDay = Math.round((preset.customers * 9700) / 5000);

  return (
    <form
      noValidate
      className="card max-w-3xl space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => {
          setError(null);
          const r = await startSimulation(form);
          if (!r.ok) {
            setError(r.error);
            setErrors(r.fieldErrors ?? {});
            return;
          }
          router.push(`/fraud/jobs/${r.data.jobId}`);
        });
      }}
    >
      <fieldset>
        <legend className="label">Size</legend>
        <div className="grid grid-cols-1 gap-2 md:grid-cols-2">
          {presets.map((p) => (
            <label
              key={p.key}
              className={`cursor-pointer rounded-md border px-3 py-2 text-sm ${presetKey === p.key ? 'border-brand-500 bg-brand-50' : 'border-slate-200'}`}
            >
              <input
                type="radio"
                name="preset"
                value={p.key}
                checked={presetKey === p.key}
                onChange={() => {
                  setPresetKey(p.key);
                  setDays(String(p.days));
                }}
                className="mr-2"
              />
              <span className="font-medium">{PRESET_TEXT[p.key]}</span>
              <span className="block text-xs text-slate-500">
                {p.customers.toLocaleString('en-US')} customers, {p.terminals.toLocaleString('en-US')} terminals,{' '}
                {p.days} days · {p.terminalsPerDay.toFixed(2)} terminals and {p.cardsPerDay.toFixed(2)} cards
                compromised a day
              </span>
            </label>
          ))}
        </div>
        {fieldError('preset')}
      </fieldset>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <div>
          <label className="label" htmlFor="sim-seed">
            Seed
          </label>
          <input id="sim-seed" name="seed" type="number" step="1" min={0} className="input" defaultValue={1} />
          {fieldError('seed') || <p className="mt-0.5 text-xs text-slate-500">same seed, same transactions</p>}
        </div>
        <div>
          <label className="label" htmlFor="sim-days">
            Days
          </label>
          <input
            id="sim-days"
            name="days"
            type="number"
            step="1"
            min={1}
            className="input"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          {fieldError('days') || (
            <p className="mt-0.5 text-xs text-slate-500">
              from {preset.startDate}; ≈ {(perDay * (Number(days) || 0)).toLocaleString('en-US')} transactions
            </p>
          )}
        </div>
        <div>
          <label className="label" htmlFor="sim-name">
            Name (optional)
          </label>
          <input id="sim-name" name="name" className="input" placeholder="generated from the settings" />
          {fieldError('name')}
        </div>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" className="btn" disabled={pending}>
        {pending ? 'Starting…' : 'Start simulation'}
      </button>
    </form>
  );
}
