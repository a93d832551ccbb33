// A DirectoryView over plain lists of units and role holdings. The directory's folded state is turned
// into one of these; tests and embedding apps with their own directory can build one directly.
import type { DirectoryRole, DirectoryView, PersonInfo, RoleHolding, UnitInfo } from './view.js';

export interface DirectorySnapshot {
  readonly units: readonly UnitInfo[];
  readonly holdings: readonly (RoleHolding & { readonly personId: string })[];
  /** People known to the directory; anyone holding a role is known and active unless listed otherwise. */
  readonly people?: readonly PersonInfo[];
}

export const directoryViewOf = (snapshot: DirectorySnapshot): DirectoryView => {
  const units = new Map(snapshot.units.map((u) => [u.unitId, u]));
  const people = new Map<string, PersonInfo>();
  const roles = new Map<string, RoleHolding[]>();
  for (const h of snapshot.holdings) {
    people.set(h.personId, { personId: h.personId, active: true });
    const list = roles.get(h.personId) ?? [];
    list.push({ role: h.role, unitId: h.unitId, since: h.since });
    roles.set(h.personId, list);
  }
  for (const p of snapshot.people ?? []) people.set(p.personId, p);

  const ancestry = (unitId: string): UnitInfo[] => {
    const out: UnitInfo[] = [];
    const seen = new Set<string>();
    let current = units.get(unitId);
    while (current !== undefined && !seen.has(current.unitId)) {
      out.push(current);
      seen.add(current.unitId);
      current = current.parentId === null ? undefined : units.get(current.parentId);
    }
    return out;
  };

  return {
    unit: (unitId) => units.get(unitId),
    ancestry,
    isWithin: (unitId, ancestorId) => ancestry(unitId).some((u) => u.unitId === ancestorId),
    person: (personId) => people.get(personId),
    rolesOf: (personId) => (people.get(personId)?.active === false ? [] : (roles.get(personId) ?? [])),
  };
};

/** True when the person holds `role` now, in `unitId` or (with `orAncestor`) in an ancestor of it. */
export const holdsRole = (
  directory: DirectoryView,
  personId: string,
  role: DirectoryRole,
  unitId?: string,
  orAncestor = false,
): boolean =>
  directory
    .rolesOf(personId)
    .some(
      (h) =>
        h.role === role &&
        (unitId === undefined || h.unitId === unitId || (orAncestor && directory.isWithin(unitId, h.unitId))),
    );
