// Credit scoring tables: the rows of imported application datasets, and every scoring decision (the input, the
// model that made it, who asked and when; the audit log records the same event).
// A migration is a frozen snapshot: never edit it after it has shipped; add a new file instead.

import { type Kysely, sql } from 'kysely';

const ms = 'bigint' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per data row of a 'credit' dataset, cells keyed by column name exactly as imported (decoded for the
  // coded German file); the column kinds, target and bad value live in the dataset's meta.
  await db.schema
    .createTable('credit_applications')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('cells', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('credit_applications_pk', ['dataset_id', 'row_no'])
    .execute();

  // Decisions outlive the model that made them: model_id is kept without a foreign key, with the model's name.
  await db.schema
    .createTable('credit_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('pd', 'real', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addCheckConstraint('credit_decisions_decision_check', sql`decision in ('approve', 'refer', 'decline')`)
    .addCheckConstraint('credit_decisions_source_check', sql`source in ('form', 'batch', 'api')`)
    .execute();
  await db.schema
    .createIndex('credit_decisions_model')
    .on('credit_decisions')
    .columns(['model_id', 'created_at'])
    .execute();
  await db.schema.createIndex('credit_decisions_batch').on('credit_decisions').column('batch_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('credit_decisions').execute();
  await db.schema.dropTable('credit_applications').execute();
}
