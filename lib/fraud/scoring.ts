// Scoring transactions with a stored fraud model: validation of raw input into field errors (the boundary), feature
// lookup from the stored history, scores, "what drove this score" explanations, and ingestion — storing new
// transactions, their scores and their alerts in one database transaction, idempotently per transaction id.

import { z } from 'zod';
import type { Db } from '../store/db';
import { writeAudit } from '../store/repos/audit';
import {
  existingFraudIds,
  type FraudDataset,
  type FraudTransaction,
  getAlertByTransaction,
  getFraudDataset,
  getFraudTransactionsByTxId,
  insertFraudTransactions,
  loadTransactionColumns,
  mergeTransactionColumns,
  type TransactionColumns,
  upsertFraudScores,
} from '../store/repos/fraud';
import { inTransaction } from '../store/transaction';
import { isUniqueViolation } from '../store/values';
import { type AlertPolicyInput, alertPolicySchema, raiseAlerts } from './alerts';
import {
  computeHandbookFeatures,
  FEATURE_LABELS,
  HANDBOOK_FEATURES,
  HANDBOOK_WINDOWS_DAYS,
  handbookFeaturesForNewRows,
} from './features';
import { type FraudScorer, loadFraudScorer } from './model-store';
import { DAY_MS } from './simulator';

/** One problem with one field of one submitted transaction. */
export type FieldError = {
  /** index in the submitted list (0-based); null for problems with the request as a whole */
  row: number | null;
  txId: string | null;
  field: string;
  message: string;
};

/** A transaction after validation: the domain type every later step uses. */
export type ValidTransaction = {
  row: number;
  txId: string;
  customerId: number;
  terminalId: number;
  /** ms since epoch */
  ts: number;
  amount: number;
};

const MAX_BATCH = 100_000;
/** Transactions may carry a timestamp at most this far in the future (clock skew between systems). */
const FUTURE_TOLERANCE_MS = DAY_MS;

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function parseTimestamp(v: unknown): { ms: number } | { error: string } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v))
      return { error: `must be whole milliseconds since 1970, got ${v}` };
    return { ms: v };
  }
  if (typeof v !== 'string') return { error: 'must be an ISO 8601 date-time such as 2018-05-01T14:30:00Z' };
  const s = v.trim();
  const m = ISO_TIMESTAMP.exec(s);
  if (!m) return { error: `'${v}' is not an ISO 8601 date-time such as 2018-05-01T14:30:00Z` };
  const [, y, mo, d, h = '00', mi = '00', se = '00', frac = '0', zone = 'Z'] = m;
  const base = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(se),
    Number(frac.padEnd(3, '0')),
  );
  const check = new Date(base);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(se) > 59
  ) {
    return { error: `'${v}' is not a real date and time` };
  }
  const offset =
    zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { ms: base - offset * 60_000 };
}

function parseWhole(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : typeof v === 'number' ? v : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1 ? n : null;
}

