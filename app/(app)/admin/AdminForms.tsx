'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addUser, resetPassword, setUserDisabled } from './actions';

type Result = { ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> };

function Message({ result, success }: { result: Result | null; success: string }) {
  if (!result) return null;
  return result.ok ? (
    <p className="text-sm text-emerald-700" role="status">
      {success}
    </p>
  ) : (
    <p className="text-sm text-red-700" role="alert">
      {result.error}
    </p>
  );
}

export function AddUserForm() {
  const [result, setResult] = useState<Result | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <form
      className="grid grid-cols-1 gap-3 border-t border-slate-100 pt-4 md:grid-cols-5"
      action={(form) =>
        start(async () => {
          const r = await addUser(form);
          setResult(r);
          if (r.ok) router.refresh();
        })
      }
    >
      <div>
        <label className="label" htmlFor="new-name">
          Name
        </label>
        <input id="new-name" name="name" className="input" required />
      </div>
      <div>
        <label className="label" htmlFor="new-email">
          E-mail
        </label>
        <input id="new-email" name="email" type="email" className="input" required />
      </div>
      <div>
        <label className="label" htmlFor="new-role">
          Role
        </label>
        <select id="new-role" name="role" className="input" defaultValue="analyst">
          <option value="analyst">analyst</option>
          <option value="risk">risk</option>
          <option value="fraud">fraud</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <div>
        <label className="label" htmlFor="new-password">
          Password (10+ characters)
        </label>
        <input id="new-password" name="password" type="password" className="input" required minLength={10} />
      </div>
      <div className="flex items-end">
        <button type="submit" className="btn" disabled={pending}>
          Add user
        </button>
      </div>
      <div className="md:col-span-5">
        <Message result={result} success="User added." />
      </div>
    </form>
  );
}

export function UserRowActions({
  id,
  email,
  disabled,
  isSelf,
}: {
  id: string;
  email: string;
  disabled: boolean;
  isSelf: boolean;
}) {
  const [result, setResult] = useState<Result | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="space-y-1">
      <form
        className="flex gap-2"
        action={(form) =>
          start(async () => {
            setResult(await resetPassword({ id, password: String(form.get('password') ?? '') }));
          })
        }
      >
        <input
          name="password"
          type="password"
          placeholder="New password"
          aria-label={`New password for ${email}`}
          className="input w-40"
          minLength={10}
          required
        />
        <button type="submit" className="btn-secondary" disabled={pending}>
          Reset password
        </button>
        {!isSelf && (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const r = await setUserDisabled({ id, disabled: !disabled });
                setResult(r);
                if (r.ok) router.refresh();
              })
            }
          >
            {disabled ? 'Enable' : 'Disable'}
          </button>
        )}
      </form>
      <Message result={result} success="Saved." />
    </div>
  );
}
