import { demoRoster } from '@banshishi/demo';
import { describe, expect, it } from 'vitest';
import { demoOfficeHolder, demoPeople } from './demo-people.js';

const options = { seed: 2021, scale: 3000 };

describe('the demo people a dev token may be issued for', () => {
  it('include the office holder, who holds the office role in the district', () => {
    const office = demoOfficeHolder(options);
    const roster = demoRoster(options);
    const district = roster.find((e) => e.unitKind === 'district')!;
    expect(office.role).toBe('office');
    expect(office.unitId).toBe(district.unitId);
    expect(roster).toContainEqual(expect.objectContaining({ personId: office.personId, role: 'office' }));
    expect(office.label).toMatch(/^office \(领导小组办公室\) · 胶州市 · \S+$/);
  });

  it('are listed once each, by distinct person ids', () => {
    const people = demoPeople(options);
    expect(people.length).toBeGreaterThan(100);
    expect(new Set(people.map((p) => p.personId)).size).toBe(people.length);
  });

  it('cover every role of the demo', () => {
    const roles = new Set(demoPeople(options).map((p) => p.role));
    expect([...roles].sort()).toEqual(
      [
        'auditor',
        'department_handler',
        'enterprise',
        'grid_worker',
        'member',
        'office',
        'resident',
        'secretary',
      ].sort(),
    );
  });

  it('are labelled by role and unit, with no name for a resident', () => {
    const roster = new Map(demoRoster(options).map((e) => [e.personId, e]));
    for (const person of demoPeople(options)) {
      const entry = roster.get(person.personId)!;
      expect(person.label.startsWith(`${person.role} (`)).toBe(true);
      expect(person.label).toContain(entry.unitName);
      if (entry.kind !== 'official') expect(person.label.split(' · ')).toHaveLength(2);
    }
  });

  it('are the same for the same seed and others for another seed', () => {
    expect(demoPeople(options)).toEqual(demoPeople(options));
    expect(demoOfficeHolder({ ...options, seed: 2022 }).personId).not.toBe(demoOfficeHolder(options).personId);
  });
});
