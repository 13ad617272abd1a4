// Alert triage: the queue (sorted by score, filtered), an alert's detail (transaction, the customer's recent
// history, what drove the score, the change history), and status changes with notes and assignees under optimistic
// concurrency — a change names the version it was made against, and loses with a clear conflict if someone else
// changed the alert first. Decisions are labels: confirmed fraud → label 1, false positive → label 0 (source
// 'triage'), which the next training run uses; reopening a decision restores the label the transaction had before.

import { z } from 'zod';
import { canAccess } from '../auth/roles';
import type { Db } from '../store/db';
import { writeAudit } from '../store/repos/audit';
import {
  ALERT_STATUSES,
  type AlertHistoryEntry,
  type AlertQueueFilter,
  type AlertStatus,
  type FraudAlert,
  type FraudTransaction,
  getAlert,
  getFraudCustomer,
  getFraudDataset,
  getFraudTransaction,
  insertAlertHistory,
  listAlertHistory,
  listCustomerTransactions,
  queryAlertQueue,
  setFraudTransactionLabel,
  updateAlertIfVersion,
} from '../store/repos/fraud';
import { getUserById } from '../store/repos/users';
import { inTransaction } from '../store/transaction';
import { loadFraudScorer } from './model-store';
import { explainScore, featuresOfStoredTransaction, type ScoreDriver } from './scoring';
import { DAY_MS, dayDate } from './simulator';

export { ALERT_STATUSES, type AlertHistoryEntry, type AlertStatus } from '../store/repos/fraud';

export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  confirmed_fraud: 'Confirmed fraud',
  false_positive: 'False positive',
};

/** Allowed status changes. Staying in the same status (adding a note, reassigning) is always allowed. */
export const ALERT_TRANSITIONS: Record<AlertStatus, readonly AlertStatus[]> = {
  open: ['investigating'],
  investigating: ['open', 'confirmed_fraud', 'false_positive'],
  confirmed_fraud: ['investigating'],
  false_positive: ['investigating'],
};

export const alertQueueFilterSchema = z.object({
  datasetId: z.string().min(1),
  status: z.union([z.enum(ALERT_STATUSES), z.array(z.enum(ALERT_STATUSES))]).optional(),
  day: z.number().int().min(0).optional(),
  minAmount: z.number().min(0).optional(),
  maxAmount: z.number().min(0).optional(),
  terminalId: z.number().int().min(0).optional(),
  assigneeId: z.string().min(1).nullable().optional(),
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
});

export type AlertQueueItem = {
  id: string;
  score: number;
  status: AlertStatus;
  statusLabel: string;
  version: number;
  reason: string;
  day: number;
  date: string;
  txId: string;
  transactionId: number;
  customerId: number | null;
  terminalId: number | null;
  /** ISO time of the transaction */
  time: string;
  amount: number;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: number;
  updatedAt: number;
};

/** The queue, highest score first, with the total count for paging. */
export async function alertQueue(
  db: Db,
  filter: AlertQueueFilter,
): Promise<{ items: AlertQueueItem[]; total: number }> {
  const f = alertQueueFilterSchema.parse(filter);
  const ds = await getFraudDataset(db, f.datasetId);
  if (!ds) return { items: [], total: 0 };
  const { rows, total } = await queryAlertQueue(db, f);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      score: r.score,
      status: r.status,
      statusLabel: ALERT_STATUS_LABELS[r.status],
      version: r.version,
      reason: r.reason,
      day: r.day,
      date: dayDate(ds.startMs, r.day),
      txId: r.txId,
      transactionId: r.transactionId,
      customerId: r.customerId,
      terminalId: r.terminalId,
      time: new Date(r.ts).toISOString(),
      amount: r.amount,
      assigneeId: r.assigneeId,
      assigneeName: r.assigneeName,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
  };
}

export type TransactionView = {
  id: number;
  txId: string;
  time: string;
  day: number;
  customerId: number | null;
  terminalId: number | null;
  amount: number;
  label: 0 | 1 | null;
  labelSource: string | null;
};

function view(t: FraudTransaction): TransactionView {
  return {
    id: t.id,
    txId: t.txId,
    time: new Date(t.ts).toISOString(),
    day: t.day,
    customerId: t.customerId,
    terminalId: t.terminalId,
    amount: t.amount,
    label: t.label,
    labelSource: t.labelSource,
  };
}

