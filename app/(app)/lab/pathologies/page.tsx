import Link from 'next/link';
import { Pathologies } from '../../../_components/lab/Pathologies';
import { requirePageUser } from '../../../_server/guard';

export default async function PathologiesPage() {
  await requirePageUser('lab');
  return (
    <div className="space-y-4">
      <div>
        <Link href="/lab" className="text-sm text-brand-600">
          ← Lab
        </Link>
        <h1 className="text-2xl font-semibold">Training pathologies</h1>
        <p className="text-sm text-slate-500">
          Small seeded experiments that show what goes wrong in training and what the usual cures do. They run in your
          browser on the engine; each takes a few seconds.
        </p>
      </div>
      <Pathologies />
    </div>
  );
}
