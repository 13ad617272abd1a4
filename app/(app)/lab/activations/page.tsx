import Link from 'next/link';
import { ACTIVATION_NAMES, ACTIVATIONS } from '@/lib/nn/activations';
import { ActivationPlot } from '../../../_components/lab/ActivationPlot';
import { requirePageUser } from '../../../_server/guard';

export default async function ActivationGalleryPage() {
  await requirePageUser('lab');
  return (
    <div className="space-y-4">
      <div>
        <Link href="/lab" className="text-sm text-brand-600">
          ← Lab
        </Link>
        <h1 className="text-2xl font-semibold">Activation functions</h1>
        <p className="text-sm text-slate-500">
          Every activation of the course&apos;s table, plus leaky ReLU, GELU and softmax: the function (solid), its
          derivative (dashed), and where it belongs. The curves are computed by the engine&apos;s own formulas.
        </p>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
        {ACTIVATION_NAMES.map((name) => {
          const a = ACTIVATIONS[name];
          return (
            <section key={name} className="card space-y-2" data-testid={`activation-${name}`}>
              <h2 className="font-semibold">{a.label}</h2>
              <ActivationPlot name={name} />
              <div className="font-mono text-xs">
                <div>{a.formula}</div>
                <div className="text-slate-500">{a.derivativeFormula}</div>
                <div className="text-slate-500">range {a.range}</div>
              </div>
              <p className="text-sm text-slate-700">{a.use}</p>
            </section>
          );
        })}
      </div>
    </div>
  );
}
