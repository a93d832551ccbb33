// Who may act on the directory, and where roles are held: the office's authority over its district and the
// role tables the person decider checks a grant against. Campaigns use the same authority (with their own
// rule names), so it lives here rather than inside the directory's decider.
import * as E from 'fp-ts/lib/Either.js';
import type { CommandMetadata } from '../decider.js';
import type { DomainError } from '../errors.js';
import { type AuthorityRules, directoryRules, directoryErrors as errors } from './errors.js';
import type { PersonKind } from './events.js';
import { type DirectoryRole, type DirectoryView, type UnitKind, unitKinds } from './view.js';

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
