import { canAccessModel, modelSection } from '@/lib/auth/roles';
import { getDb } from '@/lib/store/db';
import { listDatasets } from '@/lib/store/repos/datasets';
import { listModels } from '@/lib/store/repos/models';
import { listUsers } from '@/lib/store/repos/users';
import { requirePageUser } from '../../_server/guard';

function formatMetric(v: unknown): string {
  if (typeof v === 'number') return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (v && typeof v === 'object' && 'mean' in v && 'std' in v) {
    const { mean, std } = v as { mean: number; std: number };
    return `${mean.toPrecision(4)} ± ${std.toPrecision(2)}`;
  }
  return String(v);
}

export default async function ModelsPage() {
  const user = await requirePageUser('models');
  const db = getDb();
  const [models, datasets, users] = await Promise.all([listModels(db), listDatasets(db), listUsers(db)]);
  const datasetName = new Map(datasets.map((d) => [d.id, d.synthetic ? `${d.name} (synthetic)` : d.name]));
  const userName = new Map(users.map((u) => [u.id, u.name]));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Models</h1>
        <p className="text-sm text-slate-500">
          Every trained model, with the data it was trained on and its metrics. A model’s file can be downloaded by the
          roles of its area.
        </p>
      </div>
      <div className="card overflow-x-auto p-0">
        <table className="table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Kind</th>
              <th>Dataset</th>
              <th>Metrics</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.length === 0 && (
              <tr>
                <td colSpan={6} className="py-6 text-center text-slate-500">
                  No trained models yet. Models appear here when a training job saves one.
                </td>
              </tr>
            )}
            {models.map((m) => (
              <tr key={m.id}>
                <td className="font-medium">{m.name}</td>
                <td>{m.kind}</td>
                <td>{m.datasetId ? (datasetName.get(m.datasetId) ?? m.datasetId) : '—'}</td>
                <td className="text-xs">
                  {Object.entries(m.metrics)
                    .slice(0, 6)
                    .map(([k, v]) => (
                      <div key={k}>
                        <span className="text-slate-500">{k}</span> {formatMetric(v)}
                      </div>
                    ))}
                </td>
                <td className="whitespace-nowrap text-slate-500">
                  {new Date(m.createdAt).toLocaleString()}
                  <div>{m.createdBy ? (userName.get(m.createdBy) ?? '') : ''}</div>
                </td>
                <td>
                  {canAccessModel(user.role, m.kind) ? (
                    <a className="btn-secondary" href={`/api/models/${m.id}/artifact`} download>
                      Download
                    </a>
                  ) : (
                    <span className="text-xs text-slate-400">file: {modelSection(m.kind)} roles only</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
