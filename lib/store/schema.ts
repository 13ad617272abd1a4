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

/** One daily bar of a 'prices' dataset (migration 0003); prices as quoted, adj_close null when absent. */
export interface PricesTable {
  dataset_id: string;
  /** ISO 'YYYY-MM-DD' */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adj_close: number | null;
  volume: number;
}

/** A walk-forward forecast backtest run (migration 0003). */
export interface ForecastRunsTable {
  id: string;
  dataset_id: string;
  job_id: string | null;
  name: string;
  model_type: string;
  horizon: number;
  /** JSON: the resolved run configuration */
  config: string;
  /** JSON: leaderboard figures */
  summary: string;
  /** JSON: predictions, metrics per model and baseline, equity curves */
  result: string;
  model_id: string | null;
  created_by: string | null;
  created_at: number;
}

/** A fraud dataset (migration 0004): simulated or imported; rows below it are invisible until status is 'ready'. */
export interface FraudDatasetsTable {
  id: string;
  /** the datasets row (same id), set when the build finished */
  dataset_id: string | null;
  /** 'simulator' | 'ulb' (check constraint) */
  source: string;
  /** 'building' | 'ready' (check constraint) */
  status: string;
  name: string;
  job_id: string | null;
  /** JSON: the simulator's or importer's parameters */
  params: string;
  /** JSON: row and fraud counts, null while building */
  stats: string | null;
  /** day 0 at 00:00 UTC, ms since epoch */
  start_ms: number;
  /** days of history the source produced */
  days: number;
  created_by: string | null;
  created_at: number;
}

export interface FraudCustomersTable {
  dataset_id: string;
  customer_id: number;
  x: number;
  y: number;
  mean_amount: number;
  std_amount: number;
  mean_tx_per_day: number;
}

export interface FraudTerminalsTable {
  dataset_id: string;
  terminal_id: number;
  x: number;
  y: number;
}

export interface FraudTransactionsTable {
  id: Generated<number>;
  dataset_id: string;
  /** external transaction id, unique per dataset */
  tx_id: string;
  customer_id: number | null;
  terminal_id: number | null;
  /** ms since epoch */
  ts: number;
  /** whole days since the dataset's start_ms */
  day: number;
  amount: number;
  /** 0/1 as known to the bank; null while unknown */
  label: number | null;
  /** 'simulator' | 'import' | 'triage' | null */
  label_source: string | null;
  /** simulator ground truth: 0 genuine, 1–3 the fraud scenario; null for other sources */
  scenario: number | null;
  /** little-endian float32 features of an import (ULB: V1–V28) */
  features: Uint8Array | null;
  /** set when the transaction arrived through ingestion (scoring), not with the dataset */
  ingested_at: number | null;
}

export interface FraudScoresTable {
  model_id: string;
  transaction_id: number;
  score: number;
  scored_at: number;
}

export interface FraudAlertsTable {
  id: string;
  dataset_id: string;
  /** unique: one alert per transaction */
  transaction_id: number;
  model_id: string | null;
  score: number;
  day: number;
  /** 'threshold' | 'top_k' */
  reason: string;
  /** 'open' | 'investigating' | 'confirmed_fraud' | 'false_positive' (check constraint) */
  status: string;
  assignee_id: string | null;
  /** incremented by every change (optimistic concurrency) */
  version: number;
  prior_label: number | null;
  prior_label_source: string | null;
  created_at: number;
  updated_at: number;
}

export interface FraudAlertHistoryTable {
  id: Generated<number>;
  alert_id: string;
  at: number;
  user_id: string | null;
  /** null for the creation row */
  from_status: string | null;
  to_status: string;
  assignee_id: string | null;
  note: string | null;
  /** the alert's version after this change */
  version: number;
}

export interface FraudRunsTable {
  id: string;
  dataset_id: string;
  job_id: string | null;
  model_id: string | null;
  name: string;
  /** JSON */
  config: string;
  /** JSON: headline figures for lists and trends */
  summary: string;
  /** JSON: the full report (metrics, curves, selection) */
  result: string;
  created_by: string | null;
  created_at: number;
}

/** One data row of a 'credit' dataset (migration 0002). */
export interface CreditApplicationsTable {
  dataset_id: string;
  /** 1-based data row */
  row_no: number;
  /** 1-based line of the imported file */
  line: number;
  /** JSON: column name → cell text as imported (null when missing) */
  cells: string;
}

/** One credit scoring decision (migration 0002); the audit log holds the matching event. */
export interface CreditDecisionsTable {
  id: string;
  /** the models row; no foreign key, decisions outlive models */
  model_id: string;
  model_name: string;
  /** JSON: the validated application as scored */
  input: string;
  /** calibrated probability of default */
  pd: number;
  score: number;
  /** 'approve' | 'refer' | 'decline' (check constraint) */
  decision: string;
  /** JSON: reason codes */
  reasons: string;
  /** 'form' | 'batch' | 'api' (check constraint) */
  source: string;
  batch_id: string | null;
  user_id: string | null;
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
  credit_applications: CreditApplicationsTable;
  credit_decisions: CreditDecisionsTable;
  fraud_datasets: FraudDatasetsTable;
  fraud_customers: FraudCustomersTable;
  fraud_terminals: FraudTerminalsTable;
  fraud_transactions: FraudTransactionsTable;
  fraud_scores: FraudScoresTable;
  fraud_alerts: FraudAlertsTable;
  fraud_alert_history: FraudAlertHistoryTable;
  fraud_runs: FraudRunsTable;
  prices: PricesTable;
  forecast_runs: ForecastRunsTable;
}
