// Every refusal of the directory (units and people), with its stable rule name. The HTTP layer maps the
// code; auditors and tests match the rule. docs/domain.md lists them with the rule they state.
import { conflict, type DomainError, forbidden, invalidState, notFound, validationError } from '../errors.js';
import type { DirectoryRole, UnitKind } from './view.js';

export const directoryRules = {
  notOffice: 'directory.not_office',
  outsideOfficeDistrict: 'directory.outside_office_district',
  unitAlreadyRegistered: 'directory.unit.already_registered',
  unitNotFound: 'directory.unit.not_found',
  unitRetired: 'directory.unit.retired',
  unitNameRequired: 'directory.unit.name_required',
  districtHasNoParent: 'directory.unit.district_has_no_parent',
  parentRequired: 'directory.unit.parent_required',
  parentNotFound: 'directory.unit.parent_not_found',
  parentRetired: 'directory.unit.parent_retired',
  parentWrongKind: 'directory.unit.parent_wrong_kind',
  personAlreadyRegistered: 'directory.person.already_registered',
  personNotFound: 'directory.person.not_found',
  personDeactivated: 'directory.person.deactivated',
  personNameRequired: 'directory.person.name_required',
  roleUnitNotFound: 'directory.role.unit_not_found',
  roleUnitRetired: 'directory.role.unit_retired',
  roleWrongUnitKind: 'directory.role.wrong_unit_kind',
  roleWrongPersonKind: 'directory.role.wrong_person_kind',
  roleAlreadyHeld: 'directory.role.already_held',
  roleHeldElsewhere: 'directory.role.held_elsewhere',
  roleNotHeld: 'directory.role.not_held',
} as const;

const r = directoryRules;

/** The rule names an office-only command refuses with; campaigns bring their own. */
export interface AuthorityRules {
  readonly notOffice: string;
  readonly outsideOfficeDistrict: string;
}

export const directoryErrors = {
  notOffice: (rules: AuthorityRules, personId: string, role: string): DomainError =>
    forbidden(rules.notOffice, `only the office (领导小组办公室) or system may do this; ${personId} acts as ${role}`, {
      personId,
      role,
    }),
  outsideOfficeDistrict: (rules: AuthorityRules, personId: string, unitId: string | null): DomainError =>
    forbidden(
      rules.outsideOfficeDistrict,
      unitId === null
        ? `${personId}: a new district lies outside every office's district; districts are registered by system`
        : `${personId} holds the office role in no district that contains ${unitId}`,
      { personId, unitId },
    ),
  unitAlreadyRegistered: (unitId: string): DomainError =>
    conflict(r.unitAlreadyRegistered, `unit ${unitId} is already registered`, { unitId }),
  unitNotFound: (unitId: string): DomainError =>
    notFound(r.unitNotFound, `unit ${unitId} is not registered`, { unitId }),
  unitRetired: (unitId: string): DomainError =>
    invalidState(r.unitRetired, `unit ${unitId} is retired and accepts no changes`, { unitId }),
  unitNameRequired: (): DomainError => validationError(r.unitNameRequired, 'a unit needs a name'),
  districtHasNoParent: (parentId: string): DomainError =>
    validationError(r.districtHasNoParent, `a district is the top level and has no parent (got ${parentId})`, {
      parentId,
    }),
  parentRequired: (kind: UnitKind, expected: UnitKind): DomainError =>
    validationError(r.parentRequired, `a ${kind} needs a parent ${expected}`, { kind, expectedParentKind: expected }),
  parentNotFound: (parentId: string): DomainError =>
    notFound(r.parentNotFound, `parent unit ${parentId} is not registered`, { parentId }),
  parentRetired: (parentId: string): DomainError =>
    invalidState(r.parentRetired, `parent unit ${parentId} is retired and takes no new units`, { parentId }),
  parentWrongKind: (kind: UnitKind, parentId: string, parentKind: UnitKind, expected: UnitKind): DomainError =>
    validationError(
      r.parentWrongKind,
      `a ${kind} belongs directly under a ${expected}, and ${parentId} is a ${parentKind}`,
      { kind, parentId, parentKind, expectedParentKind: expected },
    ),
  personAlreadyRegistered: (personId: string): DomainError =>
    conflict(r.personAlreadyRegistered, `person ${personId} is already registered`, { personId }),
  personNotFound: (personId: string): DomainError =>
    notFound(r.personNotFound, `person ${personId} is not registered`, { personId }),
  personDeactivated: (personId: string): DomainError =>
    invalidState(r.personDeactivated, `person ${personId} is deactivated and accepts no changes`, { personId }),
  personNameRequired: (): DomainError => validationError(r.personNameRequired, 'a person needs a name'),
  roleUnitNotFound: (role: DirectoryRole, unitId: string): DomainError =>
    notFound(r.roleUnitNotFound, `cannot grant ${role} in ${unitId}: the unit is not registered`, { role, unitId }),
  roleUnitRetired: (role: DirectoryRole, unitId: string): DomainError =>
    invalidState(r.roleUnitRetired, `cannot grant ${role} in ${unitId}: the unit is retired`, { role, unitId }),
  roleWrongUnitKind: (role: DirectoryRole, unitId: string, kind: UnitKind, allowed: readonly UnitKind[]): DomainError =>
    validationError(r.roleWrongUnitKind, `${role} is held in a ${allowed.join(' or ')}, and ${unitId} is a ${kind}`, {
      role,
      unitId,
      kind,
      allowedKinds: allowed,
    }),
  roleWrongPersonKind: (role: DirectoryRole, personId: string, personKind: string): DomainError =>
    validationError(
      r.roleWrongPersonKind,
      `${role} cannot be granted to ${personId}, who is registered as ${personKind}`,
      {
        role,
        personId,
        personKind,
      },
    ),
  roleAlreadyHeld: (personId: string, role: DirectoryRole, unitId: string): DomainError =>
    conflict(r.roleAlreadyHeld, `${personId} already holds ${role} in ${unitId}`, { personId, role, unitId }),
  roleHeldElsewhere: (personId: string, role: DirectoryRole, heldIn: string, unitId: string): DomainError =>
    conflict(
      r.roleHeldElsewhere,
      `${personId} holds ${role} in ${heldIn}, and ${role} is held in one unit at a time: revoke it there first`,
      { personId, role, heldIn, unitId },
    ),
  roleNotHeld: (personId: string, role: DirectoryRole, unitId: string): DomainError =>
    notFound(r.roleNotHeld, `${personId} does not hold ${role} in ${unitId}`, { personId, role, unitId }),
};
