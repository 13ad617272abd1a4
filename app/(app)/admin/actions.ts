'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import { ROLES } from '@/lib/auth/roles';
import { getDb } from '@/lib/store/db';
import { withAudit } from '@/lib/store/repos/audit';
import { deleteUserSessions } from '@/lib/store/repos/sessions';
import { createUser, getUserByEmail, getUserById, updateUser } from '@/lib/store/repos/users';
import { isUniqueViolation } from '@/lib/store/values';
import { defineAction, UserError } from '../../_server/guard';

const password = z.string().superRefine((v, ctx) => {
  const problem = passwordProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const addUser = defineAction(
  'admin',
  z.object({
    email: z.string().trim().toLowerCase().email('Enter a valid e-mail address.'),
    name: z.string().trim().min(1, 'Enter a name.').max(100, 'Name must be at most 100 characters.'),
    role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}.` }),
    password,
  }),
  async (input, { user, requestId }) => {
    const db = getDb();
    if (await getUserByEmail(db, input.email)) throw new UserError(`A user with e-mail ${input.email} already exists.`);
    const passwordHash = await hashPassword(input.password);
    const created = await withAudit(
      db,
      (trx) => createUser(trx, { email: input.email, name: input.name, role: input.role, passwordHash }),
      (u) => ({
        userId: user.id,
        action: 'user.create',
        objectType: 'user',
        objectId: u.id,
        detail: { email: u.email, role: u.role },
        requestId,
      }),
    ).catch((err: unknown) => {
      // the same e-mail added at the same moment by another request
      if (isUniqueViolation(err)) throw new UserError(`A user with e-mail ${input.email} already exists.`);
      throw err;
    });
    revalidatePath('/admin');
    return { id: created.id };
  },
);

export const resetPassword = defineAction(
  'admin',
  z.object({ id: z.string().min(1), password }),
  async ({ id, password: pw }, { user, requestId }) => {
    const db = getDb();
    const target = await getUserById(db, id);
    if (!target) throw new UserError('That user does not exist.');
    const passwordHash = await hashPassword(pw);
    await withAudit(
      db,
      async (trx) => {
        await updateUser(trx, id, { passwordHash });
        // sign the user out everywhere: the old password's sessions end
        await deleteUserSessions(trx, id);
      },
      { userId: user.id, action: 'user.reset_password', objectType: 'user', objectId: id, requestId },
    );
    return { id };
  },
);

export const setUserDisabled = defineAction(
  'admin',
  z.object({ id: z.string().min(1), disabled: z.boolean() }),
  async ({ id, disabled }, { user, requestId }) => {
    if (id === user.id) throw new UserError('You cannot disable your own account.');
    const db = getDb();
    if (!(await getUserById(db, id))) throw new UserError('That user does not exist.');
    await withAudit(
      db,
      async (trx) => {
        await updateUser(trx, id, { disabled });
        if (disabled) await deleteUserSessions(trx, id);
      },
      {
        userId: user.id,
        action: disabled ? 'user.disable' : 'user.enable',
        objectType: 'user',
        objectId: id,
        requestId,
      },
    );
    revalidatePath('/admin');
    return { id };
  },
);
