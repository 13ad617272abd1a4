import Link from 'next/link';
import { isSection } from '@/lib/auth/roles';
import { requirePageUser } from '../_server/guard';

export const dynamic = 'force-dynamic';

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ section?: string }> }) {
  const user = await requirePageUser();
  // only a known section is named: the query string is anyone's to write
  const { section: asked } = await searchParams;
  const section = isSection(asked) ? asked : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="card max-w-md">
        <h1 className="text-lg font-semibold">Not available to your role</h1>
        <p className="mt-2 text-sm text-slate-600">
          Your role ({user.role}) cannot open {section ? `the ${section} section` : 'this page'}. Ask an administrator
          if you need access.
        </p>
        <Link href="/" className="btn-secondary mt-4">
          Back to the start page
        </Link>
      </div>
    </main>
  );
}
