import Link from 'next/link';
import { requirePageUser } from '../../../_server/guard';
import { PriceImport } from './PriceImport';

export default async function ForecastImportPage() {
  await requirePageUser('forecast');
  return (
    <div className="space-y-6">
      <div>
        <Link href="/forecast" className="text-sm text-brand-600 hover:underline">
          ← Forecast
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Import daily prices</h1>
        <p className="text-sm text-slate-500">
          One file per ticker. The file is checked row by row first: unreadable dates or numbers, High below Low, prices
          ≤ 0, duplicate dates and missing trading days are listed before anything is stored.
        </p>
      </div>
      <PriceImport />
    </div>
  );
}
