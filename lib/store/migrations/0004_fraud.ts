// Fraud tables: fraud datasets (staged while they are built), their customers, terminals and transactions, model
// scores, alerts with their triage history, and training runs.
// A migration is a frozen snapshot: never edit it after it has shipped; add a new file instead.
//
// Staging: a fraud dataset is written in chunks under a fraud_datasets row with status 'building' and no datasets
// row; it becomes visible (status 'ready', linked to a new datasets row) in one final transaction, and a failed build
// deletes its fraud_datasets row, which cascades to every row written so far. Deleting the datasets row cascades the
// other way, through fraud_datasets, to everything below it.

import { type Kysely, sql } from 'kysely';

const ms = 'bigint' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fraud_datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // set (to the same id) when the dataset becomes ready
    .addColumn('dataset_id', 'text', (c) => c.unique().references('datasets.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('stats', 'text')
    .addColumn('start_ms', ms, (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addCheckConstraint('fraud_datasets_status_check', sql`status in ('building', 'ready')`)
    .addCheckConstraint('fraud_datasets_source_check', sql`source in ('simulator', 'ulb')`)
    .execute();
  await db.schema.createIndex('fraud_datasets_status').on('fraud_datasets').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('fraud_customers')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('fraud_datasets.id').onDelete('cascade'))
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('x', 'real', (c) => c.notNull())
    .addColumn('y', 'real', (c) => c.notNull())
    .addColumn('mean_amount', 'real', (c) => c.notNull())
    .addColumn('std_amount', 'real', (c) => c.notNull())
    .addColumn('mean_tx_per_day', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_customers_pk', ['dataset_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('fraud_terminals')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('fraud_datasets.id').onDelete('cascade'))
    .addColumn('terminal_id', 'integer', (c) => c.notNull())
    .addColumn('x', 'real', (c) => c.notNull())
    .addColumn('y', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_terminals_pk', ['dataset_id', 'terminal_id'])
    .execute();

  // customer_id / terminal_id are checked against fraud_customers / fraud_terminals by the code that writes them
  // (a composite foreign key would cost a lookup per row on million-row simulations). label is what the bank knows
  // (null: not known yet); scenario is the simulator's ground truth (0 genuine, 1–3 fraud scenario), null elsewhere.
  await db.schema
    .createTable('fraud_transactions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('fraud_datasets.id').onDelete('cascade'))
    .addColumn('tx_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer')
    .addColumn('terminal_id', 'integer')
    .addColumn('ts', ms, (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('amount', 'real', (c) => c.notNull())
    .addColumn('label', 'integer')
    .addColumn('label_source', 'text')
    .addColumn('scenario', 'integer')
    // little-endian float32 features that came with an import (e.g. the ULB sample's V1–V28)
    .addColumn('features', 'blob')
    .addColumn('ingested_at', ms)
    .addCheckConstraint('fraud_transactions_label_check', sql`label is null or label in (0, 1)`)
    .addCheckConstraint('fraud_transactions_amount_check', sql`amount >= 0`)
    .execute();
  // one row per external transaction id and dataset: what makes ingestion idempotent
  await db.schema
    .createIndex('fraud_transactions_tx_id')
    .unique()
    .on('fraud_transactions')
    .columns(['dataset_id', 'tx_id'])
    .execute();
  await db.schema.createIndex('fraud_transactions_ts').on('fraud_transactions').columns(['dataset_id', 'ts']).execute();
  await db.schema
    .createIndex('fraud_transactions_customer')
    .on('fraud_transactions')
    .columns(['dataset_id', 'customer_id', 'ts'])
    .execute();
  await db.schema
    .createIndex('fraud_transactions_terminal')
    .on('fraud_transactions')
    .columns(['dataset_id', 'terminal_id', 'ts'])
    .execute();

  await db.schema
    .createTable('fraud_scores')
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('transaction_id', 'integer', (c) => c.notNull().references('fraud_transactions.id').onDelete('cascade'))
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('scored_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_scores_pk', ['model_id', 'transaction_id'])
    .execute();
  await db.schema.createIndex('fraud_scores_transaction').on('fraud_scores').column('transaction_id').execute();

  // At most one alert per transaction, whichever model or policy raised it (the unique constraint, not the code,
  // is what keeps a repeated ingest from alerting twice). version counts changes for optimistic concurrency.
  await db.schema
    .createTable('fraud_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('fraud_datasets.id').onDelete('cascade'))
    .addColumn('transaction_id', 'integer', (c) =>
      c.notNull().unique().references('fraud_transactions.id').onDelete('cascade'),
    )
    .addColumn('model_id', 'text', (c) => c.references('models.id').onDelete('set null'))
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull())
    // the transaction's label before the first triage decision, restored when a decision is reopened
    .addColumn('prior_label', 'integer')
    .addColumn('prior_label_source', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addCheckConstraint(
      'fraud_alerts_status_check',
      sql`status in ('open', 'investigating', 'confirmed_fraud', 'false_positive')`,
    )
    .addCheckConstraint('fraud_alerts_reason_check', sql`reason in ('threshold', 'top_k')`)
    .execute();
  await db.schema
    .createIndex('fraud_alerts_queue')
    .on('fraud_alerts')
    .columns(['dataset_id', 'status', 'score'])
    .execute();
  await db.schema.createIndex('fraud_alerts_day').on('fraud_alerts').columns(['dataset_id', 'day']).execute();
  await db.schema.createIndex('fraud_alerts_assignee').on('fraud_alerts').column('assignee_id').execute();

  await db.schema
    .createTable('fraud_alert_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('fraud_alerts.id').onDelete('cascade'))
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fraud_alert_history_alert')
    .on('fraud_alert_history')
    .columns(['alert_id', 'id'])
    .execute();

  await db.schema
    .createTable('fraud_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('fraud_datasets.id').onDelete('cascade'))
    .addColumn('job_id', 'text')
    .addColumn('model_id', 'text', (c) => c.references('models.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fraud_runs_dataset').on('fraud_runs').columns(['dataset_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'fraud_runs',
    'fraud_alert_history',
    'fraud_alerts',
    'fraud_scores',
    'fraud_transactions',
    'fraud_terminals',
    'fraud_customers',
    'fraud_datasets',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
