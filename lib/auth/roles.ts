// Roles and which sections of the app each may use: one table, read by every page, action and route guard.

export const ROLES = ['analyst', 'risk', 'fraud', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Section = 'forecast' | 'credit' | 'fraud' | 'lab' | 'models' | 'jobs' | 'admin';

const ACCESS: Record<Section, readonly Role[]> = {
  forecast: ['analyst', 'admin'],
  credit: ['risk', 'admin'],
  fraud: ['fraud', 'admin'],
  lab: ROLES,
  models: ROLES,
  jobs: ROLES,
  admin: ['admin'],
};

export function canAccess(role: Role, section: Section): boolean {
  return ACCESS[section].includes(role);
}

export function isSection(value: unknown): value is Section {
  return typeof value === 'string' && Object.hasOwn(ACCESS, value);
}

/**
 * The section whose data a stored model belongs to, from the models row's kind: a credit model is credit data, and
 * so on. The Models page lists every model to every role, but a model's file is readable only by the roles of its
 * area; a kind that belongs to no area is for administrators only.
 */
export function modelSection(kind: string): Section {
  switch (kind) {
    case 'forecast':
    case 'credit':
    case 'fraud':
    case 'lab':
      return kind;
    default:
      return 'admin';
  }
}

/** Whether `role` may read the file (weights and manifest) of a model of this kind. */
export function canAccessModel(role: Role, kind: string): boolean {
  return canAccess(role, modelSection(kind));
}

export const SECTIONS: { section: Section; href: string; label: string }[] = [
  { section: 'forecast', href: '/forecast', label: 'Forecast' },
  { section: 'credit', href: '/credit', label: 'Credit' },
  { section: 'fraud', href: '/fraud', label: 'Fraud' },
  { section: 'lab', href: '/lab', label: 'Lab' },
  { section: 'models', href: '/models', label: 'Models' },
  { section: 'jobs', href: '/jobs', label: 'Jobs' },
  { section: 'admin', href: '/admin', label: 'Admin' },
];
