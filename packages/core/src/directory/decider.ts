// The directory's deciders: units (区 → 街镇/部门 → 社区/村居 → 网格) and people with their roles. Each
// decider sees only its own stream; whether a parent unit exists, which kind a unit is and who holds the
// office come from `context.directory`, as the directory stood when the command was handled.
import * as E from 'fp-ts/lib/Either.js';
import type { Decider } from '../decider.js';
import type { DomainError } from '../errors.js';
import type { DecisionContext } from '../handling/decision-context.js';
import {
  type Authority,
  officeAuthority,
  requireCoverage,
  rolePersonKinds,
  roleUnitKinds,
  singleUnitRoles,
} from './authority.js';
import type { GrantRole, PersonCommand, UnitCommand } from './commands.js';
import { directoryErrors as errors } from './errors.js';
import type { PersonEvent, PersonKind, UnitEvent } from './events.js';
import type { DirectoryView, RoleHolding, UnitInfo, UnitKind } from './view.js';

// ── the rules of the hierarchy, as data ──────────────────────────────────────────────────────

/** The kind a unit's parent must be: exactly one level up (seed 003). A district is the top. */
export const parentKindOf = (kind: UnitKind): UnitKind | null =>
  kind === 'district'
    ? null
    : kind === 'street' || kind === 'department'
      ? 'district'
      : kind === 'community'
        ? 'street'
        : 'community';

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

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState, DecisionContext> = {
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
