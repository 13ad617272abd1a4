// First-start seeding: demo users (one per role) and the bundled sample data, each added only when missing.

import { hashPassword } from './auth/password';
import type { Role } from './auth/roles';
import { seedCreditSample } from './credit/sample';
import { seedPriceSamples } from './data/samples';
import type { Db } from './store/db';
import { writeAudit } from './store/repos/audit';
import { createUser, getUserByEmail } from './store/repos/users';

export const DEMO_USERS: { email: string; name: string; role: Role; password: string }[] = [
  { email: 'admin@neuralfin.local', name: 'Ada Admin', role: 'admin', password: 'neuralfin-admin' },
  { email: 'analyst@neuralfin.local', name: 'Ann Analyst', role: 'analyst', password: 'neuralfin-analyst' },
  { email: 'risk@neuralfin.local', name: 'Rick Risk', role: 'risk', password: 'neuralfin-risk' },
  { email: 'fraud@neuralfin.local', name: 'Fran Fraud', role: 'fraud', password: 'neuralfin-fraud' },
];

export type SeedReport = { users: typeof DEMO_USERS; created: string[] };

/** Idempotent: running it again adds nothing that exists (users are matched by e-mail). */
export async function seedDemoData(db: Db): Promise<SeedReport> {
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    if (await getUserByEmail(db, u.email)) continue;
    const user = await createUser(db, {
      email: u.email,
      name: u.name,
      role: u.role,
      passwordHash: await hashPassword(u.password),
    });
    await writeAudit(db, { userId: null, action: 'user.seed', objectType: 'user', objectId: user.id });
    created.push(u.email);
  }
  created.push(...(await seedPriceSamples(db)));
  created.push(...(await seedCreditSample(db)));
  return { users: DEMO_USERS, created };
}
