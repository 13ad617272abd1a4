// The folder of real public datasets the tests read: $NEURALFIN_DATA_DIR, or ../shared/data next to the repository
// when that exists. Tests that need it fail loudly (never skip) when neither is there.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir as sharedDataDir } from '../helpers/data-dir';

export function dataDir(): string {
  return sharedDataDir('These tests read the real price files in $NEURALFIN_DATA_DIR/stocks_ml4t');
}

/** The text of $NEURALFIN_DATA_DIR/stocks_ml4t/<TICKER>.csv. */
export function stockCsv(ticker: string): string {
  const file = path.join(dataDir(), 'stocks_ml4t', `${ticker}.csv`);
  if (!existsSync(file)) throw new Error(`missing test data file ${file}`);
  return readFileSync(file, 'utf8');
}
