import Link from 'next/link';
import { ULB_SAMPLE_NOTE } from '@/lib/fraud';
import { DownsampledBadge } from '../../../_components/fraud/Badges';
import { requirePageUser } from '../../../_server/guard';
import { UlbImportForm } from './UlbImportForm';

export default async function UlbImportPage() {
  await requirePageUser('fraud');
  return (
    <div className="space-y-6">
      <div>
        <Link href="/fraud" className="text-sm text-brand-600 hover:underline">
          ← Fraud
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">
          Import the ULB card-fraud sample
          <DownsampledBadge />
        </h1>
        <p className="max-w-3xl text-sm text-slate-500">
          Upload <span className="font-mono text-xs">creditcard_sample.csv</span> from the shared dataset folder
          (creditcard_fraud_ulb): an unnamed index column, Time (seconds), V1–V28 (anonymised PCA components), Amount
          (euros) and Class (1 = fraud). Every row is checked; any problem is listed by row and column and nothing is
          stored.
        </p>
      </div>
      <div className="max-w-3xl rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
        {ULB_SAMPLE_NOTE}
      </div>
      <UlbImportForm />
    </div>
  );
}
