import Link from 'next/link';
import { canAccess, SECTIONS } from '@/lib/auth/roles';
import { requirePageUser } from '../_server/guard';

const BLURBS: Record<string, string> = {
  forecast: 'Walk-forward backtests of neural price forecasters beside naive baselines.',
  credit: 'Loan-application scorers: calibration, cut-offs, reason codes.',
  fraud: 'Transaction scoring, alerts within a daily budget, triage.',
  lab: 'The neural-network course, live on the same engine.',
  models: 'Every trained model, its metrics and its file.',
  jobs: 'Training and backtest jobs with live progress.',
  admin: 'Users, passwords and the audit log.',
};

export default async function HomePage() {
  const user = await requirePageUser();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {SECTIONS.filter((s) => canAccess(user.role, s.section)).map((s) => (
          <Link key={s.href} href={s.href} className="card block hover:border-brand-500">
            <div className="font-semibold text-brand-700">{s.label}</div>
            <p className="mt-1 text-sm text-slate-600">{BLURBS[s.section]}</p>
          </Link>
        ))}
      </div>
    </div>
  );
}
