// Conversions between domain values and storage values (JSON text, 0/1 flags, ids), shared by the repositories.

import { randomUUID } from 'node:crypto';

/** A new primary key. */
export function newId(): string {
  return randomUUID();
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T = unknown>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number | bigint | boolean): boolean {
  return Number(value) !== 0;
}

/** True when `err` is a unique-constraint violation (SQLite or PostgreSQL), e.g. an e-mail that is already taken. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
