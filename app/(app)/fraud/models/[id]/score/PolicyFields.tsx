'use client';

// The alert policy inputs shared by the one-transaction and batch forms: a score threshold (optionally capped per
// day) or the top k per day.

import { useState } from 'react';

export function PolicyFields({ prefix, errors }: { prefix: string; errors: Record<string, string | undefined> }) {
  const [mode, setMode] = useState<'threshold' | 'topK'>('topK');
  const err = (name: string) =>
    errors[name] && (
      <p className="mt-0.5 text-xs text-red-700" data-field-error={name}>
        {errors[name]}
      </p>
    );
  return (
    <fieldset className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-3">
      <legend className="px-1 text-xs font-medium text-slate-600">Alert policy (ingest only)</legend>
      <div>
        <label className="label" htmlFor={`${prefix}-policyMode`}>
          Raise an alert when
        </label>
        <select
          id={`${prefix}-policyMode`}
          name="policyMode"
          className="input"
          value={mode}
          onChange={(e) => setMode(e.target.value as 'threshold' | 'topK')}
        >
          <option value="topK">it ranks in the day&apos;s top k</option>
          <option value="threshold">its score is at least a threshold</option>
        </select>
      </div>
      {mode === 'topK' ? (
        <div>
          <label className="label" htmlFor={`${prefix}-perDay`}>
            k (alerts per day)
          </label>
          <input
            id={`${prefix}-perDay`}
            name="perDay"
            type="number"
            step="1"
            min={1}
            className="input"
            defaultValue={5}
          />
          {err('perDay') || <p className="mt-0.5 text-xs text-slate-500">at most k alerts per transaction day</p>}
        </div>
      ) : (
        <>
          <div>
            <label className="label" htmlFor={`${prefix}-threshold`}>
              Threshold (fraud probability)
            </label>
            <input
              id={`${prefix}-threshold`}
              name="threshold"
              type="number"
              step="0.01"
              min={0}
              max={1}
              className="input"
              defaultValue={0.5}
            />
            {err('threshold') || <p className="mt-0.5 text-xs text-slate-500">0–1</p>}
          </div>
          <div>
            <label className="label" htmlFor={`${prefix}-dailyBudget`}>
              Daily budget (optional)
            </label>
            <input
              id={`${prefix}-dailyBudget`}
              name="dailyBudget"
              type="number"
              step="1"
              min={1}
              className="input"
              placeholder="no cap"
            />
            {err('dailyBudget') || <p className="mt-0.5 text-xs text-slate-500">highest scores first</p>}
          </div>
        </>
      )}
    </fieldset>
  );
}
