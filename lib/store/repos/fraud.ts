// Fraud rows: staged fraud datasets with their customers, terminals and transactions; model scores; alerts with
// their triage history (optimistic concurrency on a version column); training runs. SQL only — the rules
// (validation, status flow, features) live in lib/fraud.

import { type Kysely, type Selectable, SqliteAdapter, sql } from 'kysely';
import type {
  Database,
  FraudAlertHistoryTable,
  FraudAlertsTable,
  FraudDatasetsTable,
  FraudRunsTable,
  FraudTransactionsTable,
} from '../schema';
import { inTransaction } from '../transaction';
import { fromJson, newId, toJson } from '../values';

// ---------------------------------------------------------------------------------------------------------------
// Datasets

export type FraudDatasetSource = 'simulator' | 'ulb';
export type FraudDatasetStatus = 'building' | 'ready';

export type FraudDataset = {
  id: string;
  /** the generic datasets row (same id) once ready */
  datasetId: string | null;
  source: FraudDatasetSource;
  status: FraudDatasetStatus;
  name: string;
  jobId: string | null;
  params: Record<string, unknown>;
  stats: Record<string, unknown> | null;
  /** day 0 at 00:00 UTC, ms since epoch */
  startMs: number;
  /** days of history the source produced */
  days: number;
  createdBy: string | null;
  createdAt: number;
};

function toFraudDataset(row: Selectable<FraudDatasetsTable>): FraudDataset {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    source: row.source as FraudDatasetSource,
    status: row.status as FraudDatasetStatus,
    name: row.name,
    jobId: row.job_id,
    params: fromJson<Record<string, unknown>>(row.params) ?? {},
    stats: fromJson<Record<string, unknown>>(row.stats),
    startMs: Number(row.start_ms),
    days: Number(row.days),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

export async function insertFraudDatasetBuild(
  db: Kysely<Database>,
  input: {
    id?: string;
    source: FraudDatasetSource;
    name: string;
    params: Record<string, unknown>;
    startMs: number;
    days: number;
    jobId?: string | null;
    createdBy: string | null;
    now?: number;
  },
): Promise<FraudDataset> {
  const row: Selectable<FraudDatasetsTable> = {
    id: input.id ?? newId(),
    dataset_id: null,
    source: input.source,
    status: 'building',
    name: input.name,
    job_id: input.jobId ?? null,
    params: toJson(input.params),
    stats: null,
    start_ms: input.startMs,
    days: input.days,
    created_by: input.createdBy,
    created_at: input.now ?? Date.now(),
  };
  await db.insertInto('fraud_datasets').values(row).execute();
  return toFraudDataset(row);
}

/**
 * Makes a built dataset visible: inserts its datasets row (kind 'fraud', same id) and marks it ready, in one
 * transaction. Throws if the build is gone (deleted as abandoned) or already ready.
 */
export function markFraudDatasetReady(
  db: Kysely<Database>,
  id: string,
  input: { stats: Record<string, unknown>; rowCount: number; source: string; synthetic: boolean; meta: object },
): Promise<FraudDataset> {
  return inTransaction(db, async (trx) => {
    const build = await trx
      .selectFrom('fraud_datasets')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'building')
      .executeTakeFirst();
    if (!build) throw new Error(`fraud dataset ${id} is not being built (it was removed or is already ready)`);
    await trx
      .insertInto('datasets')
      .values({
        id,
        kind: 'fraud',
        name: build.name,
        source: input.source,
        synthetic: input.synthetic ? 1 : 0,
        row_count: input.rowCount,
        meta: toJson({ ...input.meta, fraudSource: build.source }),
        created_by: build.created_by,
        created_at: Number(build.created_at),
      })
      .execute();
    await trx
      .updateTable('fraud_datasets')
      .set({ status: 'ready', dataset_id: id, stats: toJson(input.stats) })
      .where('id', '=', id)
      .execute();
    return toFraudDataset({ ...build, status: 'ready', dataset_id: id, stats: toJson(input.stats) });
  });
}

