// Kysely's SQLite dialect with two changes that make one database file safe to share between processes
// (web server + workers):
// - transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN that reads and then writes must upgrade its
//   read snapshot to a write lock; if another process committed in between, SQLite fails with SQLITE_BUSY at once
//   instead of waiting busy_timeout. Taking the write lock up front makes transactions queue up and wait instead.
// - DDL runs inside the migration transaction (SQLite supports transactional DDL; Kysely's adapter says it does not
//   only to stay conservative), so a failed migration leaves no half-built tables and two processes starting
//   together migrate one after the other. A future migration that must rebuild a table with foreign keys off has
//   to do so without relying on `PRAGMA foreign_keys` (a no-op inside a transaction).

import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class SharedFileSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
