// Every rule of the directory deciders — units, people and their roles — as given / when / then.
import { deciderSpecification } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { personalFields, personalValues } from '../codec/personal.js';
import type { CommandMetadata } from '../decider.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type { PersonCommand, UnitCommand } from './commands.js';
import { personDecider, unitDecider } from './decider.js';
import { directoryRules as rules } from './errors.js';
import { type PersonEvent, PersonRegistered, type PersonRegisteredData, type UnitEvent } from './events.js';
import { directoryViewOf } from './static-view.js';
import type { DirectoryRole, UnitInfo } from './view.js';

// 黄岛区 with one street, one department, one community and one grid; 胶州市 as a second district; a
// retired street. office-hd runs 黄岛区's office, office-jz 胶州市's; sec-1 is a community secretary.
const units: UnitInfo[] = [
  { unitId: 'huangdao', name: '黄岛区', kind: 'district', parentId: null },
  { unitId: 'xuejiadao', name: '薛家岛街道', kind: 'street', parentId: 'huangdao' },
  { unitId: 'civil-affairs', name: '区民政局', kind: 'department', parentId: 'huangdao' },
  { unitId: 'anzi', name: '安子社区', kind: 'community', parentId: 'xuejiadao' },
  { unitId: 'anzi-1', name: '安子社区第一网格', kind: 'grid', parentId: 'anzi' },
  { unitId: 'old-town', name: '旧街道', kind: 'street', parentId: 'huangdao', retired: true },
  { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
  { unitId: 'jiulong', name: '九龙街道', kind: 'street', parentId: 'jiaozhou' },
];
const context: DecisionContext = {
  directory: directoryViewOf({
    units,
    holdings: [
      { personId: 'office-hd', role: 'office', unitId: 'huangdao', since: '2026-01-01T00:00:00+08:00' },
      { personId: 'office-jz', role: 'office', unitId: 'jiaozhou', since: '2026-01-01T00:00:00+08:00' },
      { personId: 'sec-1', role: 'secretary', unitId: 'anzi', since: '2026-01-01T00:00:00+08:00' },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

const now = '2026-03-01T09:00:00+08:00';
const as = (actor: Actor): CommandMetadata => ({ actor, now });
const office = as({ personId: 'office-hd', role: 'office' });
const otherOffice = as({ personId: 'office-jz', role: 'office' });
const system = as({ personId: 'bootstrap', role: 'system' });
const secretary = as({ personId: 'sec-1', role: 'secretary', unitId: 'anzi' });
/** Claims the office role in the metadata without holding it in the directory. */
const pretender = as({ personId: 'sec-1', role: 'office' });

describe('units', () => {
  const spec = deciderSpecification(unitDecider, context);
  const register = (
    unitId: string,
    kind: UnitInfo['kind'],
    parentId: string | null,
    metadata = office,
    name = `${unitId} 名称`,
  ): UnitCommand => ({ type: 'registerUnit', data: { unitId, name, kind, parentId }, metadata });
  const registered = (unitId: string, kind: UnitInfo['kind'], parentId: string | null): UnitEvent => ({
    type: 'UnitRegistered',
    data: { unitId, name: `${unitId} 名称`, kind, parentId },
  });
  const anzi2 = registered('anzi-2', 'grid', 'anzi');

  describe('who may change the directory', () => {
    it('the office registers units in its district', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi'))
        .thenEvents([anzi2]);
    });
    it('only the office registers units: a secretary cannot', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi', secretary))
        .thenError({ code: 'forbidden', rule: rules.notOffice });
    });
    it('acting as office needs the office role in the directory, not just in the metadata', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi', pretender))
        .thenError(rules.notOffice);
    });
    it('an office acts only within its own district', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi', otherOffice))
        .thenError({ code: 'forbidden', rule: rules.outsideOfficeDistrict });
    });
    it('system registers a district (bootstrap)', () => {
      spec
        .given([])
        .when(register('jimo', 'district', null, system))
        .thenEvents([registered('jimo', 'district', null)]);
    });
    it('an office cannot register a new district: that is for system', () => {
      spec
        .given([])
        .when(register('jimo', 'district', null))
        .thenError(rules.outsideOfficeDistrict);
    });
  });

  describe('the four levels', () => {
    it('a street and a department are registered under a district', () => {
      spec
        .given([])
        .when(register('lingshan', 'street', 'huangdao'))
        .thenEvents([registered('lingshan', 'street', 'huangdao')]);
      spec
        .given([])
        .when(register('housing', 'department', 'huangdao'))
        .thenEvents([registered('housing', 'department', 'huangdao')]);
    });
    it('a department cannot be registered under a street', () => {
      spec
        .given([])
        .when(register('housing', 'department', 'xuejiadao'))
        .thenError({
          code: 'validation',
          rule: rules.parentWrongKind,
        });
    });
    it('a community is registered under a street', () => {
      spec
        .given([])
        .when(register('anzi-east', 'community', 'xuejiadao'))
        .thenEvents([registered('anzi-east', 'community', 'xuejiadao')]);
    });
    it('a community cannot be registered under a department', () => {
      spec
        .given([])
        .when(register('anzi-east', 'community', 'civil-affairs'))
        .thenError(rules.parentWrongKind);
    });
    it('a grid is registered under a community', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi'))
        .thenEvents([anzi2]);
    });
    it('a grid cannot be registered under a street', () => {
      const error = spec
        .given([])
        .when(register('anzi-2', 'grid', 'xuejiadao'))
        .thenError(rules.parentWrongKind);
      expect(error.details).toMatchObject({ parentKind: 'street', expectedParentKind: 'community' });
    });
    it('a grid cannot be registered under another grid', () => {
      spec
        .given([])
        .when(register('anzi-1a', 'grid', 'anzi-1'))
        .thenError(rules.parentWrongKind);
    });
    it('a district has no parent', () => {
      spec
        .given([])
        .when(register('jimo', 'district', 'huangdao', system))
        .thenError({
          code: 'validation',
          rule: rules.districtHasNoParent,
        });
    });
    it('every other unit needs a parent', () => {
      spec
        .given([])
        .when(register('lingshan', 'street', null))
        .thenError({ code: 'validation', rule: rules.parentRequired });
    });
    it('the parent must be registered', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'nowhere'))
        .thenError({ code: 'not_found', rule: rules.parentNotFound });
    });
    it('a retired unit takes no new units', () => {
      spec
        .given([])
        .when(register('old-community', 'community', 'old-town'))
        .thenError({
          code: 'invalid_state',
          rule: rules.parentRetired,
        });
    });
  });

  describe('registration', () => {
    it('a unit is registered once', () => {
      spec
        .given([anzi2])
        .when(register('anzi-2', 'grid', 'anzi'))
        .thenError({ code: 'conflict', rule: rules.unitAlreadyRegistered });
    });
    it('a unit needs a name, stored without surrounding blanks', () => {
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi', office, '  第二网格 '))
        .thenEvents([
          { type: 'UnitRegistered', data: { unitId: 'anzi-2', name: '第二网格', kind: 'grid', parentId: 'anzi' } },
        ]);
      spec
        .given([])
        .when(register('anzi-2', 'grid', 'anzi', office, '   '))
        .thenError({
          code: 'validation',
          rule: rules.unitNameRequired,
        });
    });
  });

  describe('renaming and retiring', () => {
    // The unit decider's own stream says anzi-1 exists; the directory places it in 黄岛区.
    const anzi1 = registered('anzi-1', 'grid', 'anzi');
    const rename = (name: string, metadata = office): UnitCommand => ({
      type: 'renameUnit',
      data: { unitId: 'anzi-1', name },
      metadata,
    });
    const retire = (metadata = office): UnitCommand => ({
      type: 'retireUnit',
      data: { unitId: 'anzi-1', reason: '网格调整' },
      metadata,
    });
    const retired: UnitEvent = { type: 'UnitRetired', data: { unitId: 'anzi-1', reason: '网格调整' } };

    it('the office renames a unit', () => {
      spec
        .given([anzi1])
        .when(rename('安子第一网格'))
        .thenEvents([{ type: 'UnitRenamed', data: { unitId: 'anzi-1', name: '安子第一网格' } }]);
    });
    it('renaming to the same name records nothing', () => {
      spec.given([anzi1]).when(rename('anzi-1 名称')).thenNothing();
    });
    it('an unregistered unit cannot be renamed', () => {
      spec.given([]).when(rename('安子第一网格')).thenError({ code: 'not_found', rule: rules.unitNotFound });
    });
    it('an office cannot rename a unit of another district', () => {
      spec.given([anzi1]).when(rename('安子第一网格', otherOffice)).thenError(rules.outsideOfficeDistrict);
    });
    it('the office retires a unit', () => {
      spec.given([anzi1]).when(retire()).thenEvents([retired]);
    });
    it('a retired unit accepts no changes', () => {
      spec.given([anzi1, retired]).when(retire()).thenError({ code: 'invalid_state', rule: rules.unitRetired });
      spec.given([anzi1, retired]).when(rename('新名')).thenError(rules.unitRetired);
    });
    it('only the office retires units', () => {
      spec.given([anzi1]).when(retire(secretary)).thenError(rules.notOffice);
    });
  });
});

