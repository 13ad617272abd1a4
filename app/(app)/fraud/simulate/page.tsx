import Link from 'next/link';
import { SIMULATOR_PRESETS } from '@/lib/fraud';
import { requirePageUser } from '../../../_server/guard';
import { SimulateForm } from './SimulateForm';

export default async function SimulatePage() {
  await requirePageUser('fraud');
  const presets = Object.entries(SIMULATOR_PRESETS).map(([key, c]) => ({
    key: key as 'small' | 'default',
    customers: c.customers,
    terminals: c.terminals,
    days: c.days,
    terminalsPerDay: c.compromisedTerminalsPerDay,
    cardsPerDay: c.compromisedCardsPerDay,
    startDate: c.startDate,
  }));
  return (
    <div className="space-y-6">
      <div>
        <Link href="/fraud" className="text-sm text-brand-600 hover:underline">
          ← Fraud
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Simulate card transactions</h1>
        <p className="max-w-3xl text-sm text-slate-500">
          The Fraud Detection Handbook&apos;s simulator: customers and terminals on a 100 × 100 grid, each customer
          paying at the terminals within a radius of home at realistic times of day, and three fraud scenarios — amounts
          above 220; compromised terminals (every transaction on them is fraud for 28 days); compromised cards (a third
          of their next 14 days&apos; transactions inflated ×5). Seeded and deterministic; the data is synthetic and
          labelled so everywhere. Runs in a worker, one database transaction per day.
        </p>
      </div>
      <SimulateForm presets={presets} />
    </div>
  );
}
