// Fraud benchmark: simulator throughput (transactions/s generated, and generated + stored in SQLite one day per
// database transaction) at the Handbook's size (5,000 customers, 10,000 terminals), and batch scoring throughput of
// the trained feed-forward net including feature lookup (transactions/s) for one day of new transactions (~9,700):
//   end to end  — validation, id checks, history read from the store, features, scores (scoreTransactions);
//   ingest      — the same plus storing rows, scores and alerts in one transaction (ingestTransactions);
//   in memory   — history already in memory: features + scores only;
//   model only  — scores of precomputed features;
// the last two on the TypeScript kernels and on the WebAssembly SIMD kernels the worker uses by default.
// Prints medians; asserts nothing. Target for scoring: ≥ 1M transactions/s once the fast kernels land.
// Run: npx tsx test/bench/fraud.bench.ts [--quick]

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulateFraudDataset, simulateLiveTransactions } from '@/lib/fraud/datasets';
import { handbookFeaturesForNewRows } from '@/lib/fraud/features';
import { loadFraudScorer } from '@/lib/fraud/model-store';
import { ingestTransactions, loadHistoryFor, scoreTransactions } from '@/lib/fraud/scoring';
import { HANDBOOK_SIMULATOR_CONFIG, TransactionSimulator } from '@/lib/fraud/simulator';
import { trainFraudModels } from '@/lib/fraud/training';
import { setBackend, typescriptBackend } from '@/lib/nn/kernels';
import { createWasmBackendSync, wasmSimdSupported } from '@/lib/nn/kernels/wasm/backend';
import { openDb } from '@/lib/store/db';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 3 : 5;
const STORED_DAYS = QUICK ? 8 : 12;

const fmt = (v: number) => Math.round(v).toLocaleString('en-US');

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'neuralfin-fraud-bench-'));
  const db = openDb(path.join(dir, 'bench.db'));
  try {
    // Simulator, generation only.
    const sim = new TransactionSimulator({ ...HANDBOOK_SIMULATOR_CONFIG, seed: 11 });
    const gen: number[] = [];
    for (let d = 0; d < RUNS; d++) {
      const r = await timed(() => sim.day(d));
      gen.push(r.value.n / (r.ms / 1000));
    }
    console.log(
      `simulator, generate only (5,000 customers, 10,000 terminals): ${fmt(median(gen))} transactions/s (median of ${RUNS} days)`,
    );

    // Simulator, generated and stored.
    const stored = await timed(() =>
      simulateFraudDataset(db, { preset: 'default', config: { seed: 11, days: STORED_DAYS }, createdBy: null }),
    );
    const { stats, dataset } = stored.value;
    console.log(
      `simulator, generate + store (SQLite, one transaction per day): ${fmt(stats.transactions / (stored.ms / 1000))} transactions/s ` +
        `(${fmt(stats.transactions)} transactions in ${STORED_DAYS} days, ${(stored.ms / 1000).toFixed(1)} s incl. profiles; fraud rate ${(100 * stats.fraudRate).toFixed(2)} %)`,
    );

    // A trained feed-forward net to score with.
    const trained = await timed(() =>
      trainFraudModels(
        db,
        {
          datasetId: dataset.id,
          trainDays: 3,
          delayDays: 2,
          testDays: 2,
          hiddenCandidates: [[64, 32]],
          strategies: ['classWeights'],
          seeds: 1,
          epochs: 1,
          batchSize: 256,
          alerts: null,
        },
        { createdBy: null },
      ),
    );
    const modelId = trained.value.modelId;
    const scorer = await loadFraudScorer(db, modelId);
    console.log(`(trained a 15 → 64 → 32 → 1 net for the scoring runs in ${(trained.ms / 1000).toFixed(1)} s)`);

    // One new day of transactions (the day after the stored history).
    const { transactions } = await simulateLiveTransactions(db, dataset.id, { fromDay: STORED_DAYS, days: 1 });
    const n = transactions.length;
    const now = Date.UTC(2030, 0, 1);

    const e2e: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = await timed(() => scoreTransactions(db, { modelId, transactions, now }));
      if (!t.value.ok) throw new Error(JSON.stringify(t.value.errors.slice(0, 3)));
      e2e.push(n / (t.ms / 1000));
    }
    console.log(
      `batch scoring, end to end incl. feature lookup from the store: ${fmt(median(e2e))} transactions/s (batches of ${fmt(n)})`,
    );

    const rows = transactions.map((x, row) => ({
      row,
      txId: x.txId,
      customerId: x.customerId,
      terminalId: x.terminalId,
      ts: Date.parse(x.timestamp),
      amount: x.amount,
    }));
    const history = await loadHistoryFor(db, dataset.id, rows, scorer.manifest.delayDays);
    const fresh = {
      n,
      ts: Float64Array.from(rows, (r) => r.ts),
      customer: Int32Array.from(rows, (r) => r.customerId),
      terminal: Int32Array.from(rows, (r) => r.terminalId),
      amount: Float64Array.from(rows, (r) => r.amount),
    };
    // Features + scores with the history in memory, and scores alone, on each kernel backend the worker can use.
    const backends: [string, () => void][] = [['TypeScript kernels', () => setBackend(typescriptBackend)]];
    if (wasmSimdSupported()) backends.push(['WebAssembly SIMD kernels', () => setBackend(createWasmBackendSync())]);
    for (const [label, install] of backends) {
      install();
      const mem: number[] = [];
      const modelOnly: number[] = [];
      let x: Float32Array = new Float32Array(0);
      for (let r = 0; r < RUNS; r++) {
        const t = await timed(() => {
          x = handbookFeaturesForNewRows(history, fresh, { delayDays: scorer.manifest.delayDays });
          return scorer.score(x, n);
        });
        mem.push(n / (t.ms / 1000));
        const m = await timed(() => scorer.score(x, n));
        modelOnly.push(n / (m.ms / 1000));
      }
      console.log(
        `batch scoring, ${label}, history in memory (${fmt(history.n)} history rows): ${fmt(median(mem))} transactions/s; model only: ${fmt(median(modelOnly))} transactions/s (target ≥ 1,000,000)`,
      );
    }
    setBackend(typescriptBackend);

    const ing = await timed(() =>
      ingestTransactions(db, { modelId, transactions, policy: { mode: 'topK', perDay: 100 }, userId: null, now }),
    );
    if (!ing.value.ok) throw new Error('ingest failed');
    console.log(
      `ingest (validate, features, score, store rows + scores, top-100 alerts, one transaction): ${fmt(n / (ing.ms / 1000))} transactions/s (${ing.value.alertsCreated} alerts)`,
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
