// The folder of real public datasets the tests read: $NEURALFIN_DATA_DIR, or ../shared/data next to the repository
// when that exists. Tests that need it fail loudly (never skip) when neither is there.

import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * $NEURALFIN_DATA_DIR, or ../shared/data beside the repository; throws when neither exists. `readers` says which
 * tests read which files, for the error (e.g. "The credit tests read $NEURALFIN_DATA_DIR/german_credit").
 */
export function dataDir(readers: string): string {
  const fromEnv = process.env.NEURALFIN_DATA_DIR;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`NEURALFIN_DATA_DIR=${fromEnv} does not exist`);
    return fromEnv;
  }
  const fallback = path.resolve(import.meta.dirname, '../../../shared/data');
  if (existsSync(fallback)) return fallback;
  throw new Error(`${readers}; set NEURALFIN_DATA_DIR (it is unset and ${fallback} does not exist)`);
}
