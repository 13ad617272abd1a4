import Link from 'next/link';
import { exerciseById } from '@/lib/lab/exercises';
import { Playground } from '../../../_components/lab/Playground';
import { requirePageUser } from '../../../_server/guard';

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ exercise?: string }> }) {
  await requirePageUser('lab');
  const { exercise: id } = await searchParams;
  const exercise = exerciseById(id);
  return (
    <div className="space-y-4">
      <div>
        <Link href="/lab" className="text-sm text-brand-600">
          ← Lab
        </Link>
        <h1 className="text-2xl font-semibold">Playground</h1>
        <p className="text-sm text-slate-500">
          A feed-forward network trained in your browser on NeuralFin&apos;s engine, one mini-batch at a time.
        </p>
      </div>
      {exercise && (
        <div className="card border-brand-100 bg-brand-50" data-testid="exercise">
          <h2 className="font-semibold">{exercise.title}</h2>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm">
            {exercise.tasks.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ol>
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-brand-700">What you should see</summary>
            <p className="mt-1">{exercise.takeaway}</p>
          </details>
        </div>
      )}
      <Playground key={exercise?.id ?? 'free'} initial={exercise?.setup} />
    </div>
  );
}
