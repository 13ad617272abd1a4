import Link from 'next/link';
import { EXERCISES } from '@/lib/lab/exercises';
import { NETWORK_DEMOS } from '@/lib/lab/networks';
import { requirePageUser } from '../../_server/guard';

const TOPICS = [
  { href: '/lab/playground', title: 'Playground', text: 'XOR, circle, two clusters and the spiral, trained live.' },
  {
    href: '/lab/activations',
    title: 'Activation functions',
    text: 'Each function and its derivative, and when to use it.',
  },
];

export default async function LabPage() {
  await requirePageUser('lab');
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Lab</h1>
        <p className="text-sm text-slate-500">
          The experiments of the introductory neural-networks course, run on the same engine that trains
          NeuralFin&apos;s finance models.
        </p>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {TOPICS.map((t) => (
          <Link key={t.href} href={t.href} className="card block hover:border-brand-500">
            <div className="font-semibold text-brand-700">{t.title}</div>
            <p className="mt-1 text-sm text-slate-600">{t.text}</p>
          </Link>
        ))}
      </div>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Network types</h2>
        <ul className="grid grid-cols-1 gap-2 md:grid-cols-3">
          {NETWORK_DEMOS.map((d) => (
            <li key={d.id}>
              <Link href={`/lab/networks/${d.id}`} className="card block text-sm hover:border-brand-500">
                <div className="font-semibold text-brand-700">{d.title}</div>
                <div className="mt-1 text-slate-600">{d.task}</div>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Exercises</h2>
        <ul className="grid grid-cols-1 gap-2 md:grid-cols-2">
          {EXERCISES.map((e) => (
            <li key={e.id}>
              <Link href={`/lab/playground?exercise=${e.id}`} className="card block text-sm hover:border-brand-500">
                {e.title}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
