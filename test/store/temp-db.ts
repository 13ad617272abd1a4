// Test helpers: a fresh database file under the OS temp folder per test, and a logger that keeps lines in memory.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogFields, Logger } from '../../lib/log';
import { type Db, openDb } from '../../lib/store/db';

export type TempDb = { file: string; db: Db; cleanup: () => Promise<void> };

export function tempDbFile(): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'neuralfin-test-'));
  return { dir, file: path.join(dir, 'neuralfin.db') };
}

/** Opens a migrated database on a new temp file; cleanup() closes it and removes the folder. */
export function openTempDb(): TempDb {
  const { dir, file } = tempDbFile();
  const db = openDb(file);
  return {
    file,
    db,
    cleanup: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LogLine = { level: string; msg: string } & LogFields;

export function memoryLogger(lines: LogLine[] = [], bindings: LogFields = {}): Logger & { lines: LogLine[] } {
  const write = (level: string) => (msg: string, fields?: LogFields) => {
    lines.push({ ...bindings, ...fields, level, msg });
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => memoryLogger(lines, { ...bindings, ...fields }),
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
