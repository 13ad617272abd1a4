import Link from 'next/link';
import { canAccess, type Role, SECTIONS } from '@/lib/auth/roles';
import { signOutAction } from '../signin/actions';

export function Nav({ user }: { user: { name: string; email: string; role: Role } }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight text-brand-700">
          NeuralFin
        </Link>
        <nav className="flex flex-1 flex-wrap gap-1 text-sm" aria-label="Main">
          {SECTIONS.filter((s) => canAccess(user.role, s.section)).map((s) => (
            <Link key={s.href} href={s.href} className="rounded-md px-3 py-1.5 text-slate-600 hover:bg-slate-100">
              {s.label}
            </Link>
          ))}
        </nav>
        <div className="flex items-center gap-3 text-sm text-slate-500">
          <span title={user.email}>
            {user.name} · <span className="font-medium text-slate-700">{user.role}</span>
          </span>
          <form action={signOutAction}>
            <button type="submit" className="btn-secondary">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
