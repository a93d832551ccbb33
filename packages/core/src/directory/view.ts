// The read-only picture of the directory that deciders consult for authorisation. Built by folding the
// directory's event streams (see directory/decider.ts and directory/view-builder.ts); deciders only see
// this interface, so tests can hand them a small directory.

/** Four levels (seed 003): 区 → 街镇 or 部门 → 社区/村居 → 网格. */
export const unitKinds = ['district', 'street', 'department', 'community', 'grid'] as const;
export type UnitKind = (typeof unitKinds)[number];

export const levelOf = (kind: UnitKind): 1 | 2 | 3 | 4 =>
  kind === 'district' ? 1 : kind === 'street' || kind === 'department' ? 2 : kind === 'community' ? 3 : 4;

export interface UnitInfo {
  readonly unitId: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly parentId: string | null;
  /** A retired unit stays in the directory, so old items keep their place, but takes nothing new. */
  readonly retired?: boolean;
}

/** Roles a person holds in the directory (an Actor's role may also be `system`). */
export const directoryRoles = [
  'resident',
  'enterprise',
  'grid_worker',
  'member',
  'secretary',
  'department_handler',
  'office',
  'auditor',
] as const;
export type DirectoryRole = (typeof directoryRoles)[number];

export interface RoleHolding {
  readonly role: DirectoryRole;
  /**
   * The unit the role is held in: for a secretary the unit they lead, for a member their home district
   * (分区), for a department handler their department, for a resident the unit they live in.
   */
  readonly unitId: string;
  readonly since: string;
}

export interface PersonInfo {
  readonly personId: string;
  readonly active: boolean;
}

export interface DirectoryView {
  unit(unitId: string): UnitInfo | undefined;
  /** The unit and its ancestors, nearest first; empty if the unit is unknown. */
  ancestry(unitId: string): readonly UnitInfo[];
  /** True when `unitId` is `ancestorId` or lies below it. */
  isWithin(unitId: string, ancestorId: string): boolean;
  person(personId: string): PersonInfo | undefined;
  /** Roles the person holds now (roles ended are not listed). */
  rolesOf(personId: string): readonly RoleHolding[];
}
