import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NETWORK_DEMOS, networkDemo } from '@/lib/lab/networks';
import { NetworkDemoView } from '../../../../_components/lab/NetworkDemoView';
import { requirePageUser } from '../../../../_server/guard';

export default async function NetworkPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('lab');
  const { id } = await params;
  const demo = networkDemo(id);
  if (!demo) notFound();
  return (
    <div className="space-y-4">
      <div>
        <Link href="/lab" className="text-sm text-brand-600">
          ← Lab
        </Link>
        <h1 className="text-2xl font-semibold">{demo.title}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{demo.idea}</p>
        <p className="mt-1 text-sm text-slate-500">Task: {demo.task}</p>
        <nav className="mt-2 flex flex-wrap gap-2 text-xs" aria-label="Network types">
          {NETWORK_DEMOS.map((d) => (
            <Link
              key={d.id}
              href={`/lab/networks/${d.id}`}
              className={d.id === id ? 'font-semibold text-brand-700' : 'text-slate-500 hover:text-brand-600'}
            >
              {d.title}
            </Link>
          ))}
        </nav>
      </div>
      <NetworkDemoView id={id} />
    </div>
  );
}
