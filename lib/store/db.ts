// Opening the database: better-sqlite3 in WAL mode under Kysely, migrated to the latest schema before first use,
// plus the process-wide instance on config().dbPath.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { config } from '../config';
import { SharedFileSqliteDialect } from './dialect';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

async function migrateToLatest(sqlite: SQLite.Database): Promise<void> {
  // A second Kysely on the same handle: the first one's driver is still initialising while this runs.
  // It is never destroyed, because destroying it would close the shared handle.
  const migrationDb = new Kysely<unknown>({ dialect: new SharedFileSqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db: migrationDb, provider: migrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed} failed: ${reason}`);
  }
}

function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file, { timeout: BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * Opens (creating if needed) the SQLite file at `file`. The file is opened and migrated when the first query runs,
 * so this returns at once; an unreadable file or a failing migration surfaces as that query's error.
 * Inside `db.transaction()` use only the transaction object: the SQLite driver has one connection, so a query on
 * `db` from inside the callback waits for the transaction to end, i.e. forever.
 */
export function openDb(file: string): Db {
  return new Kysely<Database>({
    dialect: new SharedFileSqliteDialect({
      database: async () => {
        const sqlite = openSqlite(file);
        try {
          await migrateToLatest(sqlite);
        } catch (err) {
          sqlite.close();
          throw err;
        }
        return sqlite;
      },
    }),
  });
}

// Kept on globalThis so that Next.js dev-mode module reloading does not open a new handle on every edit.
const holder = globalThis as typeof globalThis & { __neuralfinDb?: Db };

/** The process-wide database on config().dbPath. */
export function getDb(): Db {
  holder.__neuralfinDb ??= openDb(config().dbPath);
  return holder.__neuralfinDb;
}

/** Closes the process-wide database (next getDb() opens it again). */
export async function closeDb(): Promise<void> {
  const db = holder.__neuralfinDb;
  holder.__neuralfinDb = undefined;
  await db?.destroy();
}
