// `npm start`: validate the configuration, migrate and seed the database, build the app if the build is missing or
// older than the sources, then run the web server and one training worker side by side.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from '../lib/config';
import { seedDemoData } from '../lib/seed';
import { closeDb, getDb } from '../lib/store/db';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const tsxBin = path.join(root, 'node_modules', '.bin', 'tsx');

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['app', 'lib']) if (existsSync(path.join(root, d))) walk(path.join(root, d));
  for (const f of ['package.json', 'next.config.js', 'proxy.ts', 'postcss.config.mjs']) {
    const p = path.join(root, f);
    if (existsSync(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (distDir !== '.next') {
    // Next writes its build folder's type paths into the tsconfig it builds with: give it a disposable one.
    const tsconfig = `${distDir}.tsconfig.json`;
    writeFileSync(path.join(root, tsconfig), JSON.stringify({ extends: './tsconfig.json' }, null, 2));
    process.env.NEXT_TSCONFIG_PATH = tsconfig;
  }
  const buildId = path.join(root, distDir, 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtime()) return;
  console.log('Building NeuralFin (next build)…');
  const r = spawnSync(nextBin, ['build'], { cwd: root, stdio: 'inherit', env: { ...process.env } });
  if (r.status !== 0) {
    console.error('next build failed; see the output above.');
    process.exit(r.status ?? 1);
  }
}

async function main(): Promise<void> {
  const cfg = config();
  const db = getDb();
  const seeded = await seedDemoData(db);
  await closeDb();
  buildIfNeeded();

  const children: ChildProcess[] = [];
  const web = spawn(nextBin, ['start', '-p', String(cfg.NEURALFIN_PORT), '-H', '0.0.0.0'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  const worker = spawn(tsxBin, ['lib/jobs/worker-main.ts'], { cwd: root, stdio: 'inherit', env: process.env });
  children.push(web, worker);

  console.log(`\nNeuralFin is starting at http://localhost:${cfg.NEURALFIN_PORT} (database ${cfg.dbPath})`);
  console.log('Demo sign-ins (change these passwords on the Admin page before real use):');
  for (const u of seeded.users) console.log(`  ${u.role.padEnd(8)} ${u.email}  password: ${u.password}`);
  console.log('Add workers with `npm run worker`. Stop with Ctrl+C.\n');

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 3000).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  for (const c of children) {
    c.on('exit', (code) => {
      if (!stopping) {
        console.error(`${c === web ? 'web server' : 'worker'} exited with code ${code}; stopping NeuralFin.`);
        stop(code ?? 1);
      }
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
