// Directory commands and the codecs that decode their payloads at the boundary (HTTP api, imports).
// Who issues them and at what time comes from the metadata, never from the payload.
import * as t from 'io-ts';
import type { Command } from '../decider.js';
import { DirectoryRoleCodec, PersonRegisteredData, personStreamId, UnitKindCodec, unitStreamId } from './events.js';

export const RegisterUnitData = t.type({
  unitId: t.string,
  name: t.string,
  kind: UnitKindCodec,
  /** null for a district; otherwise the unit exactly one level up. */
  parentId: t.union([t.string, t.null]),
});
export const RenameUnitData = t.type({ unitId: t.string, name: t.string });
export const RetireUnitData = t.intersection([t.type({ unitId: t.string }), t.partial({ reason: t.string })]);

export type RegisterUnitData = t.TypeOf<typeof RegisterUnitData>;
export type RegisterUnit = Command<'registerUnit', RegisterUnitData>;
export type RenameUnitData = t.TypeOf<typeof RenameUnitData>;
export type RenameUnit = Command<'renameUnit', RenameUnitData>;
export type RetireUnitData = t.TypeOf<typeof RetireUnitData>;
export type RetireUnit = Command<'retireUnit', RetireUnitData>;
export type UnitCommand = RegisterUnit | RenameUnit | RetireUnit;

export const RegisterPersonData = PersonRegisteredData;
export const GrantRoleData = t.type({ personId: t.string, role: DirectoryRoleCodec, unitId: t.string });
export const RevokeRoleData = t.intersection([
  t.type({ personId: t.string, role: DirectoryRoleCodec, unitId: t.string }),
  t.partial({ reason: t.string }),
]);
export const DeactivatePersonData = t.intersection([t.type({ personId: t.string }), t.partial({ reason: t.string })]);

export type RegisterPersonData = t.TypeOf<typeof RegisterPersonData>;
export type RegisterPerson = Command<'registerPerson', RegisterPersonData>;
export type GrantRoleData = t.TypeOf<typeof GrantRoleData>;
export type GrantRole = Command<'grantRole', GrantRoleData>;
export type RevokeRoleData = t.TypeOf<typeof RevokeRoleData>;
export type RevokeRole = Command<'revokeRole', RevokeRoleData>;
export type DeactivatePersonData = t.TypeOf<typeof DeactivatePersonData>;
export type DeactivatePerson = Command<'deactivatePerson', DeactivatePersonData>;
export type PersonCommand = RegisterPerson | GrantRole | RevokeRole | DeactivatePerson;

/** Payload codecs by command type, for the boundary that turns a request into a command. */
export const unitCommandCodecs = {
  registerUnit: RegisterUnitData,
  renameUnit: RenameUnitData,
  retireUnit: RetireUnitData,
} as const;
export const personCommandCodecs = {
  registerPerson: RegisterPersonData,
  grantRole: GrantRoleData,
  revokeRole: RevokeRoleData,
  deactivatePerson: DeactivatePersonData,
} as const;

export const unitStreamIdOf = (command: UnitCommand): string => unitStreamId(command.data.unitId);
export const personStreamIdOf = (command: PersonCommand): string => personStreamId(command.data.personId);