/** Removes a dataset that is still building, with every row written for it. Returns whether it existed. */
export async function deleteFraudDatasetBuild(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('fraud_datasets')
    .where('id', '=', id)
    .where('status', '=', 'building')
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * Deletes builds left behind by a worker that died: those whose job is no longer running, and those without a job
 * that started more than `olderThanMs` ago. Returns their ids.
 */
export async function deleteAbandonedFraudBuilds(
  db: Kysely<Database>,
  opts: { olderThanMs?: number; now?: number } = {},
): Promise<string[]> {
  const cutoff = (opts.now ?? Date.now()) - (opts.olderThanMs ?? 3_600_000);
  const rows = await db
    .selectFrom('fraud_datasets as f')
    .leftJoin('jobs as j', 'j.id', 'f.job_id')
    .select(['f.id', 'f.job_id', 'f.created_at', 'j.status as job_status'])
    .where('f.status', '=', 'building')
    .execute();
  const abandoned = rows
    .filter((r) =>
      r.job_id !== null ? r.job_status !== 'running' && r.job_status !== 'queued' : Number(r.created_at) < cutoff,
    )
    .map((r) => r.id);
  for (const id of abandoned) await deleteFraudDatasetBuild(db, id);
  return abandoned;
}

export async function getFraudDataset(db: Kysely<Database>, id: string): Promise<FraudDataset | undefined> {
  const row = await db.selectFrom('fraud_datasets').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFraudDataset(row);
}

/** Ready datasets, newest first. */
export async function listFraudDatasets(db: Kysely<Database>): Promise<FraudDataset[]> {
  const rows = await db
    .selectFrom('fraud_datasets')
    .selectAll()
    .where('status', '=', 'ready')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toFraudDataset);
}

// ---------------------------------------------------------------------------------------------------------------
// Customers and terminals

export type FraudCustomer = {
  customerId: number;
  x: number;
  y: number;
  meanAmount: number;
  stdAmount: number;
  meanTxPerDay: number;
};
export type FraudTerminal = { terminalId: number; x: number; y: number };

/** Rows per INSERT statement: 13 columns × 500 stays far below SQLite's 32,766 bound variables. */
const INSERT_CHUNK = 500;

export async function insertFraudCustomers(
  db: Kysely<Database>,
  datasetId: string,
  customers: readonly FraudCustomer[],
): Promise<void> {
  for (let i = 0; i < customers.length; i += INSERT_CHUNK) {
    await db
      .insertInto('fraud_customers')
      .values(
        customers.slice(i, i + INSERT_CHUNK).map((c) => ({
          dataset_id: datasetId,
          customer_id: c.customerId,
          x: c.x,
          y: c.y,
          mean_amount: c.meanAmount,
          std_amount: c.stdAmount,
          mean_tx_per_day: c.meanTxPerDay,
        })),
      )
      .execute();
  }
}

export async function insertFraudTerminals(
  db: Kysely<Database>,
  datasetId: string,
  terminals: readonly FraudTerminal[],
): Promise<void> {
  for (let i = 0; i < terminals.length; i += INSERT_CHUNK) {
    await db
      .insertInto('fraud_terminals')
      .values(
        terminals
          .slice(i, i + INSERT_CHUNK)
          .map((t) => ({ dataset_id: datasetId, terminal_id: t.terminalId, x: t.x, y: t.y })),
      )
      .execute();
  }
}