export type AlertDetail = {
  alert: FraudAlert & { statusLabel: string; date: string; allowedNext: AlertStatus[] };
  transaction: TransactionView;
  /** the customer's profile (simulated datasets) */
  customer: { customerId: number; meanAmount: number; stdAmount: number; meanTxPerDay: number } | null;
  /** the customer's transactions in the 30 days up to this one, newest first (at most 50) */
  customerHistory: TransactionView[];
  /** what drove the score, largest effect first; null when the model or the features are unavailable */
  drivers: ScoreDriver[] | null;
  driversNote: string;
  /** the simulator's ground truth, for demos: 0 genuine, 1–3 fraud scenario; null for real data */
  simulatedScenario: number | null;
  history: AlertHistoryEntry[];
};

export async function alertDetail(db: Db, alertId: string): Promise<AlertDetail | undefined> {
  const alert = await getAlert(db, alertId);
  if (!alert) return undefined;
  const tx = await getFraudTransaction(db, alert.transactionId);
  const ds = await getFraudDataset(db, alert.datasetId);
  if (!tx || !ds) return undefined;
  const history = await listAlertHistory(db, alertId);
  const customer = tx.customerId !== null ? ((await getFraudCustomer(db, ds.id, tx.customerId)) ?? null) : null;
  const customerHistory =
    tx.customerId !== null
      ? await listCustomerTransactions(db, ds.id, tx.customerId, {
          fromMs: tx.ts - 30 * DAY_MS,
          toMs: tx.ts,
          limit: 50,
        })
      : [];
  let drivers: ScoreDriver[] | null = null;
  let driversNote = 'Each bar is the change in fraud probability when that feature is set to its training average.';
  if (alert.modelId) {
    try {
      const scorer = await loadFraudScorer(db, alert.modelId);
      const x =
        scorer.manifest.featureSet === 'handbook'
          ? await featuresOfStoredTransaction(db, tx, scorer.manifest.delayDays)
          : null;
      if (x) drivers = explainScore(scorer, x).drivers;
      else driversNote = 'The features of this transaction cannot be recomputed (no card or terminal).';
    } catch (err) {
      driversNote = `The model is unavailable: ${(err as Error).message}`;
    }
  } else driversNote = 'The model that raised this alert has been deleted.';
  return {
    alert: {
      ...alert,
      statusLabel: ALERT_STATUS_LABELS[alert.status],
      date: dayDate(ds.startMs, alert.day),
      allowedNext: [...ALERT_TRANSITIONS[alert.status]],
    },
    transaction: view(tx),
    customer: customer && {
      customerId: customer.customerId,
      meanAmount: customer.meanAmount,
      stdAmount: customer.stdAmount,
      meanTxPerDay: customer.meanTxPerDay,
    },
    customerHistory: customerHistory.map(view),
    drivers,
    driversNote,
    simulatedScenario: tx.scenario,
    history,
  };
}

export const alertChangeSchema = z.object({
  alertId: z.string().min(1),
  /** the version the user saw; the change applies only if the alert still has it */
  expectedVersion: z.number().int().min(1),
  /** omit to keep the status (add a note or reassign) */
  status: z.enum(ALERT_STATUSES).optional(),
  /** a user id, null to unassign, omit to keep */
  assigneeId: z.string().min(1).nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});

export type AlertChangeInput = z.input<typeof alertChangeSchema>;

export type AlertChangeError =
  | { kind: 'invalid'; message: string; fields: { field: string; message: string }[] }
  | { kind: 'not_found'; message: string }
  | { kind: 'invalid_transition'; message: string; allowed: AlertStatus[] }
  | {
      kind: 'conflict';
      message: string;
      /** the alert as it is now, so the UI can show it and let the user redo the change */
      current: FraudAlert;
      lastChange: AlertHistoryEntry | null;
    };

export type AlertChangeResult =
  | { ok: true; alert: FraudAlert; history: AlertHistoryEntry[] }
  | { ok: false; error: AlertChangeError };

/**
 * Applies one triage change by `userId`: a status move along ALERT_TRANSITIONS and/or an assignee, with an
 * optional note; writes the history row, the label effect and an audit row in the same transaction. The update is
 * conditional on expectedVersion, so of two concurrent changes made against the same version exactly one wins and
 * the other gets a 'conflict' (nothing overwritten).
 */
