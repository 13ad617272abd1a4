// Running work atomically whether or not the caller is already inside a transaction.

import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';

/** Runs `work` in a transaction, or directly in the caller's transaction when `db` already is one. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<Database>) => work(trx));
}