describe('people and roles', () => {
  const spec = deciderSpecification(personDecider, context);
  const residentData: PersonRegisteredData = {
    personId: 'p-1',
    kind: 'resident',
    name: '张三',
    phone: '13800000000',
    idNumber: '370211199001011234',
  };
  const officialData: PersonRegisteredData = { personId: 'p-1', kind: 'official', name: '李书记' };
  const registeredAs = (data: PersonRegisteredData): PersonEvent => ({ type: 'PersonRegistered', data });
  const resident = registeredAs(residentData);
  const official = registeredAs(officialData);
  const enterprise = registeredAs({ personId: 'p-1', kind: 'enterprise', name: '尼得科电梯' });
  const registerPerson = (data: PersonRegisteredData, metadata = office): PersonCommand => ({
    type: 'registerPerson',
    data,
    metadata,
  });
  const grant = (role: DirectoryRole, unitId: string, metadata = office): PersonCommand => ({
    type: 'grantRole',
    data: { personId: 'p-1', role, unitId },
    metadata,
  });
  const granted = (role: DirectoryRole, unitId: string, since = now): PersonEvent => ({
    type: 'RoleGranted',
    data: { personId: 'p-1', role, unitId, since },
  });
  const revoke = (role: DirectoryRole, unitId: string, metadata = office): PersonCommand => ({
    type: 'revokeRole',
    data: { personId: 'p-1', role, unitId, reason: '换届' },
    metadata,
  });

  describe('registration', () => {
    it('the office registers a resident, with name, phone and ID number', () => {
      spec
        .given([])
        .when(registerPerson({ ...residentData, name: ' 张三 ' }))
        .thenEvents([resident]);
    });
    it('only the office (or system) registers people: a grid worker cannot', () => {
      spec
        .given([])
        .when(registerPerson(officialData, as({ personId: 'gw', role: 'grid_worker' })))
        .thenError({ code: 'forbidden', rule: rules.notOffice });
    });
    it('a person is registered once', () => {
      spec
        .given([official])
        .when(registerPerson(officialData, system))
        .thenError({ code: 'conflict', rule: rules.personAlreadyRegistered });
    });
    it('a person needs a name', () => {
      spec
        .given([])
        .when(registerPerson({ ...officialData, name: '' }))
        .thenError({ code: 'validation', rule: rules.personNameRequired });
    });
    it("a resident's name, phone and ID number are marked personal; an enterprise's name is public", () => {
      expect(
        personalFields(PersonRegistered.codec)
          .map((f) => f.path)
          .sort(),
      ).toEqual(['idNumber', 'name', 'phone']);
      expect(personalValues(PersonRegistered.codec, residentData).sort()).toEqual(
        ['13800000000', '370211199001011234', '张三'].sort(),
      );
      const residentBranch = PersonRegistered.codec.types[0];
      const enterpriseBranch = PersonRegistered.codec.types[1];
      expect(personalFields(residentBranch).map((f) => f.path)).toContain('name');
      expect(personalFields(enterpriseBranch).map((f) => f.path)).not.toContain('name');
    });
  });

  describe('appointments: who appoints', () => {
    it('the office appoints a secretary, dated by the command', () => {
      spec
        .given([official])
        .when(grant('secretary', 'anzi'))
        .thenEvents([granted('secretary', 'anzi')]);
    });
    it('only the office appoints secretaries', () => {
      spec
        .given([official])
        .when(grant('secretary', 'anzi', secretary))
        .thenError({ code: 'forbidden', rule: rules.notOffice });
    });
    it('system appoints the first office holder (bootstrap)', () => {
      spec
        .given([official])
        .when(grant('office', 'huangdao', system))
        .thenEvents([granted('office', 'huangdao')]);
    });
    it("an office cannot appoint in another district's units", () => {
      spec
        .given([official])
        .when(grant('secretary', 'anzi', otherOffice))
        .thenError({
          code: 'forbidden',
          rule: rules.outsideOfficeDistrict,
        });
    });
    it('an office acting for a named district is held to that district', () => {
      const named = as({ personId: 'office-hd', role: 'office', unitId: 'jiaozhou' });
      spec
        .given([official])
        .when(grant('secretary', 'anzi', named))
        .thenError(rules.notOffice);
    });
  });

  describe('appointments: where each role is held', () => {
    it('a department handler is appointed in a department', () => {
      spec
        .given([official])
        .when(grant('department_handler', 'civil-affairs'))
        .thenEvents([granted('department_handler', 'civil-affairs')]);
    });
    it('a department handler can only be appointed in a department', () => {
      const error = spec.given([official]).when(grant('department_handler', 'xuejiadao')).thenError({
        code: 'validation',
        rule: rules.roleWrongUnitKind,
      });
      expect(error.details).toMatchObject({ allowedKinds: ['department'], kind: 'street' });
    });
    it('a grid worker is appointed in a grid', () => {
      spec
        .given([official])
        .when(grant('grid_worker', 'anzi-1'))
        .thenEvents([granted('grid_worker', 'anzi-1')]);
    });
    it('a grid worker can only be appointed in a grid', () => {
      spec.given([official]).when(grant('grid_worker', 'anzi')).thenError(rules.roleWrongUnitKind);
    });
    it('the office role is held in a district', () => {
      spec
        .given([official])
        .when(grant('office', 'huangdao'))
        .thenEvents([granted('office', 'huangdao')]);
    });
    it('the office role can only be held in a district', () => {
      spec.given([official]).when(grant('office', 'xuejiadao')).thenError(rules.roleWrongUnitKind);
    });
    it("a member's unit is their home district (分区)", () => {
      spec
        .given([official])
        .when(grant('member', 'huangdao'))
        .thenEvents([granted('member', 'huangdao')]);
    });
    it('a member cannot be enrolled in a community instead of a district', () => {
      spec.given([official]).when(grant('member', 'anzi')).thenError(rules.roleWrongUnitKind);
    });
    it('a secretary leads a unit at any level, a grid included', () => {
      spec
        .given([official])
        .when(grant('secretary', 'anzi-1'))
        .thenEvents([granted('secretary', 'anzi-1')]);
    });
    it('a resident lives in a community or grid, not in a department', () => {
      spec
        .given([resident])
        .when(grant('resident', 'anzi-1'))
        .thenEvents([granted('resident', 'anzi-1')]);
      spec.given([resident]).when(grant('resident', 'civil-affairs')).thenError(rules.roleWrongUnitKind);
    });
    it('the unit of a role must be registered', () => {
      spec
        .given([official])
        .when(grant('secretary', 'nowhere'))
        .thenError({ code: 'not_found', rule: rules.roleUnitNotFound });
    });
    it('no role is granted in a retired unit', () => {
      spec.given([official]).when(grant('secretary', 'old-town')).thenError({
        code: 'invalid_state',
        rule: rules.roleUnitRetired,
      });
    });
  });

  describe('appointments: who may hold each role', () => {
    it('a resident may be a party member', () => {
      spec
        .given([resident])
        .when(grant('member', 'huangdao'))
        .thenEvents([granted('member', 'huangdao')]);
    });
    it('a resident cannot be appointed secretary: that is an official', () => {
      spec
        .given([resident])
        .when(grant('secretary', 'anzi'))
        .thenError({ code: 'validation', rule: rules.roleWrongPersonKind });
    });
    it('an enterprise holds the enterprise role', () => {
      spec
        .given([enterprise])
        .when(grant('enterprise', 'xuejiadao'))
        .thenEvents([granted('enterprise', 'xuejiadao')]);
    });
    it('an enterprise cannot be a party member', () => {
      spec.given([enterprise]).when(grant('member', 'huangdao')).thenError(rules.roleWrongPersonKind);
    });
  });

  describe('appointments: holdings', () => {
    it('a secretary may lead several units', () => {
      spec
        .given([official, granted('secretary', 'anzi')])
        .when(grant('secretary', 'anzi-1'))
        .thenEvents([granted('secretary', 'anzi-1')]);
    });
    it('a role already held in a unit is not granted again', () => {
      spec
        .given([official, granted('secretary', 'anzi')])
        .when(grant('secretary', 'anzi'))
        .thenError({
          code: 'conflict',
          rule: rules.roleAlreadyHeld,
        });
    });
    it('a member has one home district at a time', () => {
      const error = spec
        .given([official, granted('member', 'jiaozhou', '2026-01-01T00:00:00+08:00')])
        .when(grant('member', 'huangdao'))
        .thenError({ code: 'conflict', rule: rules.roleHeldElsewhere });
      expect(error.details).toMatchObject({ heldIn: 'jiaozhou' });
    });
    it('after moving out, a member is enrolled in the new district', () => {
      const moved: PersonEvent = {
        type: 'RoleRevoked',
        data: { personId: 'p-1', role: 'member', unitId: 'jiaozhou', until: '2026-02-01T00:00:00+08:00' },
      };
      spec
        .given([official, granted('member', 'jiaozhou', '2026-01-01T00:00:00+08:00'), moved])
        .when(grant('member', 'huangdao'))
        .thenEvents([granted('member', 'huangdao')]);
    });
    it('nobody is appointed before being registered', () => {
      spec.given([]).when(grant('secretary', 'anzi')).thenError({ code: 'not_found', rule: rules.personNotFound });
    });
  });

  describe('revocations', () => {
    const held = [official, granted('secretary', 'anzi', '2026-01-05T00:00:00+08:00')];
    it('the office revokes a role, dated by the command', () => {
      spec
        .given(held)
        .when(revoke('secretary', 'anzi'))
        .thenEvents([
          {
            type: 'RoleRevoked',
            data: { personId: 'p-1', role: 'secretary', unitId: 'anzi', until: now, reason: '换届' },
          },
        ]);
    });
    it('a role not held cannot be revoked', () => {
      spec.given(held).when(revoke('secretary', 'anzi-1')).thenError({ code: 'not_found', rule: rules.roleNotHeld });
    });
    it('only the office revokes roles', () => {
      spec
        .given(held)
        .when(revoke('secretary', 'anzi', secretary))
        .thenError(rules.notOffice);
    });
    it('an office cannot revoke a role held in another district', () => {
      spec
        .given(held)
        .when(revoke('secretary', 'anzi', otherOffice))
        .thenError(rules.outsideOfficeDistrict);
    });
  });

  describe('deactivation', () => {
    const held = [official, granted('secretary', 'anzi'), granted('member', 'huangdao')];
    const deactivate = (metadata = office): PersonCommand => ({
      type: 'deactivatePerson',
      data: { personId: 'p-1', reason: '调离' },
      metadata,
    });
    it('deactivation ends every role, dated, then the person', () => {
      spec
        .given(held)
        .when(deactivate())
        .thenEvents([
          {
            type: 'RoleRevoked',
            data: { personId: 'p-1', role: 'secretary', unitId: 'anzi', until: now, reason: '调离' },
          },
          {
            type: 'RoleRevoked',
            data: { personId: 'p-1', role: 'member', unitId: 'huangdao', until: now, reason: '调离' },
          },
          { type: 'PersonDeactivated', data: { personId: 'p-1', reason: '调离' } },
        ]);
    });
    it('an office cannot deactivate someone holding roles in another district', () => {
      spec.given(held).when(deactivate(otherOffice)).thenError(rules.outsideOfficeDistrict);
    });
    it('a deactivated person accepts no changes', () => {
      const gone: PersonEvent = { type: 'PersonDeactivated', data: { personId: 'p-1' } };
      spec
        .given([official, gone])
        .when(deactivate())
        .thenError({ code: 'invalid_state', rule: rules.personDeactivated });
      spec.given([official, gone]).when(grant('secretary', 'anzi')).thenError(rules.personDeactivated);
    });
  });

  it('folding keeps the roles held now, each with its date', () => {
    const state = [
      official,
      granted('secretary', 'anzi', '2026-01-05T00:00:00+08:00'),
      granted('member', 'huangdao', '2026-01-06T00:00:00+08:00'),
      { type: 'RoleRevoked', data: { personId: 'p-1', role: 'secretary', unitId: 'anzi', until: now } } as PersonEvent,
    ].reduce(personDecider.evolve, personDecider.initialState);
    expect(state).toEqual({
      status: 'active',
      personId: 'p-1',
      kind: 'official',
      holdings: [{ role: 'member', unitId: 'huangdao', since: '2026-01-06T00:00:00+08:00' }],
    });
    expect(E.isRight(personDecider.decide(grant('secretary', 'anzi'), state, context))).toBe(true);
  });
});
