import { redirect } from 'next/navigation';
import { currentUser } from '../_server/guard';
import { SignInForm } from './SignInForm';

export const dynamic = 'force-dynamic';

export default async function SignInPage() {
  if (await currentUser()) redirect('/');
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-2xl font-semibold text-brand-700">NeuralFin</h1>
        <p className="mb-6 text-sm text-slate-500">Neural-network workbench for finance teams. Sign in to continue.</p>
        <div className="card">
          <SignInForm />
        </div>
      </div>
    </main>
  );
}
