// Who acts, and in which role: the token names the person, the directory says which roles they hold, and
// the route says which roles may issue its command. A caller holding several may say which with
// `X-Acting-Role` (and `X-Acting-Unit`); the role claimed is never taken on trust.
import { type Actor, type DirectoryRole, type DirectoryView, directoryRoles } from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { type ApiError, apiRefusal, apiRules } from './http/problem-details.js';

/** The person a verified token names, and the client app it was issued to. */
export interface Principal {
  readonly personId: string;
  readonly clientId?: string;
}

export interface ActingAs {
  readonly role?: string;
  readonly unitId?: string;
}

const isDirectoryRole = (s: string): s is DirectoryRole => (directoryRoles as readonly string[]).includes(s);

export const actorFor = (
  principal: Principal,
  directory: DirectoryView,
  allowed: readonly DirectoryRole[],
  acting: ActingAs,
): E.Either<ApiError, Actor> => {
  const held = directory.rolesOf(principal.personId);
  if (acting.role !== undefined) {
    if (!isDirectoryRole(acting.role))
      return E.left(
        apiRefusal(
          'validation',
          apiRules.invalidActingRole,
          `X-Acting-Role: ${JSON.stringify(acting.role)} is not a role`,
          {
            fields: [
              {
                path: 'header.x-acting-role',
                message: `header.x-acting-role: expected one of ${directoryRoles.join(' | ')}`,
              },
            ],
          },
        ),
      );
    const holding = held.find(
      (h) => h.role === acting.role && (acting.unitId === undefined || h.unitId === acting.unitId),
    );
    if (holding === undefined)
      return E.left(
        apiRefusal(
          'forbidden',
          apiRules.roleNotHeld,
          `${principal.personId} does not hold the role ${acting.role}${acting.unitId === undefined ? '' : ` in ${acting.unitId}`}`,
        ),
      );
    return E.right({
      personId: principal.personId,
      role: acting.role,
      ...(acting.unitId === undefined ? {} : { unitId: acting.unitId }),
    });
  }
  // X-Acting-Unit alone picks among the roles held in that unit.
  const inUnit = acting.unitId === undefined ? held : held.filter((h) => h.unitId === acting.unitId);
  const role = allowed.find((r) => inUnit.some((h) => h.role === r));
  if (role === undefined)
    return E.left(
      apiRefusal(
        'forbidden',
        apiRules.noRoleForCommand,
        `${principal.personId} holds none of the roles that may do this (${allowed.join(', ')})`,
        { allowed },
      ),
    );
  return E.right({
    personId: principal.personId,
    role,
    ...(acting.unitId === undefined ? {} : { unitId: acting.unitId }),
  });
};

/** Roles that read as officials: they may read any item; residents and enterprises only their own. */
export const isOfficial = (directory: DirectoryView, personId: string): boolean =>
  directory.rolesOf(personId).some((h) => h.role !== 'resident' && h.role !== 'enterprise');

/** The districts where the person holds the office role (领导小组办公室). */
export const officeDistricts = (directory: DirectoryView, personId: string): readonly string[] =>
  directory
    .rolesOf(personId)
    .filter((h) => h.role === 'office')
    .map((h) => h.unitId);