export async function changeAlert(
  db: Db,
  input: AlertChangeInput,
  actor: { userId: string | null; requestId?: string | null; now?: number },
): Promise<AlertChangeResult> {
  const parsed = alertChangeSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        kind: 'invalid',
        message: 'the change is not valid',
        fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(change)', message: i.message })),
      },
    };
  }
  const c = parsed.data;
  if (c.status === undefined && c.assigneeId === undefined && !c.note) {
    return {
      ok: false,
      error: {
        kind: 'invalid',
        message: 'nothing to change',
        fields: [{ field: 'status', message: 'give a status, an assignee or a note' }],
      },
    };
  }
  if (c.assigneeId) {
    const user = await getUserById(db, c.assigneeId);
    if (!user || user.disabled) {
      return {
        ok: false,
        error: {
          kind: 'invalid',
          message: 'unknown assignee',
          fields: [{ field: 'assigneeId', message: `no active user ${c.assigneeId}` }],
        },
      };
    }
    // an alert goes only to someone who can open it
    if (!canAccess(user.role, 'fraud')) {
      return {
        ok: false,
        error: {
          kind: 'invalid',
          message: 'the assignee cannot use fraud',
          fields: [{ field: 'assigneeId', message: `${user.name} (${user.role}) cannot open fraud alerts` }],
        },
      };
    }
  }
  const now = actor.now ?? Date.now();
  return inTransaction(db, async (trx): Promise<AlertChangeResult> => {
    const alert = await getAlert(trx, c.alertId);
    if (!alert) return { ok: false, error: { kind: 'not_found', message: `alert ${c.alertId} does not exist` } };
    if (alert.version !== c.expectedVersion) return conflict(trx, alert);
    const to = c.status ?? alert.status;
    if (to !== alert.status && !ALERT_TRANSITIONS[alert.status].includes(to)) {
      const allowed = [...ALERT_TRANSITIONS[alert.status]];
      return {
        ok: false,
        error: {
          kind: 'invalid_transition',
          message: `an alert that is ${ALERT_STATUS_LABELS[alert.status].toLowerCase()} can move to ${allowed.map((s) => ALERT_STATUS_LABELS[s].toLowerCase()).join(' or ')}, not to ${ALERT_STATUS_LABELS[to].toLowerCase()}`,
          allowed,
        },
      };
    }
    const tx = await getFraudTransaction(trx, alert.transactionId);
    if (!tx)
      return { ok: false, error: { kind: 'not_found', message: `the transaction of alert ${alert.id} is gone` } };

    // Label effects: the first decision remembers the label it replaces; reopening restores it.
    const decided = (s: AlertStatus) => s === 'confirmed_fraud' || s === 'false_positive';
    let priorLabel = alert.priorLabel;
    let priorLabelSource = alert.priorLabelSource;
    if (decided(to) && !decided(alert.status)) {
      priorLabel = tx.label;
      priorLabelSource = tx.labelSource;
      await setFraudTransactionLabel(trx, tx.id, to === 'confirmed_fraud' ? 1 : 0, 'triage');
    } else if (decided(to) && to !== alert.status) {
      await setFraudTransactionLabel(trx, tx.id, to === 'confirmed_fraud' ? 1 : 0, 'triage');
    } else if (!decided(to) && decided(alert.status)) {
      await setFraudTransactionLabel(trx, tx.id, alert.priorLabel, alert.priorLabelSource);
      priorLabel = null;
      priorLabelSource = null;
    }
    const assigneeId = c.assigneeId === undefined ? alert.assigneeId : c.assigneeId;
    const updated = await updateAlertIfVersion(trx, alert.id, c.expectedVersion, {
      status: to,
      assigneeId,
      priorLabel,
      priorLabelSource,
      now,
    });
    // Unreachable on SQLite (the transaction holds the write lock since the read above) but kept for other stores.
    if (!updated) return conflict(trx, alert);
    await insertAlertHistory(trx, {
      alertId: alert.id,
      at: now,
      userId: actor.userId,
      fromStatus: alert.status,
      toStatus: to,
      assigneeId,
      note: c.note && c.note.length > 0 ? c.note : null,
      version: updated.version,
    });
    await writeAudit(trx, {
      userId: actor.userId,
      action: 'fraud.alert.change',
      objectType: 'fraud_alert',
      objectId: alert.id,
      detail: { from: alert.status, to, assigneeId, version: updated.version },
      requestId: actor.requestId ?? null,
      at: now,
    });
    return { ok: true, alert: updated, history: await listAlertHistory(trx, alert.id) };
  });
}

async function conflict(db: Db, current: FraudAlert): Promise<AlertChangeResult> {
  const history = await listAlertHistory(db, current.id);
  const last = history[history.length - 1] ?? null;
  const who = last?.userName ?? (last?.userId ? 'another user' : 'the system');
  const when = last ? new Date(last.at).toISOString().replace('T', ' ').slice(0, 16) : 'meanwhile';
  return {
    ok: false,
    error: {
      kind: 'conflict',
      message: `This alert was changed by ${who} at ${when} UTC (now ${ALERT_STATUS_LABELS[current.status].toLowerCase()}, version ${current.version}). Your change was not saved; review the alert and apply it again.`,
      current,
      lastChange: last,
    },
  };
}