function parseAmount(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

const isMissing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Converts submitted transactions (JSON or form values: numbers may be numeric strings) into ValidTransaction,
 * collecting every field error. Checks that need the store (unknown customer or terminal, a reused id) come later.
 */
export function validateTransactions(
  raw: unknown,
  ctx: { datasetStartMs: number; now: number },
): { rows: ValidTransaction[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!Array.isArray(raw)) {
    return {
      rows: [],
      errors: [{ row: null, txId: null, field: 'transactions', message: 'must be a list of transactions' }],
    };
  }
  if (raw.length === 0)
    return { rows: [], errors: [{ row: null, txId: null, field: 'transactions', message: 'is empty' }] };
  if (raw.length > MAX_BATCH) {
    return {
      rows: [],
      errors: [
        {
          row: null,
          txId: null,
          field: 'transactions',
          message: `at most ${MAX_BATCH} per request, got ${raw.length}`,
        },
      ],
    };
  }
  const rows: ValidTransaction[] = [];
  raw.forEach((item, row) => {
    const rec = (item ?? {}) as Record<string, unknown>;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({
        row,
        txId: null,
        field: '(transaction)',
        message: 'must be an object with txId, customerId, terminalId, timestamp and amount',
      });
      return;
    }
    const txIdRaw = rec.txId;
    const txId = typeof txIdRaw === 'string' ? txIdRaw.trim() : typeof txIdRaw === 'number' ? String(txIdRaw) : null;
    const err = (field: string, message: string) => errors.push({ row, txId, field, message });
    let ok = true;
    for (const f of ['txId', 'customerId', 'terminalId', 'timestamp', 'amount']) {
      if (isMissing(rec[f])) {
        err(f, 'is required');
        ok = false;
      }
    }
    if (!ok) return;
    if (txId === null || txId.length > 100) {
      err('txId', 'must be text of at most 100 characters');
      ok = false;
    }
    const customerId = parseWhole(rec.customerId);
    if (customerId === null) {
      err('customerId', `must be a whole number ≥ 0, got ${JSON.stringify(rec.customerId)}`);
      ok = false;
    }
    const terminalId = parseWhole(rec.terminalId);
    if (terminalId === null) {
      err('terminalId', `must be a whole number ≥ 0, got ${JSON.stringify(rec.terminalId)}`);
      ok = false;
    }
    const amount = parseAmount(rec.amount);
    if (amount === null) {
      err('amount', `must be a number, got ${JSON.stringify(rec.amount)}`);
      ok = false;
    } else if (amount < 0) {
      err('amount', `must not be negative, got ${amount}`);
      ok = false;
    } else if (amount > 1e9) {
      err('amount', `is implausibly large (${amount})`);
      ok = false;
    }
    const t = parseTimestamp(rec.timestamp);
    if ('error' in t) {
      err('timestamp', t.error);
      ok = false;
    } else if (t.ms < ctx.datasetStartMs) {
      err(
        'timestamp',
        `${new Date(t.ms).toISOString()} is before the dataset begins (${new Date(ctx.datasetStartMs).toISOString()})`,
      );
      ok = false;
    } else if (t.ms > ctx.now + FUTURE_TOLERANCE_MS) {
      err('timestamp', `${new Date(t.ms).toISOString()} is in the future`);
      ok = false;
    }
    if (ok && txId !== null && customerId !== null && terminalId !== null && amount !== null && 'ms' in t) {
      rows.push({ row, txId, customerId, terminalId, ts: t.ms, amount: Math.round(amount * 100) / 100 });
    }
  });
  // the same id twice in one request is one transaction if identical, an error otherwise
  const seen = new Map<string, ValidTransaction>();
  const unique: ValidTransaction[] = [];
  for (const r of rows) {
    const first = seen.get(r.txId);
    if (!first) {
      seen.set(r.txId, r);
      unique.push(r);
    } else if (!sameTransaction(first, r)) {
      errors.push({
        row: r.row,
        txId: r.txId,
        field: 'txId',
        message: `is used by row ${first.row} with different fields`,
      });
    }
  }
  return { rows: unique, errors };
}

function sameTransaction(
  a: Pick<ValidTransaction, 'customerId' | 'terminalId' | 'ts' | 'amount'>,
  b: typeof a,
): boolean {
  return (
    a.customerId === b.customerId &&
    a.terminalId === b.terminalId &&
    a.ts === b.ts &&
    Math.abs(a.amount - b.amount) < 0.005
  );
}

/** Field errors for customers and terminals the dataset does not have. */
async function checkKnownIds(db: Db, ds: FraudDataset, rows: ValidTransaction[]): Promise<FieldError[]> {
  const customers = await existingFraudIds(
    db,
    ds.id,
    'customer',
    rows.map((r) => r.customerId),
  );
  const terminals = await existingFraudIds(
    db,
    ds.id,
    'terminal',
    rows.map((r) => r.terminalId),
  );
  const errors: FieldError[] = [];
  for (const r of rows) {
    if (!customers.has(r.customerId))
      errors.push({
        row: r.row,
        txId: r.txId,
        field: 'customerId',
        message: `customer ${r.customerId} is not known in dataset '${ds.name}'`,
      });
    if (!terminals.has(r.terminalId))
      errors.push({
        row: r.row,
        txId: r.txId,
        field: 'terminalId',
        message: `terminal ${r.terminalId} is not known in dataset '${ds.name}'`,
      });
  }
  return errors;
}

/** Batches up to this size read the history per customer and terminal; larger ones read the whole time range. */
const PER_ENTITY_LIMIT = 64;

