// The directory's deciders: units (区 → 街镇/部门 → 社区/村居 → 网格) and people with their roles. Each
// decider sees only its own stream; whether a parent unit exists, which kind a unit is and who holds the
// office come from `context.directory`, as the directory stood when the command was handled.
import * as E from 'fp-ts/lib/Either.js';
import type { CommandMetadata, Decider, DecisionContext } from '../decider.js';
import type { DomainError } from '../errors.js';
import type { GrantRole, PersonCommand, UnitCommand } from './commands.js';
import { type AuthorityRules, directoryRules, directoryErrors as errors } from './errors.js';
import type { PersonEvent, PersonKind, UnitEvent } from './events.js';
import {
  type DirectoryRole,
  type DirectoryView,
  type RoleHolding,
  type UnitInfo,
  type UnitKind,
  unitKinds,
} from './view.js';

// ── the rules of the hierarchy and of roles, as data ─────────────────────────────────────────

/** The kind a unit's parent must be: exactly one level up (seed 003). A district is the top. */
export const parentKindOf = (kind: UnitKind): UnitKind | null =>
  kind === 'district'
    ? null
    : kind === 'street' || kind === 'department'
      ? 'district'
      : kind === 'community'
        ? 'street'
        : 'community';

/** Where each role is held: the unit kinds it may be granted in. */
export const roleUnitKinds: Readonly<Record<DirectoryRole, readonly UnitKind[]>> = {
  resident: ['community', 'grid'],
  enterprise: ['street', 'community', 'grid'],
  grid_worker: ['grid'],
  // 分区认领: a member's unit is their home district, which bounds the wishes they may claim.
  member: ['district'],
  // 党组织书记 lead party organisations at every level, grids (网格党支部) included.
  secretary: unitKinds,
  department_handler: ['department'],
  // 领导小组办公室 and the auditors (纪检, 督查) work at district level.
  office: ['district'],
  auditor: ['district'],
};

/** Who may hold each role. A party member may be an ordinary resident; the working roles are officials'. */
export const rolePersonKinds: Readonly<Record<DirectoryRole, readonly PersonKind[]>> = {
  resident: ['resident'],
  enterprise: ['enterprise'],
  member: ['resident', 'official'],
  grid_worker: ['official'],
  secretary: ['official'],
  department_handler: ['official'],
  office: ['official'],
  auditor: ['official'],
};

/** Roles held in one unit at a time: where one lives, where an enterprise sits, a member's home district. */
export const singleUnitRoles: readonly DirectoryRole[] = ['resident', 'enterprise', 'member'];

// ── who may change the directory ─────────────────────────────────────────────────────────────

/** `system` (bootstrap, imports) may do anything; an office holder acts within their district(s). */
export type Authority =
  | { readonly by: 'system' }
  | { readonly by: 'office'; readonly personId: string; readonly districts: readonly string[] };

/**
 * The actor must act as `system`, or as `office` while holding the office role in the directory (in the
 * district named by `actor.unitId`, when given). The role claimed in the metadata is never trusted alone.
 */
export const officeAuthority = (
  metadata: CommandMetadata,
  directory: DirectoryView,
  rules: AuthorityRules = directoryRules,
): E.Either<DomainError, Authority> => {
  const { actor } = metadata;
  if (actor.role === 'system') return E.right({ by: 'system' });
  const districts =
    actor.role === 'office'
      ? directory
          .rolesOf(actor.personId)
          .filter((h) => h.role === 'office' && (actor.unitId === undefined || h.unitId === actor.unitId))
          .map((h) => h.unitId)
      : [];
  if (districts.length === 0) return E.left(errors.notOffice(rules, actor.personId, actor.role));
  return E.right({ by: 'office', personId: actor.personId, districts });
};

/** Refuses when an office holder reaches outside their district; `unitId` null stands for a new district. */
export const requireCoverage = (
  authority: Authority,
  directory: DirectoryView,
  unitId: string | null,
  rules: AuthorityRules = directoryRules,
): E.Either<DomainError, Authority> =>
  authority.by === 'system' ||
  (unitId !== null && authority.districts.some((district) => directory.isWithin(unitId, district)))
    ? E.right(authority)
    : E.left(errors.outsideOfficeDistrict(rules, authority.personId, unitId));

