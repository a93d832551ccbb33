// The directory's events: one stream per unit (`unit-<unitId>`) and one per person (`person-<personId>`).
// Role grants and revocations carry their dates, so history answers "who held which role in which unit
// when this was done" without consulting anything but the log.
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';
import { directoryRoles, unitKinds } from './view.js';

const keyed = <V extends string>(values: readonly V[], name: string) =>
  t.keyof(Object.fromEntries(values.map((v) => [v, null])) as Record<V, null>, name);

export const UnitKindCodec = keyed(unitKinds, 'UnitKind');
export const DirectoryRoleCodec = keyed(directoryRoles, 'DirectoryRole');

export const personKinds = ['resident', 'enterprise', 'official'] as const;
/** 居民, 企业, 干部 (officials: secretaries, members acting for a unit, office staff, auditors). */
export type PersonKind = (typeof personKinds)[number];
export const PersonKindCodec = keyed(personKinds, 'PersonKind');

export const unitStreamId = (unitId: string): string => `unit-${unitId}`;
export const personStreamId = (personId: string): string => `person-${personId}`;

// ── unit streams ──────────────────────────────────────────────────────────────────────────────

export const UnitRegistered = defineEvent(
  'UnitRegistered',
  t.type({ unitId: t.string, name: t.string, kind: UnitKindCodec, parentId: t.union([t.string, t.null]) }),
);
export const UnitRenamed = defineEvent('UnitRenamed', t.type({ unitId: t.string, name: t.string }));
export const UnitRetired = defineEvent(
  'UnitRetired',
  t.intersection([t.type({ unitId: t.string }), t.partial({ reason: t.string })]),
);

export const unitEvents = [UnitRegistered, UnitRenamed, UnitRetired] as const;
export type UnitEvent = EventOf<(typeof unitEvents)[number]>;
export const unitEventRegistry = createEventRegistry(unitEvents);

// ── person streams ────────────────────────────────────────────────────────────────────────────

// Residents' names, phones and ID numbers are personal data; an enterprise's or an official's name is
// public (it appears on 公示 notices), but nobody's phone or ID number is.
const contact = t.partial({ phone: personal(t.string, 'phone'), idNumber: personal(t.string, 'id_number') });
export const PersonRegisteredData = t.union([
  t.intersection([
    t.type({ personId: t.string, kind: t.literal('resident'), name: personal(t.string, 'name') }),
    contact,
  ]),
  t.intersection([t.type({ personId: t.string, kind: t.literal('enterprise'), name: t.string }), contact]),
  t.intersection([t.type({ personId: t.string, kind: t.literal('official'), name: t.string }), contact]),
]);
export type PersonRegisteredData = t.TypeOf<typeof PersonRegisteredData>;

/** A person's own record belongs to them: `person:<personId>`, the subject their problems and wishes share. */
export const personDataSubject = (data: unknown, streamId: string): string => {
  const personId = (data as { personId?: unknown } | null)?.personId;
  return typeof personId === 'string' ? `person:${personId}` : streamId;
};

/** v2 seals names of residents, and everyone's phone and ID number; v1 holds them in the clear. */
export const PersonRegistered = defineEvent('PersonRegistered', PersonRegisteredData, {
  schemaVersion: 2,
  upcasters: { 1: sameShape },
  sealedSince: 2,
  dataSubject: personDataSubject,
});
/** `since` is the business time of the appointment: the command's "now". */
export const RoleGranted = defineEvent(
  'RoleGranted',
  t.type({ personId: t.string, role: DirectoryRoleCodec, unitId: t.string, since: t.string }),
);
/** `until` is the business time the role ended; the holding covered [since, until). */
export const RoleRevoked = defineEvent(
  'RoleRevoked',
  t.intersection([
    t.type({ personId: t.string, role: DirectoryRoleCodec, unitId: t.string, until: t.string }),
    t.partial({ reason: t.string }),
  ]),
);
export const PersonDeactivated = defineEvent(
  'PersonDeactivated',
  t.intersection([t.type({ personId: t.string }), t.partial({ reason: t.string })]),
);

export const personEvents = [PersonRegistered, RoleGranted, RoleRevoked, PersonDeactivated] as const;
export type PersonEvent = EventOf<(typeof personEvents)[number]>;
export const personEventRegistry = createEventRegistry(personEvents);

export type DirectoryEvent = UnitEvent | PersonEvent;
export const directoryEvents = [...unitEvents, ...personEvents] as const;
