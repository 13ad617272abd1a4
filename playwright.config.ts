import { defineConfig } from '@playwright/test';

// Each local run gets its own port, database and build folder, so runs in parallel checkouts never collide; CI uses
// 3100. Set here once in the main process; Playwright's workers inherit the environment.
process.env.E2E_PORT ??= process.env.CI ? '3100' : String(3100 + (process.pid % 500));
const port = Number(process.env.E2E_PORT);
const db = `data/e2e-${port}.db`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
    trace: 'off',
  },
  webServer: {
    // A fresh database for every run; the start script builds the app when the build is missing or stale.
    command: `rm -f ${db} ${db}-wal ${db}-shm && tsx scripts/start.ts`,
    url: `http://127.0.0.1:${port}/signin`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEURALFIN_DB: db,
      NEXT_DIST_DIR: `.next-e2e-${port}`,
      NEURALFIN_PORT: String(port),
      NEURALFIN_WORKER_POLL_MS: '100',
    },
  },
});
