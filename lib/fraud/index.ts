// The fraud workflow's public API for pages, server actions and route handlers: datasets (simulate via the
// 'fraud.simulate' job, import the ULB sample), training (the 'fraud.train' job) and its report, scoring and
// ingestion, alerts and triage. Everything returned is plain serialisable data.

export {
  FRAUD_SIMULATE_JOB_KIND,
  FRAUD_TRAIN_JOB_KIND,
  type FraudSimulatePayload,
  type FraudSimulateResult,
  fraudSimulatePayloadSchema,
} from '../jobs/fraud';
export {
  type FraudDataset,
  type FraudRun,
  getFraudDataset,
  getFraudRunResult,
  listFraudDatasets,
  listFraudRuns,
} from '../store/repos/fraud';
export { type AlertPolicy, type AlertPolicyInput, alertPolicySchema } from './alerts';
export { type FraudDashboard, fraudDashboard } from './dashboard';
export {
  importUlbSample,
  simulateLiveTransactions,
  type TransactionInput,
  ULB_SAMPLE_NOTE,
  type UlbImportResult,
} from './datasets';
export { FEATURE_LABELS, HANDBOOK_FEATURES, ULB_FEATURES } from './features';
export { METRIC_DEFINITIONS } from './metrics';
export { type FraudModelManifest, loadFraudScorer } from './model-store';
export { IMBALANCE_STRATEGIES, type ImbalanceStrategy, STRATEGY_LABELS } from './models';
export {
  type FieldError,
  type IngestResult,
  ingestTransactions,
  type ScoreDriver,
  type ScoreResult,
  scoreTransactions,
} from './scoring';
export { SIMULATOR_PRESETS, type SimulationStats, type SimulatorConfig } from './simulator';
export {
  type FraudTrainConfig,
  type FraudTrainInput,
  type FraudTrainingReport,
  fraudTrainConfigSchema,
  type ModelResult,
  type TrainProgress,
} from './training';
export {
  ALERT_STATUS_LABELS,
  ALERT_STATUSES,
  ALERT_TRANSITIONS,
  type AlertChangeInput,
  type AlertChangeResult,
  type AlertDetail,
  type AlertQueueItem,
  type AlertStatus,
  alertChangeSchema,
  alertDetail,
  alertQueue,
  alertQueueFilterSchema,
  changeAlert,
} from './triage';
