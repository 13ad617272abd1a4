// Users: accounts that sign in, with one role each. E-mail addresses are compared lower-cased and trimmed.

import type { Kysely, Selectable } from 'kysely';
import type { Role } from '../../auth/roles';
import type { Database, UsersTable } from '../schema';
import { fromFlag, newId, toFlag } from '../values';

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  /** ms since epoch */
  createdAt: number;
};

export type NewUser = {
  id?: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled?: boolean;
  createdAt?: number;
};

export type UserPatch = Partial<Pick<User, 'email' | 'name' | 'role' | 'passwordHash' | 'disabled'>>;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Row → domain; also used by joins in other repositories. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    passwordHash: row.password_hash,
    disabled: fromFlag(row.disabled),
    createdAt: Number(row.created_at),
  };
}

/** Inserts a user; a taken e-mail throws (check with isUniqueViolation from lib/store/values). */
export async function createUser(db: Kysely<Database>, input: NewUser): Promise<User> {
  const row = {
    id: input.id ?? newId(),
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    disabled: toFlag(input.disabled ?? false),
    created_at: input.createdAt ?? Date.now(),
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function getUserById(db: Kysely<Database>, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function getUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row && toUser(row);
}

/** All users, by e-mail. */
export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Applies `patch`; returns the updated user, or undefined when there is no such user. */
export async function updateUser(db: Kysely<Database>, id: string, patch: UserPatch): Promise<User | undefined> {
  const set: Partial<Selectable<UsersTable>> = {};
  if (patch.email !== undefined) set.email = normalizeEmail(patch.email);
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
  if (patch.disabled !== undefined) set.disabled = toFlag(patch.disabled);
  if (Object.keys(set).length > 0) await db.updateTable('users').set(set).where('id', '=', id).execute();
  return getUserById(db, id);
}
