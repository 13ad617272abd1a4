import { notFound } from 'next/navigation';
import { getCreditModelReport, loadCreditModel } from '@/lib/credit/creditModels';
import type { Reason } from '@/lib/credit/reasons';
import { applicationForm } from '@/lib/credit/scoring';
import { getDb } from '@/lib/store/db';
import { listCreditDecisions } from '@/lib/store/repos/credit';
import { getUserById, listUsers } from '@/lib/store/repos/users';
import { DecisionBadge } from '../../../../../_components/credit/DecisionBadge';
import { dateTime, pct, points, scoreOfPd } from '../../../../../_components/credit/format';
import { HowComputed } from '../../../../../_components/credit/HowComputed';
import { ModelHeader } from '../../../../../_components/credit/ModelHeader';
import { requirePageUser } from '../../../../../_server/guard';
import { BatchScore } from './BatchScore';
import { ScoreForm } from './ScoreForm';

export default async function CreditScorePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('credit');
  const { id } = await params;
  const db = getDb();
  const [found, model] = await Promise.all([getCreditModelReport(db, id), loadCreditModel(db, id)]);
  if (!found || !model) notFound();
  const [decisions, users, creator] = await Promise.all([
    listCreditDecisions(db, { modelId: id, limit: 20 }),
    listUsers(db),
    found.model.createdBy ? getUserById(db, found.model.createdBy) : undefined,
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const { policy, scale } = model.bundle;
  const bands = {
    approveBelow: policy.approveBelow,
    declineFrom: policy.declineFrom,
    approveScore: policy.approveBelow > 0 ? Math.round(scoreOfPd(policy.approveBelow, scale)) : null,
    declineScore: policy.declineFrom < 1 ? Math.round(scoreOfPd(policy.declineFrom, scale)) : null,
  };
  return (
    <div className="space-y-6">
      <ModelHeader id={id} name={found.model.name} card={found.card} createdBy={creator?.name ?? null} active="score" />
      <ScoreForm modelId={id} fields={applicationForm(model)} bands={bands} />
      <BatchScore
        modelId={id}
        columns={model.bundle.features.map((f) => ({ name: f.name, required: !f.allowMissing }))}
      />

      <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <div className="px-5 pt-4">
          <h2 className="text-lg font-semibold">Recent decisions of this model</h2>
          <p className="text-sm text-slate-500">
            Every scored application is stored with its input, the model, the user and the time (the audit log has a row
            for each).
          </p>
        </div>
        <div className="overflow-x-auto">
          <table className="table" data-testid="recent-decisions">
            <thead>
              <tr>
                <th>When</th>
                <th>By</th>
                <th>Source</th>
                <th>Decision</th>
                <th className="text-right">PD</th>
                <th className="text-right">Score</th>
                <th>Main reason</th>
              </tr>
            </thead>
            <tbody>
              {decisions.length === 0 && (
                <tr>
                  <td colSpan={7} className="py-6 text-center text-slate-500">
                    No decisions yet.
                  </td>
                </tr>
              )}
              {decisions.map((d) => (
                <tr key={d.id} data-decision-id={d.id}>
                  <td className="whitespace-nowrap text-slate-500">{dateTime(d.createdAt)}</td>
                  <td>{d.userId ? (userName.get(d.userId) ?? '—') : '—'}</td>
                  <td>{d.source}</td>
                  <td>
                    <DecisionBadge decision={d.decision} />
                  </td>
                  <td className="whitespace-nowrap text-right tabular-nums">{pct(d.pd)}</td>
                  <td className="whitespace-nowrap text-right tabular-nums">{points(d.score)}</td>
                  <td className="max-w-md truncate text-xs text-slate-600">
                    {(d.reasons[0] as Reason | undefined)?.text ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <HowComputed topics={['score', 'policy', 'reasons']} />
    </div>
  );
}
