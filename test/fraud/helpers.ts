// Shared fixtures of the fraud tests: the real-data folder, small simulations and in-memory simulated columns.

import type { FeatureInput } from '../../lib/fraud/features';
import { SIMULATOR_PRESETS, type SimulatorConfig, TransactionSimulator } from '../../lib/fraud/simulator';
import { dataDir as sharedDataDir } from '../helpers/data-dir';

/** $NEURALFIN_DATA_DIR, or ../shared/data beside the repository; fails loudly (never skips) when neither exists. */
export function dataDir(): string {
  return sharedDataDir('The ULB tests read $NEURALFIN_DATA_DIR/creditcard_fraud_ulb/creditcard_sample.csv');
}

/** A simulation small enough for unit tests (~2,700 transactions over 20 days, ~2 % fraud). */
export const TINY: Partial<SimulatorConfig> = {
  seed: 7,
  customers: 100,
  terminals: 200,
  days: 20,
  compromisedTerminalsPerDay: 0.15,
  compromisedCardsPerDay: 0.2,
};

/** Simulated days as feature-input columns (labels from the scenarios), plus the day of each row. */
export function simulatedColumns(cfg: Partial<SimulatorConfig>, days: number): FeatureInput & { day: Int32Array } {
  const sim = new TransactionSimulator({ ...SIMULATOR_PRESETS.small, ...cfg });
  const parts = Array.from({ length: days }, (_, d) => sim.day(d));
  const n = parts.reduce((s, p) => s + p.n, 0);
  const out = {
    n,
    ts: new Float64Array(n),
    customer: new Int32Array(n),
    terminal: new Int32Array(n),
    amount: new Float64Array(n),
    label: new Int8Array(n),
    day: new Int32Array(n),
  };
  let at = 0;
  for (const p of parts) {
    out.ts.set(p.ts, at);
    out.customer.set(p.customer, at);
    out.terminal.set(p.terminal, at);
    out.amount.set(p.amount, at);
    for (let i = 0; i < p.n; i++) {
      out.label[at + i] = p.scenario[i] > 0 ? 1 : 0;
      out.day[at + i] = p.day;
    }
    at += p.n;
  }
  return out;
}