// ── units ────────────────────────────────────────────────────────────────────────────────────

export type UnitState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'active' | 'retired';
      readonly unitId: string;
      readonly name: string;
      readonly kind: UnitKind;
      readonly parentId: string | null;
    };

/** Checks the place of a new unit: the parent exists, is not retired, and is exactly one level up. */
const checkParent = (
  kind: UnitKind,
  parentId: string | null,
  directory: DirectoryView,
): E.Either<DomainError, UnitInfo | null> => {
  const expected = parentKindOf(kind);
  if (expected === null) return parentId === null ? E.right(null) : E.left(errors.districtHasNoParent(parentId));
  if (parentId === null) return E.left(errors.parentRequired(kind, expected));
  const parent = directory.unit(parentId);
  if (parent === undefined) return E.left(errors.parentNotFound(parentId));
  if (parent.retired === true) return E.left(errors.parentRetired(parentId));
  if (parent.kind !== expected) return E.left(errors.parentWrongKind(kind, parentId, parent.kind, expected));
  return E.right(parent);
};

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: { status: 'unregistered' },

  evolve: (state, event) => {
    switch (event.type) {
      case 'UnitRegistered':
        return { status: 'active', ...event.data };
      case 'UnitRenamed':
        return state.status === 'unregistered' ? state : { ...state, name: event.data.name };
      case 'UnitRetired':
        return state.status === 'unregistered' ? state : { ...state, status: 'retired' };
    }
  },

  decide: (command, state, { directory }) => {
    const authority = officeAuthority(command.metadata, directory);
    if (E.isLeft(authority)) return authority;
    const { unitId } = command.data;

    if (command.type === 'registerUnit') {
      if (state.status !== 'unregistered') return E.left(errors.unitAlreadyRegistered(unitId));
      const name = command.data.name.trim();
      if (name === '') return E.left(errors.unitNameRequired());
      const { kind, parentId } = command.data;
      const parent = checkParent(kind, parentId, directory);
      if (E.isLeft(parent)) return parent;
      const covered = requireCoverage(authority.right, directory, parent.right?.unitId ?? null);
      if (E.isLeft(covered)) return covered;
      return E.right([{ type: 'UnitRegistered', data: { unitId, name, kind, parentId } }]);
    }

    if (state.status === 'unregistered') return E.left(errors.unitNotFound(unitId));
    if (state.status === 'retired') return E.left(errors.unitRetired(unitId));
    const covered = requireCoverage(authority.right, directory, unitId);
    if (E.isLeft(covered)) return covered;

    if (command.type === 'renameUnit') {
      const name = command.data.name.trim();
      if (name === '') return E.left(errors.unitNameRequired());
      return name === state.name ? E.right([]) : E.right([{ type: 'UnitRenamed', data: { unitId, name } }]);
    }
    const { reason } = command.data;
    return E.right([{ type: 'UnitRetired', data: reason === undefined ? { unitId } : { unitId, reason } }]);
  },
};

// ── people and their roles ───────────────────────────────────────────────────────────────────

export interface RegisteredPerson {
  readonly status: 'active' | 'deactivated';
  readonly personId: string;
  readonly kind: PersonKind;
  /** Roles held now, each with the date it was granted. */
  readonly holdings: readonly RoleHolding[];
}
export type PersonState = { readonly status: 'unregistered' } | RegisteredPerson;

