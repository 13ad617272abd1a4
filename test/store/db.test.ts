import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/store/db';
import { MIGRATION_NAMES } from '../../lib/store/migrations';
import { tempDbFile } from './temp-db';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): string {
  const { dir, file } = tempDbFile();
  dirs.push(dir);
  return file;
}

function tableNames(file: string): string[] {
  const raw = new SQLite(file, { readonly: true });
  try {
    const rows = raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
      name: string;
    }[];
    return rows.map((r) => r.name);
  } finally {
    raw.close();
  }
}

describe('openDb', () => {
  it('migrates an empty file to the latest schema', async () => {
    const file = fresh();
    const db = openDb(file);
    const applied = await db
      .selectFrom('kysely_migration' as never)
      .select(sql<string>`name`.as('name'))
      .execute();
    expect(applied.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
    await db.destroy();
    expect(tableNames(file)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'audit_log', 'datasets', 'jobs', 'job_progress', 'models']),
    );
  });

  it('is idempotent: reopening applies nothing and keeps data', async () => {
    const file = fresh();
    const first = openDb(file);
    await first
      .insertInto('users')
      .values({ id: 'u1', email: 'a@b.c', name: 'A', role: 'admin', password_hash: 'x', disabled: 0, created_at: 1 })
      .execute();
    await first.destroy();
    const second = openDb(file);
    const { n } = await second
      .selectFrom('kysely_migration' as never)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBe(MIGRATION_NAMES.length);
    expect(await second.selectFrom('users').select('id').execute()).toEqual([{ id: 'u1' }]);
    await second.destroy();
  });

  it('turns on WAL, foreign keys and a busy timeout', async () => {
    const file = fresh();
    const db = openDb(file);
    const pragma = async (name: string) => {
      const r = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db);
      return Object.values(r.rows[0])[0];
    };
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    await expect(
      db
        .insertInto('sessions')
        .values({ id: 's', user_id: 'nobody', created_at: 1, expires_at: 2, last_seen_at: 1 })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
    await db.destroy();
  });

  it('enforces the role and status check constraints', async () => {
    const file = fresh();
    const db = openDb(file);
    await expect(
      db
        .insertInto('users')
        .values({ id: 'u', email: 'x@y.z', name: 'X', role: 'root', password_hash: 'h', disabled: 0, created_at: 1 })
        .execute(),
    ).rejects.toThrow(/CHECK/);
    await expect(
      db
        .insertInto('jobs')
        .values({
          id: 'j',
          kind: 'demo',
          status: 'paused',
          payload: '{}',
          progress: null,
          result: null,
          error: null,
          created_by: null,
          created_at: 1,
          started_at: null,
          finished_at: null,
          heartbeat_at: null,
          worker_id: null,
          attempts: 0,
          cancel_requested: 0,
        })
        .execute(),
    ).rejects.toThrow(/CHECK/);
    await db.destroy();
  });

  it('lets several processes migrate the same new file at once', async () => {
    const file = fresh();
    // each process opens the new file and queries, racing the others to create and migrate it
    const script = `
      const mod = await import(${JSON.stringify(path.resolve('lib/store/db.ts'))});
      const { openDb } = mod.openDb ? mod : mod.default;
      const db = openDb(process.env.NEURALFIN_TEST_DB);
      await db.selectFrom('jobs').selectAll().execute();
      await db.destroy();
    `;
    const runs = Array.from(
      { length: 3 },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            env: { ...process.env, NEURALFIN_TEST_DB: file },
          });
          let stderr = '';
          child.stderr.on('data', (d) => {
            stderr += d;
          });
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
    );
    for (const r of await Promise.all(runs)) expect(r).toEqual({ code: 0, stderr: '' });
    expect(tableNames(file)).toContain('jobs');
  });
});
