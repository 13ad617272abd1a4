import Link from 'next/link';
import type { ModelCard } from '@/lib/credit/creditModel';
import { SyntheticBadge } from './DecisionBadge';
import { dateTime } from './format';

const TABS = [
  { key: 'card', label: 'Model card', suffix: '' },
  { key: 'score', label: 'Score applications', suffix: '/score' },
  { key: 'monitor', label: 'Monitoring', suffix: '/monitor' },
] as const;

/** Title, provenance and the tabs shared by a credit model's pages. */
export function ModelHeader({
  id,
  name,
  card,
  createdBy,
  active,
}: {
  id: string;
  name: string;
  card: ModelCard;
  createdBy: string | null;
  active: (typeof TABS)[number]['key'];
}) {
  return (
    <div className="space-y-3">
      <div>
        <Link href="/credit" className="text-sm text-brand-600 hover:underline">
          ← Credit
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{name}</h1>
        <p className="text-sm text-slate-500">
          {card.modelLabel} · trained on {card.data.datasetName}
          {card.data.synthetic && <SyntheticBadge />} · {card.evaluation.folds}-fold CV × {card.evaluation.seeds.length}{' '}
          seed{card.evaluation.seeds.length === 1 ? '' : 's'} · {dateTime(card.createdAt)}
          {createdBy ? ` by ${createdBy}` : ''}
        </p>
      </div>
      <nav className="flex gap-1 border-b border-slate-200 text-sm" aria-label="Model">
        {TABS.map((t) => (
          <Link
            key={t.key}
            href={`/credit/models/${id}${t.suffix}`}
            aria-current={active === t.key ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 ${
              active === t.key
                ? 'border-brand-600 font-medium text-brand-700'
                : 'border-transparent text-slate-600 hover:text-slate-900'
            }`}
          >
            {t.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