const checkGrant = (
  command: GrantRole,
  state: RegisteredPerson,
  authority: Authority,
  directory: DirectoryView,
): E.Either<DomainError, Authority> => {
  const { personId, role, unitId } = command.data;
  const unit = directory.unit(unitId);
  if (unit === undefined) return E.left(errors.roleUnitNotFound(role, unitId));
  if (unit.retired === true) return E.left(errors.roleUnitRetired(role, unitId));
  if (!roleUnitKinds[role].includes(unit.kind))
    return E.left(errors.roleWrongUnitKind(role, unitId, unit.kind, roleUnitKinds[role]));
  if (!rolePersonKinds[role].includes(state.kind))
    return E.left(errors.roleWrongPersonKind(role, personId, state.kind));
  const covered = requireCoverage(authority, directory, unitId);
  if (E.isLeft(covered)) return covered;
  if (state.holdings.some((h) => h.role === role && h.unitId === unitId))
    return E.left(errors.roleAlreadyHeld(personId, role, unitId));
  const elsewhere = singleUnitRoles.includes(role) ? state.holdings.find((h) => h.role === role) : undefined;
  if (elsewhere !== undefined) return E.left(errors.roleHeldElsewhere(personId, role, elsewhere.unitId, unitId));
  return E.right(authority);
};

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState, DecisionContext> = {
  initialState: { status: 'unregistered' },

  evolve: (state, event) => {
    switch (event.type) {
      case 'PersonRegistered':
        return { status: 'active', personId: event.data.personId, kind: event.data.kind, holdings: [] };
      case 'RoleGranted': {
        if (state.status === 'unregistered') return state;
        const { role, unitId, since } = event.data;
        return { ...state, holdings: [...state.holdings, { role, unitId, since }] };
      }
      case 'RoleRevoked': {
        if (state.status === 'unregistered') return state;
        const { role, unitId } = event.data;
        return { ...state, holdings: state.holdings.filter((h) => !(h.role === role && h.unitId === unitId)) };
      }
      case 'PersonDeactivated':
        return state.status === 'unregistered' ? state : { ...state, status: 'deactivated' };
    }
  },

  decide: (command, state, { directory }) => {
    const authority = officeAuthority(command.metadata, directory);
    if (E.isLeft(authority)) return authority;
    const { personId } = command.data;

    if (command.type === 'registerPerson') {
      if (state.status !== 'unregistered') return E.left(errors.personAlreadyRegistered(personId));
      const name = command.data.name.trim();
      if (name === '') return E.left(errors.personNameRequired());
      // Picked field by field: whatever else a payload carries must not reach the log.
      const { kind, phone, idNumber } = command.data;
      return E.right([
        {
          type: 'PersonRegistered',
          data: {
            personId,
            kind,
            name,
            ...(phone === undefined ? {} : { phone }),
            ...(idNumber === undefined ? {} : { idNumber }),
          },
        },
      ]);
    }

    if (state.status === 'unregistered') return E.left(errors.personNotFound(personId));
    if (state.status === 'deactivated') return E.left(errors.personDeactivated(personId));
    const now = command.metadata.now;

    switch (command.type) {
      case 'grantRole': {
        const checked = checkGrant(command, state, authority.right, directory);
        if (E.isLeft(checked)) return checked;
        const { role, unitId } = command.data;
        return E.right([{ type: 'RoleGranted', data: { personId, role, unitId, since: now } }]);
      }
      case 'revokeRole': {
        const { role, unitId, reason } = command.data;
        if (!state.holdings.some((h) => h.role === role && h.unitId === unitId))
          return E.left(errors.roleNotHeld(personId, role, unitId));
        const covered = requireCoverage(authority.right, directory, unitId);
        if (E.isLeft(covered)) return covered;
        const data = { personId, role, unitId, until: now };
        return E.right([{ type: 'RoleRevoked', data: reason === undefined ? data : { ...data, reason } }]);
      }
      case 'deactivatePerson': {
        // Every role ends explicitly, dated, so the history of holdings needs no knowledge of deactivation;
        // hence the office must cover every unit the person holds a role in.
        for (const h of state.holdings) {
          const covered = requireCoverage(authority.right, directory, h.unitId);
          if (E.isLeft(covered)) return covered;
        }
        const { reason } = command.data;
        const why = reason === undefined ? {} : { reason };
        return E.right([
          ...state.holdings.map(
            (h): PersonEvent => ({
              type: 'RoleRevoked',
              data: { personId, role: h.role, unitId: h.unitId, until: now, ...why },
            }),
          ),
          { type: 'PersonDeactivated', data: { personId, ...why } },
        ]);
      }
    }
  },
};
