// Every migration, in order. Imported explicitly (no directory scan) because Next.js bundles the app.
// To change the schema, add `NNNN_what.ts` exporting up/down and append it here; never edit a shipped one.

import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_credit';
import * as m0003 from './0003_forecast';
import * as m0004 from './0004_fraud';

const MIGRATIONS: [name: string, migration: Migration][] = [
  ['0001_foundation', m0001],
  ['0002_credit', m0002],
  ['0003_forecast', m0003],
  ['0004_fraud', m0004],
];

/** Kysely applies migrations in name order, so names carry a zero-padded sequence number. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => Object.fromEntries(MIGRATIONS),
};

export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);
