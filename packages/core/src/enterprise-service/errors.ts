// Every refusal of the enterprise-service lifecycle: the stable rule names, and one error factory per rule
// with its code and message. Clients, dashboards and auditors key on the names (never on messages), so a
// name, once shipped, keeps its meaning; docs/domain.md lists them.
import { conflict, type DomainError, forbidden, invalidState, notFound, validationError } from '../errors.js';

export const serviceRules = {
  /** Any command but assignment, on an enterprise that was never assigned an officer. */
  notAssigned: 'service.not_assigned',
  /** Any command but a new assignment, on a service that has ended. */
  ended: 'service.ended',
  /** Only the office (领导小组办公室 / 工作专班) assigns, replaces and ends. */
  notOffice: 'service.not_office',
  /** The office acts only on enterprises inside its own district. */
  officeOutsideDistrict: 'service.office.outside_district',

  /** 一企一专员: an enterprise served already gets a new officer by replacement, not a second one. */
  assignAlreadyAssigned: 'service.assign.already_assigned',
  assignUnknownUnit: 'service.assign.unknown_unit',
  /** A retired unit keeps its old services but takes no new ones. */
  assignRetiredUnit: 'service.assign.retired_unit',

  /** The official holds no role able to serve (secretary, department handler, member) in the district. */
  officerCannotServe: 'service.officer.cannot_serve',
  /** The role named for the official is not one they hold in the enterprise's district. */
  officerRoleNotHeld: 'service.officer.role_not_held',
  /** Replacing an officer by themself. */
  replaceSameOfficer: 'service.replace.same_officer',

  /** Only the current officer records a contact. */
  contactNotOfficer: 'service.contact.not_officer',
  /** The officer no longer holds the role they serve in. */
  contactRoleNotHeld: 'service.contact.role_not_held',
  contactInFuture: 'service.contact.in_future',
  /** A contact dated before the current officer's assignment was not theirs to record. */
  contactBeforeAssignment: 'service.contact.before_assignment',
  contactAlreadyRecorded: 'service.contact.already_recorded',
  /** Each of the four roles is told once per contact. */
  contactRepeatedRole: 'service.contact.repeated_role',
  contactRepeatedNeed: 'service.contact.repeated_need',

  raiseNotOfficer: 'service.raise.not_officer',
  raiseUnknownContact: 'service.raise.unknown_contact',
  raiseUnknownNeed: 'service.raise.unknown_need',
  raiseAlreadyLinked: 'service.raise.already_linked',
} as const;

export type ServiceRule = (typeof serviceRules)[keyof typeof serviceRules];

const r = serviceRules;

const field = (path: string, message: string) => ({ fields: [{ path, message: `${path}: ${message}` }] });

export const serviceErrors = {
  notAssigned: (enterpriseId: string): DomainError =>
    notFound(r.notAssigned, `enterprise ${enterpriseId} has no service officer assigned`, { enterpriseId }),
  ended: (enterpriseId: string): DomainError =>
    invalidState(r.ended, `the service of enterprise ${enterpriseId} has ended`, { enterpriseId }),
  notOffice: (): DomainError =>
    forbidden(r.notOffice, 'only the office assigns, replaces or ends an enterprise service officer'),
  officeOutsideDistrict: (personId: string, unitId: string): DomainError =>
    forbidden(r.officeOutsideDistrict, `${personId} is not the office of the district ${unitId} lies in`, { unitId }),

  assignAlreadyAssigned: (enterpriseId: string, officerId: string): DomainError =>
    conflict(
      r.assignAlreadyAssigned,
      `enterprise ${enterpriseId} is already served by ${officerId}: replace the officer instead`,
      { enterpriseId, officerId },
    ),
  assignUnknownUnit: (unitId: string): DomainError =>
    validationError(r.assignUnknownUnit, `unit ${unitId} is not in the directory`, {
      unitId,
      ...field('body.unitId', 'not a unit of the directory'),
    }),
  assignRetiredUnit: (unitId: string): DomainError =>
    invalidState(r.assignRetiredUnit, `unit ${unitId} is retired and takes no new services`, { unitId }),

  officerCannotServe: (officerId: string, unitId: string): DomainError =>
    forbidden(
      r.officerCannotServe,
      `${officerId} holds no role able to serve an enterprise (secretary, department handler, member) in the district of ${unitId}`,
      { officerId, unitId },
    ),
  officerRoleNotHeld: (officerId: string, role: string): DomainError =>
    forbidden(r.officerRoleNotHeld, `${officerId} does not hold the role ${role} in the enterprise's district`, {
      officerId,
      role,
    }),
  replaceSameOfficer: (officerId: string): DomainError =>
    validationError(r.replaceSameOfficer, `${officerId} already serves this enterprise`, {
      officerId,
      ...field('body.officerId', 'is the current officer'),
    }),

  contactNotOfficer: (personId: string, enterpriseId: string): DomainError =>
    forbidden(r.contactNotOfficer, `${personId} is not the current service officer of enterprise ${enterpriseId}`),
  contactRoleNotHeld: (personId: string, role: string): DomainError =>
    forbidden(r.contactRoleNotHeld, `${personId} no longer holds the role ${role} they serve in`, { role }),
  contactInFuture: (date: string, today: string): DomainError =>
    validationError(r.contactInFuture, `a contact dated ${date} lies after today (${today})`, {
      ...field('body.date', 'lies in the future'),
    }),
  contactBeforeAssignment: (date: string, since: string): DomainError =>
    validationError(r.contactBeforeAssignment, `a contact dated ${date} lies before the officer served (${since})`, {
      ...field('body.date', 'lies before the current officer was assigned'),
    }),
  contactAlreadyRecorded: (contactId: string): DomainError =>
    conflict(r.contactAlreadyRecorded, `contact ${contactId} is already recorded`, { contactId }),
  contactRepeatedRole: (role: string): DomainError =>
    validationError(r.contactRepeatedRole, `the role ${role} is given twice`, {
      ...field('body.work', `the role ${role} is given twice`),
    }),
  contactRepeatedNeed: (needId: string): DomainError =>
    validationError(r.contactRepeatedNeed, `need ${needId} is already recorded for this enterprise`, {
      ...field('body.needs', `need ${needId} is given twice`),
    }),

  raiseNotOfficer: (personId: string, enterpriseId: string): DomainError =>
    forbidden(r.raiseNotOfficer, `${personId} is not the current service officer of enterprise ${enterpriseId}`),
  raiseUnknownContact: (contactId: string): DomainError =>
    validationError(r.raiseUnknownContact, `contact ${contactId} was never recorded for this enterprise`, {
      ...field('body.contactId', 'not a contact of this enterprise'),
    }),
  raiseUnknownNeed: (needId: string, contactId: string): DomainError =>
    validationError(r.raiseUnknownNeed, `need ${needId} was not found on contact ${contactId}`, {
      ...field('body.needId', 'not a need of that contact'),
    }),
  raiseAlreadyLinked: (problemId: string): DomainError =>
    conflict(r.raiseAlreadyLinked, `problem ${problemId} is already linked to this service`, { problemId }),
};
