// The demo people a dev token may be issued for, worked out from the demo's seed and scale: the main job
// holds the embedded database (a PGlite folder has one user), so this never opens it. A label says the
// role and the unit, and an official's name; never a resident's name or phone.
import type { DirectoryRole } from '@banshishi/core';
import { type DemoRosterEntry, demoRoster } from '@banshishi/demo';

export interface DemoPerson {
  readonly personId: string;
  readonly role: DirectoryRole;
  readonly unitId: string;
  readonly label: string;
}

export interface DemoPeopleOptions {
  readonly seed: number;
  readonly scale: number;
}

/** As docs/domain.md names the roles. */
const roleLabels: Readonly<Record<DirectoryRole, string>> = {
  office: '领导小组办公室',
  auditor: '纪检、督查',
  secretary: '党组织书记',
  department_handler: '部门承办人',
  grid_worker: '网格员',
  member: '党员',
  resident: '居民',
  enterprise: '企业',
};

const labelOf = (entry: DemoRosterEntry): string =>
  [`${entry.role} (${roleLabels[entry.role]})`, entry.unitName, entry.officialName].filter(Boolean).join(' · ');

export const demoPeople = (options: DemoPeopleOptions): readonly DemoPerson[] =>
  demoRoster({ seed: options.seed, scale: options.scale }).map((entry) => ({
    personId: entry.personId,
    role: entry.role,
    unitId: entry.unitId,
    label: labelOf(entry),
  }));

/** The office's dispatcher (领导小组办公室), who routes and supervises: the main job prints a token for them. */
export const demoOfficeHolder = (options: DemoPeopleOptions): DemoPerson => {
  const office = demoPeople(options).find((p) => p.role === 'office');
  if (office === undefined) throw new Error(`the demo for seed ${options.seed} has no office holder`);
  return office;
};
