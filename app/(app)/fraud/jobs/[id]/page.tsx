import Link from 'next/link';
import { notFound } from 'next/navigation';
import {
  FRAUD_SIMULATE_JOB_KIND,
  FRAUD_TRAIN_JOB_KIND,
  type FraudSimulatePayload,
  type FraudTrainInput,
  getFraudDataset,
} from '@/lib/fraud';
import { getJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { FraudJobProgress } from '../../../../_components/fraud/FraudJobProgress';
import { fraudJobState } from '../../../../_components/fraud/jobState';
import { requirePageUser } from '../../../../_server/guard';
import { cancelJob } from '../../../jobs/actions';

export default async function FraudJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('fraud');
  const { id } = await params;
  const db = getDb();
  const job = await getJob(db, id);
  if (!job || (job.kind !== FRAUD_SIMULATE_JOB_KIND && job.kind !== FRAUD_TRAIN_JOB_KIND)) notFound();
  const simulate = job.kind === FRAUD_SIMULATE_JOB_KIND;
  let title: string;
  let detail: string;
  if (simulate) {
    const p = job.payload as FraudSimulatePayload;
    title = `Simulation: ${p.name ?? `${p.preset ?? 'default'} preset`}`;
    detail = `Preset ${p.preset ?? 'default'}, seed ${p.seed ?? 0}${p.days ? `, ${p.days} days` : ''}. Each simulated day is stored in one database transaction; the dataset appears only when every day is stored, and a failed or cancelled run leaves nothing behind.`;
  } else {
    const p = job.payload as FraudTrainInput;
    const ds = await getFraudDataset(db, p.datasetId);
    title = `Training: ${p.name ?? ds?.name ?? 'fraud scorer'}`;
    detail = `On ${ds?.name ?? 'a deleted dataset'}: prequential validation to choose the architecture, then the amount rule, logistic regression and the feed-forward net${(p.strategies?.length ?? 3) > 1 ? 's' : ''} on the test period over ${p.seeds ?? 3} seed${p.seeds === 1 ? '' : 's'}; the deployed net then raises the test days' alerts.`;
  }
  return (
    <div className="space-y-6">
      <div>
        <Link href="/fraud" className="text-sm text-brand-600 hover:underline">
          ← Fraud
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{title}</h1>
        <p className="max-w-3xl text-sm text-slate-500">{detail} Runs in a worker; this page follows it live.</p>
      </div>
      <FraudJobProgress initial={fraudJobState(job)} cancel={cancelJob} />
    </div>
  );
}
