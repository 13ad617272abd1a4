// Foundation tables: users, sessions, audit log, datasets, jobs (+ their progress history) and models.
// A migration is a frozen snapshot: never edit it after it has shipped; add a new file instead.
// Types stay portable between SQLite and PostgreSQL: text, integer, bigint (ms timestamps overflow a 32-bit
// PostgreSQL integer; SQLite stores both as INTEGER), real, blob.

import { type Kysely, sql } from 'kysely';

const ms = 'bigint' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addCheckConstraint('users_role_check', sql`role in ('analyst', 'risk', 'fraud', 'admin')`)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  // No foreign key on user_id: the audit trail outlives the rows it mentions.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_user_id').on('audit_log').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('audit_log_object').on('audit_log').columns(['object_type', 'object_id']).execute();

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('datasets_kind').on('datasets').columns(['kind', 'created_at']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('progress', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('started_at', ms)
    .addColumn('finished_at', ms)
    .addColumn('heartbeat_at', ms)
    .addColumn('worker_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('jobs_status_check', sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`)
    .execute();
  // claiming (oldest queued) and the stale scan (running by heartbeat) both filter on status first
  await db.schema.createIndex('jobs_status_created_at').on('jobs').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('jobs_created_at').on('jobs').column('created_at').execute();
  await db.schema.createIndex('jobs_created_by').on('jobs').columns(['created_by', 'created_at']).execute();

  await db.schema
    .createTable('job_progress')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('progress', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_progress_job_id').on('job_progress').columns(['job_id', 'id']).execute();

  await db.schema
    .createTable('models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dataset_id', 'text', (c) => c.references('datasets.id').onDelete('set null'))
    .addColumn('job_id', 'text')
    .addColumn('manifest', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('artifact', 'blob')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('models_kind').on('models').columns(['kind', 'created_at']).execute();
  await db.schema.createIndex('models_dataset_id').on('models').column('dataset_id').execute();
  await db.schema.createIndex('models_job_id').on('models').column('job_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['models', 'job_progress', 'jobs', 'datasets', 'audit_log', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
