import Link from 'next/link';
import { requirePageUser } from '../../../_server/guard';
import { ImportFlow } from './ImportFlow';

export default async function CreditImportPage() {
  await requirePageUser('credit');
  return (
    <div className="space-y-6">
      <div>
        <Link href="/credit" className="text-sm text-brand-600 hover:underline">
          ← Credit
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Import loan applications</h1>
        <p className="text-sm text-slate-500">
          Any CSV of past applications with a known outcome (comma, semicolon or tab separated). Column types are
          inferred for you to confirm; missing values and rare categories are reported. The file is checked completely
          before anything is stored: with any problem, nothing is imported. The coded UCI German Credit file
          (german.csv, A11 … codes, no header) is recognised and decoded.
        </p>
      </div>
      <ImportFlow />
    </div>
  );
}
