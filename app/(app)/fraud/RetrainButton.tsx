'use client';

// Starts the "retrain with confirmed labels" training job and follows it on the job page.

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { retrainWithTriageLabels } from './actions';

export function RetrainButton({ datasetId }: { datasetId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        className="btn"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await retrainWithTriageLabels({ datasetId });
            if (!r.ok) {
              setError(r.error);
              return;
            }
            router.push(`/fraud/jobs/${r.data.jobId}`);
          })
        }
      >
        {pending ? 'Starting…' : 'Retrain with confirmed labels'}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
