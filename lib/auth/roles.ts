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

export const SECTIONS: { section: Section; href: string; label: string }[] = [
  { section: 'forecast', href: '/forecast', label: 'Forecast' },
  { section: 'credit', href: '/credit', label: 'Credit' },
  { section: 'fraud', href: '/fraud', label: 'Fraud' },
  { section: 'lab', href: '/lab', label: 'Lab' },
  { section: 'models', href: '/models', label: 'Models' },
  { section: 'jobs', href: '/jobs', label: 'Jobs' },
  { section: 'admin', href: '/admin', label: 'Admin' },
];