/**
 * The stored rows the features of `rows` depend on: each customer's rows in its last 30 days and each terminal's
 * rows in its delayed windows (small batches), or every row in the covering time range (large batches). Both give
 * the same features for `rows`.
 */
export async function loadHistoryFor(
  db: Db,
  datasetId: string,
  rows: readonly Pick<ValidTransaction, 'customerId' | 'terminalId' | 'ts'>[],
  delayDays: number,
): Promise<TransactionColumns> {
  const longest = HANDBOOK_WINDOWS_DAYS[HANDBOOK_WINDOWS_DAYS.length - 1] * DAY_MS;
  const delay = delayDays * DAY_MS;
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    minTs = Math.min(minTs, r.ts);
    maxTs = Math.max(maxTs, r.ts);
  }
  if (rows.length > PER_ENTITY_LIMIT) {
    return loadTransactionColumns(db, datasetId, { fromMs: minTs - longest - delay, toMs: maxTs + 1 });
  }
  const spans = (key: (r: (typeof rows)[number]) => number) => {
    const m = new Map<number, [number, number]>();
    for (const r of rows) {
      const s = m.get(key(r));
      m.set(key(r), s ? [Math.min(s[0], r.ts), Math.max(s[1], r.ts)] : [r.ts, r.ts]);
    }
    return m;
  };
  const parts: TransactionColumns[] = [];
  for (const [customerId, [lo, hi]] of spans((r) => r.customerId)) {
    parts.push(await loadTransactionColumns(db, datasetId, { customerId, fromMs: lo - longest, toMs: hi + 1 }));
  }
  for (const [terminalId, [lo, hi]] of spans((r) => r.terminalId)) {
    parts.push(
      await loadTransactionColumns(db, datasetId, { terminalId, fromMs: lo - longest - delay, toMs: hi - delay + 1 }),
    );
  }
  return mergeTransactionColumns(parts);
}

/** Raw feature rows (m, d) of new transactions from their stored history. */
export async function featuresForNewTransactions(
  db: Db,
  ds: FraudDataset,
  scorer: FraudScorer,
  rows: readonly ValidTransaction[],
): Promise<Float32Array> {
  const history = await loadHistoryFor(db, ds.id, rows, scorer.manifest.delayDays);
  const m = rows.length;
  return handbookFeaturesForNewRows(
    history,
    {
      n: m,
      ts: Float64Array.from(rows, (r) => r.ts),
      customer: Int32Array.from(rows, (r) => r.customerId),
      terminal: Int32Array.from(rows, (r) => r.terminalId),
      amount: Float64Array.from(rows, (r) => r.amount),
    },
    { delayDays: scorer.manifest.delayDays },
  );
}

async function scorerAndDataset(
  db: Db,
  modelId: string,
): Promise<{ scorer: FraudScorer; ds: FraudDataset } | { error: string }> {
  let scorer: FraudScorer;
  try {
    scorer = await loadFraudScorer(db, modelId);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const ds = await getFraudDataset(db, scorer.manifest.fraudDatasetId);
  if (ds?.status !== 'ready') return { error: `the dataset of model '${scorer.name}' no longer exists` };
  if (scorer.manifest.featureSet !== 'handbook') {
    return {
      error: `model '${scorer.name}' was trained on the ULB sample, whose anonymised features (V1–V28) cannot be computed for new transactions; score with a model trained on a simulated dataset`,
    };
  }
  return { scorer, ds };
}

export type ScoredTransaction = {
  txId: string;
  /** fraud probability in [0, 1] */
  score: number;
  /** the raw feature values the model saw, by feature name */
  features: Record<string, number>;
};

export type ScoreResult =
  | { ok: true; modelId: string; results: ScoredTransaction[] }
  | { ok: false; errors: FieldError[] };

function requestError(message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ row: null, txId: null, field: 'modelId', message }] };
}

