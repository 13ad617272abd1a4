import { getDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/repos/audit';
import { listUsers } from '@/lib/store/repos/users';
import { requirePageUser } from '../../_server/guard';
import { AddUserForm, UserRowActions } from './AdminForms';

export default async function AdminPage() {
  const me = await requirePageUser('admin');
  const db = getDb();
  const [users, audit] = await Promise.all([listUsers(db), listAudit(db, { limit: 30 })]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Users</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>E-mail</th>
              <th>Role</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user-email={u.email}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td>
                  <UserRowActions id={u.id} email={u.email} disabled={u.disabled} isSelf={u.id === me.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <AddUserForm />
      </section>
      <section className="card">
        <h2 className="mb-3 text-lg font-semibold">Audit log (latest 30)</h2>
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Object</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((a) => (
              <tr key={a.id}>
                <td className="whitespace-nowrap text-slate-500">{new Date(a.at).toLocaleString()}</td>
                <td>{a.userId ? (names.get(a.userId) ?? a.userId) : 'system'}</td>
                <td className="font-mono text-xs">{a.action}</td>
                <td className="font-mono text-xs">
                  {a.objectType ? `${a.objectType} ${a.objectId?.slice(0, 8) ?? ''}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
