// Who the demo's directory holds at the campaign's start — every person with the role and unit they are
// granted — worked out from the seed and scale alone, without generating or storing a single event: a
// process that cannot open the demo's database (a PGlite folder has one user) can still name its people.
import type { DirectoryRole, PersonKind, UnitKind } from '@banshishi/core';
import { type DemoOptions, resolveDemoOptions } from './options.js';
import type { OrgPerson } from './organisation.js';
import { createPlanningContext } from './planning.js';

export interface DemoRosterEntry {
  readonly personId: string;
  readonly kind: PersonKind;
  readonly role: DirectoryRole;
  readonly unitId: string;
  readonly unitName: string;
  readonly unitKind: UnitKind;
  /** Officials only: a resident's or a member's name is personal data and stays out of the roster. */
  readonly officialName?: string;
}

const entryOf = (p: OrgPerson): DemoRosterEntry => ({
  personId: p.personId,
  kind: p.kind,
  role: p.role,
  unitId: p.unit.unitId,
  unitName: p.unit.name,
  unitKind: p.unit.kind,
  ...(p.kind === 'official' ? { officialName: p.name } : {}),
});

/**
 * The planned organisation's people, in the order the script registers them (the office's dispatcher
 * first, then the assessor). The same draws as `demoScript` makes first, so the ids are the seeded
 * history's. Not listed: the few community secretaries registered mid-campaign at 换届, whose
 * predecessors stay listed though their role is revoked then.
 */
export const demoRoster = (options: DemoOptions = {}): readonly DemoRosterEntry[] => {
  const { org } = createPlanningContext(resolveDemoOptions(options));
  return [
    org.dispatcher,
    org.assessor,
    org.auditor,
    ...org.secretaries,
    ...org.handlers,
    ...org.gridWorkers,
    ...org.members,
    ...org.residents,
    ...org.enterprises,
  ].map(entryOf);
};
