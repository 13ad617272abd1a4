import { describe, expect, it } from 'vitest';
import { canAccess, canAccessModel, isSection, modelSection, ROLES, type Role } from '../../lib/auth/roles';

describe('roles', () => {
  it('gives each area to its team and admin, and the shared sections to everyone', () => {
    expect(ROLES.filter((r) => canAccess(r, 'forecast'))).toEqual(['analyst', 'admin']);
    expect(ROLES.filter((r) => canAccess(r, 'credit'))).toEqual(['risk', 'admin']);
    expect(ROLES.filter((r) => canAccess(r, 'fraud'))).toEqual(['fraud', 'admin']);
    expect(ROLES.filter((r) => canAccess(r, 'admin'))).toEqual(['admin']);
    for (const s of ['lab', 'models', 'jobs'] as const) expect(ROLES.every((r) => canAccess(r, s))).toBe(true);
  });

  it('knows its sections and nothing else', () => {
    expect(isSection('credit')).toBe(true);
    expect(isSection('toString')).toBe(false);
    expect(isSection('<b>all</b>')).toBe(false);
    expect(isSection(undefined)).toBe(false);
  });
});

describe('model files', () => {
  const allowed = (kind: string) => ROLES.filter((r: Role) => canAccessModel(r, kind));

  it('are readable only by the roles of the model’s area', () => {
    expect(modelSection('credit')).toBe('credit');
    expect(allowed('credit')).toEqual(['risk', 'admin']);
    expect(allowed('forecast')).toEqual(['analyst', 'admin']);
    expect(allowed('fraud')).toEqual(['fraud', 'admin']);
    expect(allowed('lab')).toEqual([...ROLES]);
  });

  it('of a kind that belongs to no area are for administrators only', () => {
    expect(modelSection('demo')).toBe('admin');
    expect(allowed('demo')).toEqual(['admin']);
    expect(allowed('')).toEqual(['admin']);
  });
});