export async function getFraudCustomer(
  db: Kysely<Database>,
  datasetId: string,
  customerId: number,
): Promise<FraudCustomer | undefined> {
  const r = await db
    .selectFrom('fraud_customers')
    .selectAll()
    .where('dataset_id', '=', datasetId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return (
    r && {
      customerId: Number(r.customer_id),
      x: r.x,
      y: r.y,
      meanAmount: r.mean_amount,
      stdAmount: r.std_amount,
      meanTxPerDay: r.mean_tx_per_day,
    }
  );
}

/** Which of `ids` exist as customers (kind 'customer') or terminals of the dataset. */
export async function existingFraudIds(
  db: Kysely<Database>,
  datasetId: string,
  kind: 'customer' | 'terminal',
  ids: readonly number[],
): Promise<Set<number>> {
  const found = new Set<number>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
    const part = unique.slice(i, i + INSERT_CHUNK);
    const rows =
      kind === 'customer'
        ? await db
            .selectFrom('fraud_customers')
            .select('customer_id as id')
            .where('dataset_id', '=', datasetId)
            .where('customer_id', 'in', part)
            .execute()
        : await db
            .selectFrom('fraud_terminals')
            .select('terminal_id as id')
            .where('dataset_id', '=', datasetId)
            .where('terminal_id', 'in', part)
            .execute();
    for (const r of rows) found.add(Number(r.id));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions

export type LabelSource = 'simulator' | 'import' | 'triage';

export type FraudTransaction = {
  /** database row id */
  id: number;
  datasetId: string;
  /** external id, unique per dataset */
  txId: string;
  customerId: number | null;
  terminalId: number | null;
  /** ms since epoch */
  ts: number;
  day: number;
  amount: number;
  /** the label known to the bank; null while unknown */
  label: 0 | 1 | null;
  labelSource: LabelSource | null;
  /** simulator ground truth: 0 genuine, 1–3 fraud scenario; null for other sources */
  scenario: number | null;
  ingestedAt: number | null;
};

export type NewFraudTransaction = Omit<FraudTransaction, 'id' | 'datasetId'> & { features?: Float32Array | null };

const TX_COLUMNS = [
  'id',
  'dataset_id',
  'tx_id',
  'customer_id',
  'terminal_id',
  'ts',
  'day',
  'amount',
  'label',
  'label_source',
  'scenario',
  'ingested_at',
] as const satisfies readonly (keyof FraudTransactionsTable)[];

type TxRow = Pick<Selectable<FraudTransactionsTable>, (typeof TX_COLUMNS)[number]>;

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toFraudTransaction(r: TxRow): FraudTransaction {
  return {
    id: Number(r.id),
    datasetId: r.dataset_id,
    txId: r.tx_id,
    customerId: num(r.customer_id),
    terminalId: num(r.terminal_id),
    ts: Number(r.ts),
    day: Number(r.day),
    amount: r.amount,
    label: r.label === null ? null : (Number(r.label) as 0 | 1),
    labelSource: r.label_source as LabelSource | null,
    scenario: num(r.scenario),
    ingestedAt: num(r.ingested_at),
  };
}

function featureBytes(f: Float32Array | null | undefined): Uint8Array | null {
  if (!f) return null;
  const out = new Uint8Array(f.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < f.length; i++) view.setFloat32(i * 4, f[i], true);
  return out;
}

/** Decodes a features blob (little-endian float32). */
export function featuresFromBytes(b: Uint8Array): Float32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Rows per bulk statement on SQLite (one JSON parameter each). */
const BULK_CHUNK = 5000;

/**
 * Inserts rows (call inside a transaction for atomicity). On SQLite, rows without imported features go in as one
 * JSON array per statement expanded by json_each — one short statement to prepare instead of thousands of bound
 * parameters, about five times the throughput of multi-row VALUES through Kysely; other dialects and rows with
 * features use multi-row VALUES.
 */
export async function insertFraudTransactions(
  db: Kysely<Database>,
  datasetId: string,
  rows: readonly NewFraudTransaction[],
): Promise<void> {
  const bulk = isSqlite(db) && rows.every((t) => !t.features);
  const chunk = bulk ? BULK_CHUNK : INSERT_CHUNK;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    if (bulk) {
      const json = JSON.stringify(
        part.map((t) => [
          t.txId,
          t.customerId,
          t.terminalId,
          t.ts,
          t.day,
          t.amount,
          t.label,
          t.labelSource,
          t.scenario,
          t.ingestedAt,
        ]),
      );
      await sql`insert into fraud_transactions
          (dataset_id, tx_id, customer_id, terminal_id, ts, day, amount, label, label_source, scenario, ingested_at)
        select ${datasetId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
          value ->> 6, value ->> 7, value ->> 8, value ->> 9
        from json_each(${json})`.execute(db);
      continue;
    }
    await db
      .insertInto('fraud_transactions')
      .values(
        part.map((t) => ({
          dataset_id: datasetId,
          tx_id: t.txId,
          customer_id: t.customerId,
          terminal_id: t.terminalId,
          ts: t.ts,
          day: t.day,
          amount: t.amount,
          label: t.label,
          label_source: t.labelSource,
          scenario: t.scenario,
          features: featureBytes(t.features),
          ingested_at: t.ingestedAt,
        })),
      )
      .execute();
  }
}

function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** The stored transactions with these external ids (any subset may be missing). */
export async function getFraudTransactionsByTxId(
  db: Kysely<Database>,
  datasetId: string,
  txIds: readonly string[],
): Promise<Map<string, FraudTransaction>> {
  const out = new Map<string, FraudTransaction>();
  for (let i = 0; i < txIds.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('fraud_transactions')
      .select(TX_COLUMNS)
      .where('dataset_id', '=', datasetId)
      .where('tx_id', 'in', txIds.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) out.set(r.tx_id, toFraudTransaction(r));
  }
  return out;
}

export async function getFraudTransaction(db: Kysely<Database>, id: number): Promise<FraudTransaction | undefined> {
  const r = await db.selectFrom('fraud_transactions').select(TX_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r && toFraudTransaction(r);
}

/** A customer's transactions in [fromMs, toMs], newest first, at most `limit`. */
export async function listCustomerTransactions(
  db: Kysely<Database>,
  datasetId: string,
  customerId: number,
  range: { fromMs: number; toMs: number; limit: number },
): Promise<FraudTransaction[]> {
  const rows = await db
    .selectFrom('fraud_transactions')
    .select(TX_COLUMNS)
    .where('dataset_id', '=', datasetId)
    .where('customer_id', '=', customerId)
    .where('ts', '>=', range.fromMs)
    .where('ts', '<=', range.toMs)
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(range.limit)
    .execute();
  return rows.map(toFraudTransaction);
}

/** Sets the known label of one transaction. */
export async function setFraudTransactionLabel(
  db: Kysely<Database>,
  id: number,
  label: 0 | 1 | null,
  source: LabelSource | null,
): Promise<void> {
  await db.updateTable('fraud_transactions').set({ label, label_source: source }).where('id', '=', id).execute();
}

/**
 * Transactions as columns, in (ts, id) order — what feature computation and training read. Rows are fetched in
 * pages (keyset on ts, id), so memory holds the typed arrays and one page of row objects.
 */
export type TransactionColumns = {
  n: number;
  id: Float64Array;
  ts: Float64Array;
  day: Int32Array;
  /** −1 when unknown */
  customer: Int32Array;
  /** −1 when unknown */
  terminal: Int32Array;
  amount: Float64Array;
  /** −1 unknown, else 0/1 */
  label: Int8Array;
  /** 0 none, 1 simulator, 2 import, 3 triage */
  labelSource: Uint8Array;
  /** −1 when not simulated */
  scenario: Int8Array;
  /** row-major (n, featureDim) when loaded with features, else null */
  features: Float32Array | null;
  featureDim: number;
};

export const LABEL_SOURCE_CODES: Record<LabelSource, number> = { simulator: 1, import: 2, triage: 3 };

type TxColumnRow = Pick<
  Selectable<FraudTransactionsTable>,
  'id' | 'ts' | 'day' | 'customer_id' | 'terminal_id' | 'amount' | 'label' | 'label_source' | 'scenario'
> & { features?: Uint8Array | null };

export async function loadTransactionColumns(
  db: Kysely<Database>,
  datasetId: string,
  opts: {
    fromMs?: number;
    toMs?: number;
    /** only this customer's rows */
    customerId?: number;
    /** only this terminal's rows */
    terminalId?: number;
    withFeatures?: boolean;
    pageSize?: number;
  } = {},
): Promise<TransactionColumns> {
  const pageSize = opts.pageSize ?? 20_000;
  const parts: TransactionColumns[] = [];
  let lastTs = Number.NEGATIVE_INFINITY;
  let lastId = -1;
  let featureDim = 0;
  // On SQLite, rows without features come back as one JSON array per page (about twice as fast as row objects).
  const asJson = !opts.withFeatures && isSqlite(db);
  for (;;) {
    let q = db.selectFrom('fraud_transactions').where('dataset_id', '=', datasetId);
    if (opts.fromMs !== undefined) q = q.where('ts', '>=', opts.fromMs);
    if (opts.toMs !== undefined) q = q.where('ts', '<', opts.toMs);
    if (opts.customerId !== undefined) q = q.where('customer_id', '=', opts.customerId);
    if (opts.terminalId !== undefined) q = q.where('terminal_id', '=', opts.terminalId);
    if (lastId >= 0) {
      const ts = lastTs;
      const id = lastId;
      q = q.where((eb) => eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('id', '>', id)])]));
    }
    const page = q
      .select(['id', 'ts', 'day', 'customer_id', 'terminal_id', 'amount', 'label', 'label_source', 'scenario'])
      .orderBy('ts')
      .orderBy('id')
      .limit(pageSize);
    let rows: TxColumnRow[];
    if (asJson) {
      const r = await db
        .selectFrom(page.as('p'))
        .select(
          sql<string>`json_group_array(json_array(p.id, p.ts, p.day, p.customer_id, p.terminal_id, p.amount, p.label, p.label_source, p.scenario))`.as(
            'j',
          ),
        )
        .executeTakeFirstOrThrow();
      rows = (JSON.parse(r.j) as unknown[][]).map((a) => ({
        id: a[0] as number,
        ts: a[1] as number,
        day: a[2] as number,
        customer_id: a[3] as number | null,
        terminal_id: a[4] as number | null,
        amount: a[5] as number,
        label: a[6] as number | null,
        label_source: a[7] as string | null,
        scenario: a[8] as number | null,
      }));
      // the aggregate follows the ordered subquery; keep the guarantee explicit
      for (let i = 1; i < rows.length; i++) {
        if (rows[i].ts < rows[i - 1].ts || (rows[i].ts === rows[i - 1].ts && rows[i].id < rows[i - 1].id)) {
          rows.sort((a, b) => a.ts - b.ts || a.id - b.id);
          break;
        }
      }
    } else {
      rows = (await (opts.withFeatures ? page.select('features') : page).execute()) as TxColumnRow[];
    }
    if (rows.length === 0) break;
    const n = rows.length;
    if (opts.withFeatures && featureDim === 0) featureDim = rows[0].features ? rows[0].features.byteLength >> 2 : 0;
    const part = allocColumns(n, featureDim, Boolean(opts.withFeatures));
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      part.id[i] = Number(r.id);
      part.ts[i] = Number(r.ts);
      part.day[i] = Number(r.day);
      part.customer[i] = r.customer_id === null ? -1 : Number(r.customer_id);
      part.terminal[i] = r.terminal_id === null ? -1 : Number(r.terminal_id);
      part.amount[i] = r.amount;
      part.label[i] = r.label === null ? -1 : Number(r.label);
      part.labelSource[i] = r.label_source === null ? 0 : (LABEL_SOURCE_CODES[r.label_source as LabelSource] ?? 0);
      part.scenario[i] = r.scenario === null ? -1 : Number(r.scenario);
      if (part.features && r.features) {
        const f = featuresFromBytes(r.features);
        if (f.length !== featureDim) {
          throw new Error(`transaction row ${r.id} has ${f.length} stored features, expected ${featureDim}`);
        }
        part.features.set(f, i * featureDim);
      }
    }
    parts.push(part);
    lastTs = part.ts[n - 1];
    lastId = part.id[n - 1];
    if (n < pageSize) break;
  }
  return concatColumns(parts, featureDim, opts.withFeatures ?? false);
}

