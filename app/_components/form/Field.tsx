// A labelled form field with an optional hint and the first server-side error for it (data-field-error for tests).

import type { ReactNode } from 'react';

export type FieldErrors = Record<string, string[] | undefined>;

export function Field({
  name,
  label,
  hint,
  errors,
  children,
  idPrefix = 'train',
}: {
  name: string;
  label: string;
  hint?: ReactNode;
  errors: FieldErrors;
  children: ReactNode;
  /** the control's id is `${idPrefix}-${name}` */
  idPrefix?: string;
}) {
  const err = errors[name]?.[0];
  return (
    <div>
      <label className="label" htmlFor={`${idPrefix}-${name}`}>
        {label}
      </label>
      {children}
      {hint && !err && <p className="mt-0.5 text-xs text-slate-500">{hint}</p>}
      {err && (
        <p className="mt-0.5 text-xs text-red-700" data-field-error={name}>
          {err}
        </p>
      )}
    </div>
  );
}
