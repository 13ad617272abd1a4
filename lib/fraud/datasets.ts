// Fraud datasets in the store: a simulation streamed in one transaction per simulated day under a staged dataset
// that only becomes visible when complete (and is deleted with everything written so far if anything fails), the
// ULB sample imported in one transaction, and "live" continuations of a simulation for scoring demos and tests.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { config } from '../config';
import type { Db } from '../store/db';
import { writeAudit } from '../store/repos/audit';
import {
  deleteFraudDatasetBuild,
  type FraudDataset,
  getFraudDataset,
  insertFraudCustomers,
  insertFraudDatasetBuild,
  insertFraudTerminals,
  insertFraudTransactions,
  markFraudDatasetReady,
  type NewFraudTransaction,
} from '../store/repos/fraud';
import { inTransaction } from '../store/transaction';
import {
  addDayToStats,
  DAY_MS,
  emptyStats,
  HANDBOOK_SIMULATOR_CONFIG,
  SIMULATOR_PRESETS,
  type SimulationStats,
  type SimulatorConfig,
  type SimulatorPreset,
  TransactionSimulator,
  validateSimulatorConfig,
} from './simulator';

export type SimulateDatasetOptions = {
  /** a preset, overridden field by field by `config` (default preset 'default') */
  preset?: SimulatorPreset;
  config?: Partial<SimulatorConfig>;
  name?: string;
  createdBy: string | null;
  jobId?: string | null;
  /**
   * Awaited after each stored day: report progress here, and throw to stop (the partial dataset is then deleted).
   */
  onDay?: (p: { day: number; days: number; transactions: number; frauds: number }) => Promise<void>;
  /** called once the staged dataset exists (tests use it to look at a build in progress) */
  onBuildStarted?: (fraudDatasetId: string) => void;
};

export type SimulatedDataset = { dataset: FraudDataset; stats: SimulationStats; config: SimulatorConfig };

/** The full config for a preset and overrides; throws with every invalid field named. */
export function resolveSimulatorConfig(preset: SimulatorPreset = 'default', over: Partial<SimulatorConfig> = {}) {
  const cfg: SimulatorConfig = { ...(SIMULATOR_PRESETS[preset] ?? HANDBOOK_SIMULATOR_CONFIG), ...over };
  const errors = validateSimulatorConfig(cfg);
  if (errors.length > 0) throw new Error(`invalid simulator config: ${errors.join('; ')}`);
  return cfg;
}

/**
 * Simulates a dataset into the store. Memory holds the profiles and one day of transactions; each day is one
 * database transaction. The dataset is listed (status 'ready', a datasets row of kind 'fraud') only after the last
 * day; on any error or stop the staged rows are deleted and the error is rethrown.
 */
export async function simulateFraudDataset(db: Db, opts: SimulateDatasetOptions): Promise<SimulatedDataset> {
  const config = resolveSimulatorConfig(opts.preset, opts.config);
  const sim = new TransactionSimulator(config);
  const build = await insertFraudDatasetBuild(db, {
    source: 'simulator',
    name:
      opts.name ?? `Simulated transactions (seed ${config.seed}, ${config.customers} customers, ${config.days} days)`,
    params: config as unknown as Record<string, unknown>,
    startMs: sim.startMs,
    days: config.days,
    jobId: opts.jobId ?? null,
    createdBy: opts.createdBy,
  });
  opts.onBuildStarted?.(build.id);
  const stats = emptyStats(sim);
  try {
    await inTransaction(db, async (trx) => {
      const cp = sim.customers;
      await insertFraudCustomers(
        trx,
        build.id,
        Array.from({ length: cp.n }, (_, c) => ({
          customerId: c,
          x: cp.x[c],
          y: cp.y[c],
          meanAmount: cp.meanAmount[c],
          stdAmount: cp.stdAmount[c],
          meanTxPerDay: cp.meanTxPerDay[c],
        })),
      );
      const tp = sim.terminals;
      await insertFraudTerminals(
        trx,
        build.id,
        Array.from({ length: tp.n }, (_, t) => ({ terminalId: t, x: tp.x[t], y: tp.y[t] })),
      );
    });
    for (let day = 0; day < config.days; day++) {
      const d = sim.day(day);
      const rows: NewFraudTransaction[] = new Array(d.n);
      for (let i = 0; i < d.n; i++) {
        rows[i] = {
          txId: d.txId[i],
          customerId: d.customer[i],
          terminalId: d.terminal[i],
          ts: d.ts[i],
          day,
          amount: d.amount[i],
          label: d.scenario[i] > 0 ? 1 : 0,
          labelSource: 'simulator',
          scenario: d.scenario[i],
          ingestedAt: null,
        };
      }
      await inTransaction(db, (trx) => insertFraudTransactions(trx, build.id, rows));
      addDayToStats(stats, d, sim.startMs);
      await opts.onDay?.({ day, days: config.days, transactions: stats.transactions, frauds: stats.frauds });
    }
    const dataset = await inTransaction(db, async (trx) => {
      const ready = await markFraudDatasetReady(trx, build.id, {
        stats: stats as unknown as Record<string, unknown>,
        rowCount: stats.transactions,
        source: `Fraud Detection Handbook simulator, seed ${config.seed}`,
        synthetic: true,
        meta: {
          fraudRate: stats.fraudRate,
          scenarios: stats.scenarios,
          days: config.days,
          startDate: config.startDate,
        },
      });
      await writeAudit(trx, {
        userId: opts.createdBy,
        action: 'dataset.create',
        objectType: 'dataset',
        objectId: ready.datasetId ?? ready.id,
        detail: { kind: 'fraud', source: 'simulator', seed: config.seed, transactions: stats.transactions },
      });
      return ready;
    });
    return { dataset, stats, config };
  } catch (err) {
    await deleteFraudDatasetBuild(db, build.id);
    throw err;
  }
}