/** Scores transactions without storing anything (a preview, e.g. the "score one transaction" form). */
export async function scoreTransactions(
  db: Db,
  input: { modelId: string; transactions: unknown; now?: number },
): Promise<ScoreResult> {
  const sd = await scorerAndDataset(db, input.modelId);
  if ('error' in sd) return requestError(sd.error);
  const { scorer, ds } = sd;
  const v = validateTransactions(input.transactions, { datasetStartMs: ds.startMs, now: input.now ?? Date.now() });
  const errors = [...v.errors, ...(await checkKnownIds(db, ds, v.rows))];
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  const x = await featuresForNewTransactions(db, ds, scorer, v.rows);
  const scores = scorer.score(x, v.rows.length);
  const d = scorer.manifest.featureNames.length;
  return {
    ok: true,
    modelId: scorer.modelId,
    results: v.rows.map((r, i) => ({
      txId: r.txId,
      score: scores[i],
      features: Object.fromEntries(scorer.manifest.featureNames.map((f, j) => [f, tidy(x[i * d + j])])),
    })),
  };
}

export type IngestedTransaction = {
  row: number;
  txId: string;
  /** 'new': stored now; 'duplicate': the same transaction was ingested before (nothing changed) */
  status: 'new' | 'duplicate';
  transactionId: number;
  score: number | null;
  alert: { id: string; status: string; reason: string; created: boolean } | null;
};

export type IngestResult =
  | {
      ok: true;
      modelId: string;
      results: IngestedTransaction[];
      newTransactions: number;
      duplicates: number;
      alertsCreated: number;
    }
  | { ok: false; errors: FieldError[] };

/**
 * Validates, stores, scores and alerts a batch of transactions in one database transaction: either every row is
 * stored or, on any error, none. A transaction id that was ingested before with the same fields is reported as a
 * duplicate and changes nothing (so ingesting twice raises one alert); with different fields it is an error.
 */
export async function ingestTransactions(
  db: Db,
  input: { modelId: string; transactions: unknown; policy: AlertPolicyInput; userId: string | null; now?: number },
): Promise<IngestResult> {
  const policyParse = alertPolicySchema.safeParse(input.policy);
  if (!policyParse.success) {
    return {
      ok: false,
      errors: [{ row: null, txId: null, field: 'policy', message: z.prettifyError(policyParse.error) }],
    };
  }
  const policy = policyParse.data;
  const sd = await scorerAndDataset(db, input.modelId);
  if ('error' in sd) return requestError(sd.error);
  const { scorer, ds } = sd;
  const now = input.now ?? Date.now();
  const v = validateTransactions(input.transactions, { datasetStartMs: ds.startMs, now });
  const errors = [...v.errors, ...(await checkKnownIds(db, ds, v.rows))];
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };

  // A concurrent ingest of the same id makes the insert fail on the unique index; the retry then sees it stored.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingestValid(db, ds, scorer, v.rows, policy, input.userId, now);
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}