/** Several column sets as one, in (ts, id) order, each row id once. */
export function mergeTransactionColumns(parts: TransactionColumns[]): TransactionColumns {
  const all = concatColumns(
    parts,
    parts[0]?.featureDim ?? 0,
    parts.some((p) => p.features !== null),
  );
  const order = Array.from({ length: all.n }, (_, i) => i).sort(
    (a, b) => all.ts[a] - all.ts[b] || all.id[a] - all.id[b],
  );
  const keep = order.filter((i, j) => j === 0 || all.id[i] !== all.id[order[j - 1]]);
  return pickRows(all, keep);
}

/** Zero-filled columns for n rows; features (n, featureDim) row-major when withFeatures, else null. */
function allocColumns(n: number, featureDim: number, withFeatures: boolean): TransactionColumns {
  return {
    n,
    id: new Float64Array(n),
    ts: new Float64Array(n),
    day: new Int32Array(n),
    customer: new Int32Array(n),
    terminal: new Int32Array(n),
    amount: new Float64Array(n),
    label: new Int8Array(n),
    labelSource: new Uint8Array(n),
    scenario: new Int8Array(n),
    features: withFeatures ? new Float32Array(n * featureDim) : null,
    featureDim,
  };
}

/** The given rows of a column set, in the given order. */
export function pickRows(c: TransactionColumns, rows: readonly number[]): TransactionColumns {
  const d = c.featureDim;
  const out = allocColumns(rows.length, d, Boolean(c.features));
  rows.forEach((i, j) => {
    out.id[j] = c.id[i];
    out.ts[j] = c.ts[i];
    out.day[j] = c.day[i];
    out.customer[j] = c.customer[i];
    out.terminal[j] = c.terminal[i];
    out.amount[j] = c.amount[i];
    out.label[j] = c.label[i];
    out.labelSource[j] = c.labelSource[i];
    out.scenario[j] = c.scenario[i];
    if (out.features && c.features) out.features.set(c.features.subarray(i * d, (i + 1) * d), j * d);
  });
  return out;
}

