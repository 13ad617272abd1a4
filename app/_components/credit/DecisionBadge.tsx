import type { Decision } from '@/lib/credit/policy';

const STYLE: Record<Decision, string> = {
  approve: 'bg-emerald-100 text-emerald-800 ring-emerald-200',
  refer: 'bg-amber-100 text-amber-800 ring-amber-200',
  decline: 'bg-red-100 text-red-800 ring-red-200',
};

export function DecisionBadge({ decision, large = false }: { decision: Decision; large?: boolean }) {
  return (
    <span
      data-testid="decision-badge"
      className={`inline-block rounded ring-1 font-semibold uppercase tracking-wide ${STYLE[decision]} ${
        large ? 'px-3 py-1 text-lg' : 'px-2 py-0.5 text-xs'
      }`}
    >
      {decision}
    </span>
  );
}

export function SyntheticBadge() {
  return (
    <span
      className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800"
      title="Generated data"
    >
      synthetic
    </span>
  );
}

const PSI_STYLE: Record<string, string> = {
  stable: 'bg-emerald-100 text-emerald-800',
  'moderate shift': 'bg-amber-100 text-amber-800',
  'significant shift': 'bg-red-100 text-red-800',
};

export function PsiBadge({ band }: { band: string }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${PSI_STYLE[band] ?? ''}`}>{band}</span>;
}

export function PassBadge({ passes, label }: { passes: boolean | null; label?: [string, string] }) {
  if (passes === null) return <span className="text-xs text-slate-400">no data</span>;
  const [yes, no] = label ?? ['passes', 'fails'];
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-medium ${passes ? 'bg-emerald-100 text-emerald-800' : 'bg-red-100 text-red-800'}`}
    >
      {passes ? yes : no}
    </span>
  );
}