/** A transaction as it arrives for scoring (the shape scoring validates). */
export type TransactionInput = {
  txId: string;
  customerId: number;
  terminalId: number;
  /** ISO 8601 */
  timestamp: string;
  amount: number;
};

/**
 * Days after (or inside) a simulated dataset's history generated by the same simulator, as transactions to ingest —
 * "live traffic" for demos and tests. The ground truth comes separately (scenario per txId), as it would from
 * investigations. Throws for non-simulated datasets.
 */
export async function simulateLiveTransactions(
  db: Db,
  fraudDatasetId: string,
  range: { fromDay: number; days: number },
): Promise<{ transactions: TransactionInput[]; truth: Map<string, number> }> {
  const ds = await getFraudDataset(db, fraudDatasetId);
  if (!ds) throw new Error(`fraud dataset ${fraudDatasetId} does not exist`);
  if (ds.source !== 'simulator') throw new Error(`dataset '${ds.name}' was not simulated, so it cannot be continued`);
  const sim = new TransactionSimulator(ds.params as unknown as SimulatorConfig);
  const transactions: TransactionInput[] = [];
  const truth = new Map<string, number>();
  for (let day = range.fromDay; day < range.fromDay + range.days; day++) {
    const d = sim.day(day);
    for (let i = 0; i < d.n; i++) {
      transactions.push({
        txId: d.txId[i],
        customerId: d.customer[i],
        terminalId: d.terminal[i],
        timestamp: new Date(d.ts[i]).toISOString(),
        amount: d.amount[i],
      });
      truth.set(d.txId[i], d.scenario[i]);
    }
  }
  return { transactions, truth };
}

// ---------------------------------------------------------------------------------------------------------------
// The ULB / Worldline card-fraud sample

export const ULB_SAMPLE_RELATIVE_PATH = path.join('creditcard_fraud_ulb', 'creditcard_sample.csv');

/** Shown with every result on this dataset. */
export const ULB_SAMPLE_NOTE =
  'ULB credit-card sample: all 492 frauds plus 1,230 legitimate transactions from two days of September 2013, i.e. ' +
  'down-sampled to 28.6% fraud (the full data has 0.172%). Average precision and precision@k on it are far higher ' +
  'than they would be at the real fraud rate; compare models with each other, not with production figures. ' +
  'There is no card id, so card precision@k cannot be computed.';

/** Day 0 of the ULB data: its two days are in September 2013 (exact dates are not published). */
const ULB_START_MS = Date.UTC(2013, 8, 1);

export type CsvFieldError = { row: number; field: string; message: string };

export type UlbImportResult =
  | { ok: true; dataset: FraudDataset; rows: number; frauds: number; note: string }
  | { ok: false; errors: CsvFieldError[] };

