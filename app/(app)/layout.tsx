import type { ReactNode } from 'react';
import { Nav } from '../_components/Nav';
import { requirePageUser } from '../_server/guard';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <>
      <Nav user={user} />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </>
  );
}