function concatColumns(parts: TransactionColumns[], featureDim: number, withFeatures: boolean): TransactionColumns {
  let n = 0;
  for (const p of parts) n += p.n;
  const out = allocColumns(n, featureDim, withFeatures);
  let at = 0;
  for (const p of parts) {
    out.id.set(p.id, at);
    out.ts.set(p.ts, at);
    out.day.set(p.day, at);
    out.customer.set(p.customer, at);
    out.terminal.set(p.terminal, at);
    out.amount.set(p.amount, at);
    out.label.set(p.label, at);
    out.labelSource.set(p.labelSource, at);
    out.scenario.set(p.scenario, at);
    if (out.features && p.features) out.features.set(p.features, at * featureDim);
    at += p.n;
  }
  return out;
}

/** Rows with a known label and with an unknown one, and the last day that has rows. */
export async function fraudTransactionSummary(
  db: Kysely<Database>,
  datasetId: string,
): Promise<{ rows: number; labelled: number; frauds: number; lastDay: number | null }> {
  const r = await db
    .selectFrom('fraud_transactions')
    .select([
      sql<number>`count(*)`.as('rows'),
      sql<number>`count(label)`.as('labelled'),
      sql<number>`coalesce(sum(label), 0)`.as('frauds'),
      sql<number | null>`max(day)`.as('last_day'),
    ])
    .where('dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow();
  return {
    rows: Number(r.rows),
    labelled: Number(r.labelled),
    frauds: Number(r.frauds),
    lastDay: r.last_day === null ? null : Number(r.last_day),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scores

export async function upsertFraudScores(
  db: Kysely<Database>,
  modelId: string,
  scores: readonly { transactionId: number; score: number }[],
  now = Date.now(),
): Promise<void> {
  for (let i = 0; i < scores.length; i += INSERT_CHUNK) {
    await db
      .insertInto('fraud_scores')
      .values(
        scores.slice(i, i + INSERT_CHUNK).map((s) => ({
          model_id: modelId,
          transaction_id: s.transactionId,
          score: s.score,
          scored_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['model_id', 'transaction_id'])
          .doUpdateSet({ score: (eb) => eb.ref('excluded.score'), scored_at: now }),
      )
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts and their history

export const ALERT_STATUSES = ['open', 'investigating', 'confirmed_fraud', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertReason = 'threshold' | 'top_k';

export type FraudAlert = {
  id: string;
  datasetId: string;
  transactionId: number;
  modelId: string | null;
  score: number;
  day: number;
  reason: AlertReason;
  status: AlertStatus;
  assigneeId: string | null;
  version: number;
  priorLabel: 0 | 1 | null;
  priorLabelSource: LabelSource | null;
  createdAt: number;
  updatedAt: number;
};

export type AlertHistoryEntry = {
  id: number;
  alertId: string;
  at: number;
  userId: string | null;
  /** user name, when the user still exists */
  userName: string | null;
  /** null for the row that records the alert's creation */
  fromStatus: AlertStatus | null;
  toStatus: AlertStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  note: string | null;
  version: number;
};

function toAlert(r: Selectable<FraudAlertsTable>): FraudAlert {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    transactionId: Number(r.transaction_id),
    modelId: r.model_id,
    score: r.score,
    day: Number(r.day),
    reason: r.reason as AlertReason,
    status: r.status as AlertStatus,
    assigneeId: r.assignee_id,
    version: Number(r.version),
    priorLabel: r.prior_label === null ? null : (Number(r.prior_label) as 0 | 1),
    priorLabelSource: r.prior_label_source as LabelSource | null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Inserts an alert unless its transaction already has one (the unique constraint decides, so concurrent ingests
 * cannot both alert), with its creation history row. Returns the new alert, or null when one existed.
 */
export function insertAlertIfAbsent(
  db: Kysely<Database>,
  input: {
    datasetId: string;
    transactionId: number;
    modelId: string | null;
    score: number;
    day: number;
    reason: AlertReason;
    userId: string | null;
    now?: number;
  },
): Promise<FraudAlert | null> {
  return inTransaction(db, async (trx) => {
    const now = input.now ?? Date.now();
    const row: Selectable<FraudAlertsTable> = {
      id: newId(),
      dataset_id: input.datasetId,
      transaction_id: input.transactionId,
      model_id: input.modelId,
      score: input.score,
      day: input.day,
      reason: input.reason,
      status: 'open',
      assignee_id: null,
      version: 1,
      prior_label: null,
      prior_label_source: null,
      created_at: now,
      updated_at: now,
    };
    const r = await trx
      .insertInto('fraud_alerts')
      .values(row)
      .onConflict((oc) => oc.column('transaction_id').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return null;
    await trx
      .insertInto('fraud_alert_history')
      .values({
        alert_id: row.id,
        at: now,
        user_id: input.userId,
        from_status: null,
        to_status: 'open',
        assignee_id: null,
        note: `raised by ${input.reason === 'top_k' ? 'the daily top-k budget' : 'the score threshold'} at score ${input.score.toFixed(4)}`,
        version: 1,
      })
      .execute();
    return toAlert(row);
  });
}

/** Plain insert without the conflict clause: a second alert for a transaction throws a unique violation. */
export async function insertAlertStrict(
  db: Kysely<Database>,
  input: { datasetId: string; transactionId: number; score: number; day: number; now?: number },
): Promise<void> {
  const now = input.now ?? Date.now();
  await db
    .insertInto('fraud_alerts')
    .values({
      id: newId(),
      dataset_id: input.datasetId,
      transaction_id: input.transactionId,
      model_id: null,
      score: input.score,
      day: input.day,
      reason: 'threshold',
      status: 'open',
      assignee_id: null,
      version: 1,
      prior_label: null,
      prior_label_source: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function getAlert(db: Kysely<Database>, id: string): Promise<FraudAlert | undefined> {
  const r = await db.selectFrom('fraud_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toAlert(r);
}

export async function getAlertByTransaction(
  db: Kysely<Database>,
  transactionId: number,
): Promise<FraudAlert | undefined> {
  const r = await db
    .selectFrom('fraud_alerts')
    .selectAll()
    .where('transaction_id', '=', transactionId)
    .executeTakeFirst();
  return r && toAlert(r);
}

/** Alerts raised per day so far (for daily budgets). */
export async function countAlertsByDay(
  db: Kysely<Database>,
  datasetId: string,
  days: readonly number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (days.length === 0) return out;
  const rows = await db
    .selectFrom('fraud_alerts')
    .select(['day', sql<number>`count(*)`.as('n')])
    .where('dataset_id', '=', datasetId)
    .where('day', 'in', [...new Set(days)])
    .groupBy('day')
    .execute();
  for (const r of rows) out.set(Number(r.day), Number(r.n));
  return out;
}

export type AlertQueueFilter = {
  datasetId: string;
  status?: AlertStatus | readonly AlertStatus[];
  /** day index since the dataset's start */
  day?: number;
  minAmount?: number;
  maxAmount?: number;
  terminalId?: number;
  /** a user id, or null for unassigned alerts */
  assigneeId?: string | null;
  /** default 50, at most 500 */
  limit?: number;
  offset?: number;
};

export type AlertQueueRow = FraudAlert & {
  txId: string;
  customerId: number | null;
  terminalId: number | null;
  ts: number;
  amount: number;
  assigneeName: string | null;
};

/** Highest score first (ties: oldest alert first). Returns the page and the total matching count. */
export async function queryAlertQueue(
  db: Kysely<Database>,
  filter: AlertQueueFilter,
): Promise<{ rows: AlertQueueRow[]; total: number }> {
  let q = db
    .selectFrom('fraud_alerts as a')
    .innerJoin('fraud_transactions as t', 't.id', 'a.transaction_id')
    .leftJoin('users as u', 'u.id', 'a.assignee_id')
    .where('a.dataset_id', '=', filter.datasetId);
  if (filter.status !== undefined) {
    const list = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    q = q.where('a.status', 'in', list);
  }
  if (filter.day !== undefined) q = q.where('a.day', '=', filter.day);
  if (filter.minAmount !== undefined) q = q.where('t.amount', '>=', filter.minAmount);
  if (filter.maxAmount !== undefined) q = q.where('t.amount', '<=', filter.maxAmount);
  if (filter.terminalId !== undefined) q = q.where('t.terminal_id', '=', filter.terminalId);
  if (filter.assigneeId !== undefined) {
    q =
      filter.assigneeId === null
        ? q.where('a.assignee_id', 'is', null)
        : q.where('a.assignee_id', '=', filter.assigneeId);
  }
  const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const limit = Math.min(Math.max(1, filter.limit ?? 50), 500);
  const rows = await q
    .selectAll('a')
    .select(['t.tx_id', 't.customer_id', 't.terminal_id', 't.ts', 't.amount', 'u.name as assignee_name'])
    .orderBy('a.score', 'desc')
    .orderBy('a.created_at', 'asc')
    .orderBy('a.id', 'asc')
    .limit(limit)
    .offset(Math.max(0, filter.offset ?? 0))
    .execute();
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      ...toAlert(r),
      txId: r.tx_id,
      customerId: num(r.customer_id),
      terminalId: num(r.terminal_id),
      ts: Number(r.ts),
      amount: r.amount,
      assigneeName: r.assignee_name,
    })),
  };
}

/**
 * The optimistic-concurrency write: applies `patch` only if the alert still has `expectedVersion`, bumping the
 * version. Returns the updated alert, or null when the version moved on (or the alert is gone).
 */
export async function updateAlertIfVersion(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  patch: {
    status: AlertStatus;
    assigneeId: string | null;
    priorLabel: 0 | 1 | null;
    priorLabelSource: LabelSource | null;
    now: number;
  },
): Promise<FraudAlert | null> {
  const r = await db
    .updateTable('fraud_alerts')
    .set({
      status: patch.status,
      assignee_id: patch.assigneeId,
      prior_label: patch.priorLabel,
      prior_label_source: patch.priorLabelSource,
      version: expectedVersion + 1,
      updated_at: patch.now,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return null;
  return (await getAlert(db, id)) ?? null;
}

export async function insertAlertHistory(
  db: Kysely<Database>,
  e: Omit<AlertHistoryEntry, 'id' | 'userName' | 'assigneeName'>,
): Promise<void> {
  await db
    .insertInto('fraud_alert_history')
    .values({
      alert_id: e.alertId,
      at: e.at,
      user_id: e.userId,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      assignee_id: e.assigneeId,
      note: e.note,
      version: e.version,
    })
    .execute();
}

/** Oldest first. */
export async function listAlertHistory(db: Kysely<Database>, alertId: string): Promise<AlertHistoryEntry[]> {
  const rows = await db
    .selectFrom('fraud_alert_history as h')
    .leftJoin('users as u', 'u.id', 'h.user_id')
    .leftJoin('users as a', 'a.id', 'h.assignee_id')
    .selectAll('h')
    .select(['u.name as user_name', 'a.name as assignee_name'])
    .where('h.alert_id', '=', alertId)
    .orderBy('h.id')
    .execute();
  return rows.map(
    (r: Selectable<FraudAlertHistoryTable> & { user_name: string | null; assignee_name: string | null }) => ({
      id: Number(r.id),
      alertId: r.alert_id,
      at: Number(r.at),
      userId: r.user_id,
      userName: r.user_name,
      fromStatus: r.from_status as AlertStatus | null,
      toStatus: r.to_status as AlertStatus,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      note: r.note,
      version: Number(r.version),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Training runs

export type FraudRun = {
  id: string;
  datasetId: string;
  jobId: string | null;
  modelId: string | null;
  name: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  createdBy: string | null;
  createdAt: number;
};

function toRun(r: Omit<Selectable<FraudRunsTable>, 'result'>): FraudRun {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    jobId: r.job_id,
    modelId: r.model_id,
    name: r.name,
    config: fromJson<Record<string, unknown>>(r.config) ?? {},
    summary: fromJson<Record<string, unknown>>(r.summary) ?? {},
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}

const RUN_COLUMNS = [
  'id',
  'dataset_id',
  'job_id',
  'model_id',
  'name',
  'config',
  'summary',
  'created_by',
  'created_at',
] as const satisfies readonly (keyof FraudRunsTable)[];

export async function insertFraudRun(
  db: Kysely<Database>,
  input: Omit<FraudRun, 'id' | 'createdAt'> & { id?: string; result: unknown; createdAt?: number },
): Promise<FraudRun> {
  const row = {
    id: input.id ?? newId(),
    dataset_id: input.datasetId,
    job_id: input.jobId,
    model_id: input.modelId,
    name: input.name,
    config: toJson(input.config),
    summary: toJson(input.summary),
    result: toJson(input.result),
    created_by: input.createdBy,
    created_at: input.createdAt ?? Date.now(),
  };
  await db.insertInto('fraud_runs').values(row).execute();
  return toRun(row);
}

/** Newest first, without the (large) result. */
export async function listFraudRuns(db: Kysely<Database>, datasetId?: string): Promise<FraudRun[]> {
  let q = db.selectFrom('fraud_runs').select(RUN_COLUMNS);
  if (datasetId !== undefined) q = q.where('dataset_id', '=', datasetId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toRun);
}

export async function getFraudRunResult(db: Kysely<Database>, id: string): Promise<unknown | undefined> {
  const r = await db.selectFrom('fraud_runs').select('result').where('id', '=', id).executeTakeFirst();
  return r ? fromJson(r.result) : undefined;
}