const ULB_COLUMNS = ['', 'Time', ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`), 'Amount', 'Class'];

/**
 * Parses the ULB sample CSV: an unnamed index column, Time (s), V1–V28, Amount, Class. Every problem is reported
 * with its data row (1-based, header excluded) and column; at most 50 errors are listed.
 */
export function parseUlbCsv(text: string): { ok: true; rows: UlbRow[] } | { ok: false; errors: CsvFieldError[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const errors: CsvFieldError[] = [];
  const data = parsed.data;
  if (data.length === 0) return { ok: false, errors: [{ row: 0, field: '(file)', message: 'the file is empty' }] };
  const header = data[0].map((h) => h.trim());
  if (header.length !== ULB_COLUMNS.length || header.some((h, i) => h !== ULB_COLUMNS[i])) {
    return {
      ok: false,
      errors: [
        {
          row: 0,
          field: '(header)',
          message: `expected the columns [${ULB_COLUMNS.map((c) => c || '(unnamed index)').join(', ')}], got [${header.join(', ')}]`,
        },
      ],
    };
  }
  const rows: UlbRow[] = [];
  for (let r = 1; r < data.length && errors.length < 50; r++) {
    const cells = data[r];
    if (cells.length !== ULB_COLUMNS.length) {
      errors.push({ row: r, field: '(row)', message: `has ${cells.length} cells, expected ${ULB_COLUMNS.length}` });
      continue;
    }
    const num = (col: number): number | null => {
      const text = cells[col].trim();
      const v = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(v)) {
        errors.push({ row: r, field: ULB_COLUMNS[col] || 'index', message: `expected a number, got '${cells[col]}'` });
        return null;
      }
      return v;
    };
    const index = num(0);
    const time = num(1);
    const v = new Float32Array(28);
    let bad = index === null || time === null;
    for (let j = 0; j < 28; j++) {
      const x = num(2 + j);
      if (x === null) bad = true;
      else v[j] = x;
    }
    const amount = num(30);
    const cls = num(31);
    if (time !== null && time < 0) {
      errors.push({ row: r, field: 'Time', message: `must be ≥ 0 seconds, got ${time}` });
      bad = true;
    }
    if (amount !== null && amount < 0) {
      errors.push({ row: r, field: 'Amount', message: `must not be negative, got ${amount}` });
      bad = true;
    }
    if (cls !== null && cls !== 0 && cls !== 1) {
      errors.push({ row: r, field: 'Class', message: `must be 0 or 1, got ${cls}` });
      bad = true;
    }
    if (bad || index === null || time === null || amount === null || cls === null) continue;
    rows.push({ index, time, v, amount, cls: cls as 0 | 1 });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: [{ row: 0, field: '(file)', message: 'no data rows' }] };
  return { ok: true, rows };
}

export type UlbRow = { index: number; time: number; v: Float32Array; amount: number; cls: 0 | 1 };

/**
 * Imports the ULB sample (default: $NEURALFIN_DATA_DIR/creditcard_fraud_ulb/creditcard_sample.csv) as a ready
 * fraud dataset in one transaction; bad input returns the field errors and stores nothing.
 */
export async function importUlbSample(
  db: Db,
  opts: { file?: string; name?: string; createdBy: string | null },
): Promise<UlbImportResult> {
  const dataDir = config().NEURALFIN_DATA_DIR;
  const file = opts.file ?? (dataDir ? path.join(dataDir, ULB_SAMPLE_RELATIVE_PATH) : null);
  if (file === null) {
    return {
      ok: false,
      errors: [
        { row: 0, field: '(file)', message: 'NEURALFIN_DATA_DIR is not set, so the ULB sample cannot be found' },
      ],
    };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      errors: [{ row: 0, field: '(file)', message: `cannot read ${file}: ${(err as Error).message}` }],
    };
  }
  const parsed = parseUlbCsv(text);
  if (!parsed.ok) return parsed;
  const rows = [...parsed.rows].sort((a, b) => a.time - b.time || a.index - b.index);
  const frauds = rows.reduce((s, r) => s + r.cls, 0);
  const lastDay = Math.floor(rows[rows.length - 1].time / 86_400);
  const dataset = await inTransaction(db, async (trx) => {
    const build = await insertFraudDatasetBuild(trx, {
      source: 'ulb',
      name: opts.name ?? 'ULB credit-card fraud sample (28.6% fraud)',
      params: { file: path.basename(file), rows: rows.length },
      startMs: ULB_START_MS,
      days: lastDay + 1,
      createdBy: opts.createdBy,
    });
    await insertFraudTransactions(
      trx,
      build.id,
      rows.map((r) => ({
        txId: `ulb-${r.index}`,
        customerId: null,
        terminalId: null,
        ts: ULB_START_MS + Math.round(r.time * 1000),
        day: Math.floor(r.time / 86_400),
        amount: r.amount,
        label: r.cls,
        labelSource: 'import' as const,
        scenario: null,
        features: r.v,
        ingestedAt: null,
      })),
    );
    const ready = await markFraudDatasetReady(trx, build.id, {
      stats: { transactions: rows.length, frauds, fraudRate: frauds / rows.length, days: lastDay + 1 },
      rowCount: rows.length,
      source: `ULB/Worldline credit-card fraud sample (${path.basename(file)})`,
      synthetic: false,
      meta: { note: ULB_SAMPLE_NOTE, fraudRate: frauds / rows.length },
    });
    await writeAudit(trx, {
      userId: opts.createdBy,
      action: 'dataset.import',
      objectType: 'dataset',
      objectId: ready.datasetId ?? ready.id,
      detail: { kind: 'fraud', source: 'ulb', rows: rows.length, frauds },
    });
    return ready;
  });
  return { ok: true, dataset, rows: rows.length, frauds, note: ULB_SAMPLE_NOTE };
}

/** Day index of a timestamp in a dataset. */
export function dayOf(dataset: Pick<FraudDataset, 'startMs'>, ts: number): number {
  return Math.floor((ts - dataset.startMs) / DAY_MS);
}
