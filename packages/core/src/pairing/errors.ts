// Every refusal of the pairing lifecycle: the stable rule names, and one error factory per rule with its
// code and message. Clients key on the names (never on messages); docs/domain.md lists them.
import {
  conflict,
  type DomainError,
  forbidden,
  integrityError,
  invalidState,
  notFound,
  validationError,
} from '../errors.js';

export const pairingRules = {
  /** Any command but pairing, on a pairing never made. */
  notFound: 'pairing.not_found',
  /** Any command but pairing, on an ended pairing: ending is final. */
  ended: 'pairing.ended',
  /** Pairing, reassigning and ending are the office's (of the district) or a secretary's over the unit. */
  notOrganiser: 'pairing.not_office_or_secretary',

  pairAlreadyPaired: 'pairing.pair.already_paired',
  pairUnknownUnit: 'pairing.pair.unknown_unit',
  /** A retired unit keeps its pairings but takes no new ones. */
  pairRetiredUnit: 'pairing.pair.retired_unit',
  /** The official is no active person of the directory. */
  unknownOfficial: 'pairing.unknown_official',

  reassignSameOfficial: 'pairing.reassign.same_official',

  /** The household's word is recorded by its current official, or the office or a secretary over the unit. */
  consentNotOfficialOrOrganiser: 'pairing.consent.not_official_or_organiser',
  consentUnchanged: 'pairing.consent.unchanged',

  /** Only the current official records a visit (探亲) to the household. */
  visitNotCurrentOfficial: 'pairing.visit.not_current_official',
  visitAlreadyRecorded: 'pairing.visit.already_recorded',
  visitInFuture: 'pairing.visit.in_future',
  visitBeforePairing: 'pairing.visit.before_pairing',
  /** The public excerpt names the household, gives its phone or address, or has a run of digits. */
  visitExcerptRevealsHousehold: 'pairing.visit.excerpt_reveals_household',
  visitHouseholdSealed: 'pairing.visit.household_sealed',

  needNotOfficialOrOrganiser: 'pairing.need.not_official_or_organiser',
  needUnknownVisit: 'pairing.need.unknown_visit',
  needAlreadyLinked: 'pairing.need.already_linked',
} as const;

export type PairingRule = (typeof pairingRules)[keyof typeof pairingRules];

const r = pairingRules;

export const pairingErrors = {
  notFound: (pairingId: string): DomainError =>
    notFound(r.notFound, `pairing ${pairingId} was never made`, { pairingId }),
  ended: (pairingId: string): DomainError => invalidState(r.ended, `pairing ${pairingId} has ended`),
  notOrganiser: (personId: string, unitId: string): DomainError =>
    forbidden(
      r.notOrganiser,
      `${personId} is neither the office of the district nor a secretary over ${unitId}, where the household lives`,
      { unitId },
    ),

  pairAlreadyPaired: (pairingId: string): DomainError =>
    conflict(r.pairAlreadyPaired, `pairing ${pairingId} is already made`),
  pairUnknownUnit: (unitId: string): DomainError =>
    validationError(r.pairUnknownUnit, `unit ${unitId} is not in the directory`, {
      unitId,
      fields: [{ path: 'body.unitId', message: 'body.unitId: not a unit of the directory' }],
    }),
  pairRetiredUnit: (unitId: string): DomainError =>
    invalidState(r.pairRetiredUnit, `unit ${unitId} is retired and takes no new pairings`, { unitId }),
  unknownOfficial: (officialId: string): DomainError =>
    validationError(r.unknownOfficial, `${officialId} is no active person of the directory`, {
      officialId,
      fields: [{ path: 'body.officialId', message: 'body.officialId: not an active person of the directory' }],
    }),

  reassignSameOfficial: (officialId: string): DomainError =>
    invalidState(r.reassignSameOfficial, `${officialId} is already the household's official`),

  consentNotOfficialOrOrganiser: (): DomainError =>
    forbidden(
      r.consentNotOfficialOrOrganiser,
      "the household's consent is recorded by its official, or the office or a secretary over its unit",
    ),
  consentUnchanged: (consent: string): DomainError =>
    invalidState(r.consentUnchanged, `the household's consent is already ${consent}`),

  visitNotCurrentOfficial: (personId: string): DomainError =>
    forbidden(r.visitNotCurrentOfficial, `${personId} is not the household's current official`),
  visitAlreadyRecorded: (visitId: string): DomainError =>
    conflict(r.visitAlreadyRecorded, `visit ${visitId} is already recorded`),
  visitInFuture: (visitedAt: string): DomainError =>
    validationError(r.visitInFuture, `a visit at ${visitedAt} has not happened yet`, {
      fields: [{ path: 'body.visitedAt', message: 'body.visitedAt: after the time of recording' }],
    }),
  visitBeforePairing: (visitedAt: string, pairedAt: string): DomainError =>
    validationError(r.visitBeforePairing, `a visit at ${visitedAt} is before the pairing began (${pairedAt})`, {
      fields: [{ path: 'body.visitedAt', message: 'body.visitedAt: before the pairing began' }],
    }),
  visitExcerptRevealsHousehold: (): DomainError =>
    validationError(
      r.visitExcerptRevealsHousehold,
      "the excerpt must not give the household's name, phone or address, nor any run of digits",
      {
        fields: [
          {
            path: 'body.excerpt',
            message: "body.excerpt: must not give the household's name, phone or address, nor a run of digits",
          },
        ],
      },
    ),
  visitHouseholdSealed: (pairingId: string): DomainError =>
    integrityError(
      r.visitHouseholdSealed,
      `pairing ${pairingId}: the household's details were not revealed, so the check-in and excerpt cannot be checked (use pairingCommandHandler)`,
      { pairingId },
    ),

  needNotOfficialOrOrganiser: (): DomainError =>
    forbidden(
      r.needNotOfficialOrOrganiser,
      "a need is linked by the household's official, or the office or a secretary over its unit",
    ),
  needUnknownVisit: (visitId: string): DomainError =>
    validationError(r.needUnknownVisit, `visit ${visitId} is not one of this pairing's`, {
      fields: [{ path: 'body.visitId', message: 'body.visitId: not a visit of this pairing' }],
    }),
  needAlreadyLinked: (kind: string, itemId: string): DomainError =>
    conflict(r.needAlreadyLinked, `${kind} ${itemId} is already linked to this pairing`),
};