async function ingestValid(
  db: Db,
  ds: FraudDataset,
  scorer: FraudScorer,
  rows: ValidTransaction[],
  policy: z.output<typeof alertPolicySchema>,
  userId: string | null,
  now: number,
): Promise<IngestResult> {
  const existing = await getFraudTransactionsByTxId(
    db,
    ds.id,
    rows.map((r) => r.txId),
  );
  const conflicts: FieldError[] = [];
  const fresh: ValidTransaction[] = [];
  for (const r of rows) {
    const old = existing.get(r.txId);
    if (!old) fresh.push(r);
    else if (
      !sameTransaction(
        { customerId: old.customerId ?? -1, terminalId: old.terminalId ?? -1, ts: old.ts, amount: old.amount },
        r,
      )
    ) {
      conflicts.push({
        row: r.row,
        txId: r.txId,
        field: 'txId',
        message: `was already ingested with different fields (customer ${old.customerId}, terminal ${old.terminalId}, ${new Date(old.ts).toISOString()}, amount ${old.amount})`,
      });
    }
  }
  if (conflicts.length > 0) return { ok: false, errors: sortErrors(conflicts) };

  const x = fresh.length > 0 ? await featuresForNewTransactions(db, ds, scorer, fresh) : new Float32Array(0);
  const scores = scorer.score(x, fresh.length);
  return inTransaction(db, async (trx) => {
    await insertFraudTransactions(
      trx,
      ds.id,
      fresh.map((r) => ({
        txId: r.txId,
        customerId: r.customerId,
        terminalId: r.terminalId,
        ts: r.ts,
        day: Math.floor((r.ts - ds.startMs) / DAY_MS),
        amount: r.amount,
        label: null,
        labelSource: null,
        scenario: null,
        ingestedAt: now,
      })),
    );
    const stored = await getFraudTransactionsByTxId(
      trx,
      ds.id,
      fresh.map((r) => r.txId),
    );
    const scored = fresh.map((r, i) => {
      const t = stored.get(r.txId) as FraudTransaction;
      return { transactionId: t.id, day: t.day, score: scores[i] };
    });
    await upsertFraudScores(trx, scorer.modelId, scored, now);
    const alerts = await raiseAlerts(trx, { datasetId: ds.id, modelId: scorer.modelId, policy, rows: scored, userId });
    // a batch of nothing but duplicates changes nothing, so it has no audit row
    if (fresh.length > 0) {
      await writeAudit(trx, {
        userId,
        action: 'fraud.ingest',
        objectType: 'fraud_dataset',
        objectId: ds.id,
        detail: {
          modelId: scorer.modelId,
          transactions: fresh.length,
          duplicates: rows.length - fresh.length,
          alertsCreated: alerts.size,
        },
      });
    }
    const results: IngestedTransaction[] = [];
    const scoreOf = new Map(scored.map((s) => [s.transactionId, s.score]));
    for (const r of rows) {
      const t = (stored.get(r.txId) ?? existing.get(r.txId)) as FraudTransaction;
      const isNew = stored.has(r.txId);
      const created = alerts.get(t.id);
      const alert = created ?? (isNew ? undefined : await getAlertByTransaction(trx, t.id));
      results.push({
        row: r.row,
        txId: r.txId,
        status: isNew ? 'new' : 'duplicate',
        transactionId: t.id,
        score: scoreOf.get(t.id) ?? null,
        alert: alert
          ? { id: alert.id, status: alert.status, reason: alert.reason, created: created !== undefined }
          : null,
      });
    }
    return {
      ok: true as const,
      modelId: scorer.modelId,
      results,
      newTransactions: fresh.length,
      duplicates: rows.length - fresh.length,
      alertsCreated: alerts.size,
    };
  });
}

/** A float32 feature as the decimal it stands for (107.56999969 → 107.57): 7 significant digits. */
function tidy(v: number): number {
  return Number(v.toPrecision(7));
}

function sortErrors(errors: FieldError[]): FieldError[] {
  return [...errors].sort((a, b) => (a.row ?? -1) - (b.row ?? -1));
}

export type ScoreDriver = {
  feature: string;
  label: string;
  value: number;
  /** the training rows' mean of the feature */
  baseline: number;
  /** score(x) − score(x with this feature at its training mean): what this feature adds to the probability */
  contribution: number;
};

/**
 * Baseline substitution: for each feature, the change in fraud probability when that one feature is replaced by its
 * training mean, sorted by absolute size. Model-agnostic and in probability units; features interact, so the
 * contributions need not add up to the score.
 */
export function explainScore(scorer: FraudScorer, x: Float32Array): { score: number; drivers: ScoreDriver[] } {
  const names = scorer.manifest.featureNames;
  const d = names.length;
  const batch = new Float32Array((d + 1) * d);
  for (let r = 0; r <= d; r++) batch.set(x.subarray(0, d), r * d);
  for (let j = 0; j < d; j++) batch[(j + 1) * d + j] = scorer.manifest.scaler.mean[j];
  const s = scorer.score(batch, d + 1);
  const drivers = names.map((f, j) => ({
    feature: f,
    label: FEATURE_LABELS[f] ?? f,
    value: tidy(x[j]),
    baseline: scorer.manifest.scaler.mean[j],
    contribution: s[0] - s[j + 1],
  }));
  drivers.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: s[0], drivers };
}

/** Features of a stored transaction, recomputed from its stored history with the labels known now. */
export async function featuresOfStoredTransaction(
  db: Db,
  tx: FraudTransaction,
  delayDays: number,
): Promise<Float32Array | null> {
  if (tx.customerId === null || tx.terminalId === null) return null;
  const history = await loadHistoryFor(
    db,
    tx.datasetId,
    [{ customerId: tx.customerId, terminalId: tx.terminalId, ts: tx.ts }],
    delayDays,
  );
  const idx = Array.prototype.indexOf.call(history.id, tx.id) as number;
  if (idx < 0) return null;
  const all = computeHandbookFeatures(history, { delayDays });
  const D = HANDBOOK_FEATURES.length;
  return all.slice(idx * D, (idx + 1) * D);
}
