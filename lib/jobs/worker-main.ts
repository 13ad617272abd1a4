// A worker process: `npm run worker` (or `npx tsx lib/jobs/worker-main.ts`). Runs jobs from the database at
// NEURALFIN_DB until SIGINT/SIGTERM; a second signal exits at once (the stale-job scan of another worker then
// fails the job that was running).

import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { config } from '../config';
import { createLogger } from '../log';
import { setBackend } from '../nn/kernels';
import { wasmSimdSupported } from '../nn/kernels/wasm/backend';
import { createThreadedWasmBackend } from '../nn/kernels/wasm/threads';
import { closeDb, getDb } from '../store/db';
import { jobHandlers } from './handlers';
import { runWorker } from './worker';

async function main(): Promise<void> {
  const cfg = config();
  const workerId = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const log = createLogger({ workerId });
  const stopper = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopper.signal.aborted) {
      log.warn('worker.forced_exit', { signal });
      process.exit(130);
    }
    log.info('worker.stopping', { signal });
    stopper.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Kernels: WebAssembly SIMD where the runtime supports it (see test/bench/peers.bench.ts for the figures), on
  // NEURALFIN_KERNEL_THREADS threads; else the TypeScript reference.
  const threads = cfg.NEURALFIN_KERNEL_THREADS || Math.min(4, availableParallelism());
  const kernels = cfg.NEURALFIN_KERNELS === 'wasm' && wasmSimdSupported() ? 'wasm' : 'typescript';
  if (kernels === 'wasm') {
    // the shared-memory build even on one thread (helpers 0): training steps keep their tensors in wasm memory
    setBackend(createThreadedWasmBackend({ helpers: threads - 1 }).backend);
  }

  const db = getDb();
  log.info('worker.starting', { db: cfg.dbPath, pid: process.pid, kernels, threads: kernels === 'wasm' ? threads : 1 });
  await runWorker({
    db,
    handlers: jobHandlers,
    workerId,
    signal: stopper.signal,
    pollMs: cfg.NEURALFIN_WORKER_POLL_MS,
    staleJobSeconds: cfg.NEURALFIN_STALE_JOB_SECONDS,
    log: createLogger(),
  });
  await closeDb();
  // a handler that ignored the stop may still hold timers; the job's outcome is already stored
  process.exit(0);
}

main().catch((err: unknown) => {
  createLogger().error('worker.crashed', { err });
  process.exit(1);
});
