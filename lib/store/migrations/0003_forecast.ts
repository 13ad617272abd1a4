// Forecasting tables: daily price bars of 'prices' datasets, and walk-forward backtest runs with their results.
// A migration is a frozen snapshot: never edit it after it has shipped; add a new file instead.

import type { Kysely } from 'kysely';

const ms = 'bigint' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per dataset and day; prices as quoted, adj_close null when the source has none.
  await db.schema
    .createTable('prices')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('open', 'real', (c) => c.notNull())
    .addColumn('high', 'real', (c) => c.notNull())
    .addColumn('low', 'real', (c) => c.notNull())
    .addColumn('close', 'real', (c) => c.notNull())
    .addColumn('adj_close', 'real')
    .addColumn('volume', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('prices_pk', ['dataset_id', 'date'])
    .execute();

  // A backtest run belongs to its dataset: deleting the dataset deletes its runs (the leaderboard compares runs
  // on the same data). summary holds the leaderboard figures; result the full output (predictions, curves).
  await db.schema
    .createTable('forecast_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('job_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('model_type', 'text', (c) => c.notNull())
    .addColumn('horizon', 'integer', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.references('models.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('forecast_runs_dataset')
    .on('forecast_runs')
    .columns(['dataset_id', 'created_at'])
    .execute();
  await db.schema.createIndex('forecast_runs_job_id').on('forecast_runs').column('job_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('forecast_runs').execute();
  await db.schema.dropTable('prices').execute();
}
