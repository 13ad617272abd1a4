// Every environment variable NeuralFin reads, parsed and validated in one place at start-up.

import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  NEURALFIN_DB: z.string().min(1).default('data/neuralfin.db'),
  NEURALFIN_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NEURALFIN_SESSION_DAYS: z.coerce.number().positive().max(90).default(7),
  NEURALFIN_STALE_JOB_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  NEURALFIN_WORKER_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
  NEURALFIN_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  NEURALFIN_DATA_DIR: z.string().optional(),
  NEURALFIN_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Numeric kernels the training worker uses: WebAssembly SIMD (default, measured faster) or the TypeScript reference. */
  NEURALFIN_KERNELS: z.enum(['wasm', 'typescript']).default('wasm'),
  /**
   * Threads a training worker's wasm kernels use (the worker's own plus helpers sharing its memory); 0 = one per CPU,
   * at most 4. Large products and the batch rows of LSTM sequences are split between them.
   */
  NEURALFIN_KERNEL_THREADS: z.coerce.number().int().min(0).max(16).default(0),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Config = z.infer<typeof schema> & { dbPath: string };

let cached: Config | null = null;

/** The validated configuration; throws one message listing every bad variable. */
export function config(): Config {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid NeuralFin configuration:\n${lines.join('\n')}`);
  }
  const dbPath = parsed.data.NEURALFIN_DB === ':memory:' ? ':memory:' : path.resolve(parsed.data.NEURALFIN_DB);
  cached = { ...parsed.data, dbPath };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = null;
}
