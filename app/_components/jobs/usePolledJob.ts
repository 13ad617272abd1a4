'use client';

// Polls one job's JSON view every second until the job ends; a 401 sends the user to sign-in. Shared by the
// credit, fraud and forecast job pages.

import { useEffect, useState } from 'react';
import type { JobView } from '../../_server/views';

export const ENDED_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

export function usePolledJob<S extends { job: JobView }>(url: string, initial: S): [S, boolean] {
  const [state, setState] = useState(initial);
  const ended = ENDED_STATUSES.has(state.job.status);
  useEffect(() => {
    if (ended) return;
    let stop = false;
    const tick = async () => {
      try {
        const res = await fetch(url, { cache: 'no-store' });
        if (res.status === 401) {
          window.location.href = '/signin';
          return;
        }
        if (res.ok && !stop) setState((await res.json()) as S);
      } catch {
        // a missed poll is retried on the next tick
      }
    };
    const t = setInterval(() => void tick(), 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [url, ended]);
  return [state, ended];
}
