// The database as Kysely sees it: one interface per table, snake_case columns, storage types only.
// Timestamps are integer milliseconds since the Unix epoch; JSON columns hold text; booleans are 0/1 integers.
// Repositories convert rows to camelCase domain types; nothing outside lib/store uses these row types.

import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  /** stored lower-cased and trimmed; unique */
  email: string;
  name: string;
  /** 'analyst' | 'risk' | 'fraud' | 'admin' (check constraint) */
  role: string;
  password_hash: string;
  disabled: number;
  created_at: number;
}

export interface SessionsTable {
  /** sha256 (hex) of the cookie token; the token itself is never stored */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  /** JSON */
  detail: string | null;
  request_id: string | null;
}

export interface DatasetsTable {
  id: string;
  /** 'prices' | 'credit' | 'fraud' | … */
  kind: string;
  name: string;
  source: string;
  synthetic: number;
  row_count: number;
  /** JSON */
  meta: string;
  created_by: string | null;
  created_at: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  /** 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' (check constraint) */
  status: string;
  /** JSON */
  payload: string;
  /** JSON: the latest progress report */
  progress: string | null;
  /** JSON */
  result: string | null;
  error: string | null;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  heartbeat_at: number | null;
  worker_id: string | null;
  attempts: number;
  cancel_requested: number;
}

/** Every progress report of a job, in order: the loss curve and fold history the Jobs page draws. */
export interface JobProgressTable {
  id: Generated<number>;
  job_id: string;
  at: number;
  /** JSON */
  progress: string;
}

export interface ModelsTable {
  id: string;
  kind: string;
  name: string;
  dataset_id: string | null;
  job_id: string | null;
  /** JSON */
  manifest: string;
  /** JSON */
  metrics: string;
  artifact: Uint8Array | null;
  created_by: string | null;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  datasets: DatasetsTable;
  jobs: JobsTable;
  job_progress: JobProgressTable;
  models: ModelsTable;
}
