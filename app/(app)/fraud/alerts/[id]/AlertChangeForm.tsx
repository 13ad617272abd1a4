'use client';

// Status changes of one alert with an optional note and assignee. The form sends the version the page was loaded
// with; if someone changed the alert since, the server refuses with a conflict, which is shown with who changed it,
// and nothing is overwritten. The typed note is kept so it can be applied again to the latest version.

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { AlertChangeResult, AlertStatus } from '@/lib/fraud';
import { STATUS_TEXT } from '../../../../_components/fraud/Badges';
import { changeAlertStatus } from '../../actions';

const ACTION_TEXT = (from: AlertStatus, to: AlertStatus): string => {
  if (to === 'investigating') return from === 'open' ? 'Start investigating' : 'Reopen investigation';
  if (to === 'confirmed_fraud') return 'Confirm fraud';
  if (to === 'false_positive') return 'Mark false positive';
  return 'Back to open';
};

const BUTTON_STYLE: Record<AlertStatus, string> = {
  open: 'btn-secondary',
  investigating: 'btn',
  confirmed_fraud: 'btn bg-red-600! hover:bg-red-700!',
  false_positive: 'btn bg-emerald-600! hover:bg-emerald-700!',
};

type Failure = Extract<AlertChangeResult, { ok: false }>['error'];

export function AlertChangeForm({
  alertId,
  version,
  status,
  allowedNext,
  assigneeId,
  users,
  me,
}: {
  alertId: string;
  version: number;
  status: AlertStatus;
  allowedNext: AlertStatus[];
  assigneeId: string | null;
  users: { id: string; name: string }[];
  me: string;
}) {
  const [note, setNote] = useState('');
  // null until the user picks someone: the select then follows the alert's current assignee
  const [chosen, setChosen] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const current = assigneeId ?? 'none';
  const assignee = chosen ?? current;

  const submit = (to: AlertStatus | null) =>
    start(async () => {
      setError(null);
      setFailure(null);
      setSaved(null);
      const r = await changeAlertStatus({
        alertId,
        expectedVersion: version,
        ...(to ? { status: to } : {}),
        // unchanged assignee: keep it (the server then leaves it as it is now)
        assignee: assignee === current ? '' : assignee,
        note,
      });
      if (!r.ok) {
        setError(r.error);
        return;
      }
      if (!r.data.ok) {
        setFailure(r.data.error);
        return;
      }
      setNote('');
      setChosen(null);
      setSaved(
        to && to !== status ? `Saved: ${STATUS_TEXT[status]} → ${STATUS_TEXT[to]}.` : 'Saved the note and assignee.',
      );
      router.refresh();
    });

  return (
    <section className="card space-y-3" data-testid="alert-change" data-version={version}>
      <h2 className="text-lg font-semibold">Triage</h2>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit(null);
        }}
      >
        <input type="hidden" name="expectedVersion" value={version} />
        <div>
          <label className="label" htmlFor="alert-assignee">
            Assignee
          </label>
          <select id="alert-assignee" className="input" value={assignee} onChange={(e) => setChosen(e.target.value)}>
            <option value="none">unassigned</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
                {u.id === me ? ' (me)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="alert-note">
            Note (optional)
          </label>
          <textarea
            id="alert-note"
            className="input min-h-20"
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="what you checked, who you called…"
          />
        </div>
        <div className="flex flex-wrap gap-2">
          {allowedNext.map((to) => (
            <button
              key={to}
              type="button"
              className={BUTTON_STYLE[to]}
              disabled={pending}
              onClick={() => submit(to)}
              data-to={to}
            >
              {ACTION_TEXT(status, to)}
            </button>
          ))}
          <button
            type="submit"
            className="btn-secondary"
            disabled={pending || (note.trim() === '' && assignee === current)}
          >
            Save note / assignee
          </button>
        </div>
        <p className="text-xs text-slate-500">
          Open → investigating → confirmed fraud or false positive. A decision sets the transaction&apos;s label for the
          next training run; reopening restores the label it had before.
        </p>
      </form>

      {saved && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">
          {saved}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {failure?.kind === 'conflict' && (
        <div
          role="alert"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm"
          data-testid="alert-conflict"
        >
          <p className="font-semibold text-amber-900">Someone else changed this alert first</p>
          <p className="text-amber-900">{failure.message}</p>
          {failure.lastChange?.note && <p className="text-amber-900">Their note: “{failure.lastChange.note}”</p>}
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setFailure(null);
              router.refresh();
            }}
          >
            Load the latest version (your note is kept)
          </button>
        </div>
      )}
      {failure && failure.kind !== 'conflict' && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          <p>{failure.message.charAt(0).toUpperCase() + failure.message.slice(1)}.</p>
          {failure.kind === 'invalid' &&
            failure.fields.map((f) => (
              <p key={f.field}>
                {f.field}: {f.message}
              </p>
            ))}
        </div>
      )}
    </section>
  );
}
