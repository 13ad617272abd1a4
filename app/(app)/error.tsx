'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card max-w-lg">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-slate-600">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ''}. Try again; if it keeps
        happening, tell an administrator the reference.
      </p>
      <button type="button" className="btn-secondary mt-4" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
