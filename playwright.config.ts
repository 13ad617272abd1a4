import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);

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
    command: 'rm -f data/e2e.db data/e2e.db-wal data/e2e.db-shm && tsx scripts/start.ts',
    url: `http://127.0.0.1:${port}/signin`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEURALFIN_DB: 'data/e2e.db',
      NEURALFIN_PORT: String(port),
      NEURALFIN_WORKER_POLL_MS: '100',
    },
  },
});
