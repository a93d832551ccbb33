// Every rule of the enterprise-service decider — assigning, replacing and ending a service officer, recording a
// contact (对接), linking a need raised as a problem — as given / when / then, allowed and refused.
import { deciderSpecification } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeWith } from '../codec/decode.js';
import type { CommandMetadata } from '../decider.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { RecordServiceContactData, type ServiceCommand } from './commands.js';
import { serviceDecider } from './decider.js';
import { serviceRules as rules } from './errors.js';
import type { ServiceEvent } from './events.js';

const since = '2026-01-01T00:00:00+08:00';
const context: DecisionContext = {
  directory: directoryViewOf({
    units: [
      { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
      { unitId: 'jiulong', name: '九龙街道', kind: 'street', parentId: 'jiaozhou' },
      { unitId: 'jiaoxi', name: '胶西街道', kind: 'street', parentId: 'jiaozhou' },
      { unitId: 'old-town', name: '已撤并镇', kind: 'street', parentId: 'jiaozhou', retired: true },
      { unitId: 'huangdao', name: '黄岛区', kind: 'district', parentId: null },
      { unitId: 'xuejiadao', name: '薛家岛街道', kind: 'street', parentId: 'huangdao' },
    ],
    holdings: [
      { personId: 'office-jz', role: 'office', unitId: 'jiaozhou', since },
      { personId: 'office-hd', role: 'office', unitId: 'huangdao', since },
      { personId: 'cadre-wang', role: 'department_handler', unitId: 'jiaoxi', since },
      { personId: 'cadre-li', role: 'secretary', unitId: 'jiulong', since },
      { personId: 'cadre-li', role: 'member', unitId: 'jiulong', since },
      { personId: 'cadre-zhao', role: 'member', unitId: 'jiulong', since },
      { personId: 'cadre-hd', role: 'secretary', unitId: 'xuejiadao', since },
      { personId: 'resident-1', role: 'resident', unitId: 'jiulong', since },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const assignedAt = '2026-03-02T09:00:00+08:00';
const as = (actor: Actor, now = assignedAt): CommandMetadata => ({ actor, now });
const office = (now = assignedAt) => as({ personId: 'office-jz', role: 'office' }, now);
const wang = (now = '2026-03-10T15:00:00+08:00') => as({ personId: 'cadre-wang', role: 'department_handler' }, now);
const li = (now = '2026-04-10T15:00:00+08:00') => as({ personId: 'cadre-li', role: 'secretary' }, now);

const enterprise = { enterpriseId: 'ent-haier-jz', enterpriseName: '青岛某精密机械有限公司', unitId: 'jiaoxi' };
const wangServing = { personId: 'cadre-wang', role: 'department_handler', unitId: 'jiaoxi' } as const;
const liServing = { personId: 'cadre-li', role: 'secretary', unitId: 'jiulong' } as const;

const assign = (officerId = 'cadre-wang', metadata = office(), extra: object = {}): ServiceCommand => ({
  type: 'assignServiceOfficer',
  data: { ...enterprise, officerId, ...extra },
  metadata,
});
const assigned: ServiceEvent = {
  type: 'ServiceAssigned',
  data: { ...enterprise, officer: wangServing, since: assignedAt },
};
const replaceAt = '2026-04-01T09:00:00+08:00';
const replace = (officerId = 'cadre-li', metadata = office(replaceAt), extra: object = {}): ServiceCommand => ({
  type: 'replaceServiceOfficer',
  data: { enterpriseId: enterprise.enterpriseId, officerId, ...extra },
  metadata,
});
const replaced: ServiceEvent = {
  type: 'ServiceOfficerReplaced',
  data: {
    enterpriseId: enterprise.enterpriseId,
    previousOfficerId: 'cadre-wang',
    officer: liServing,
    since: replaceAt,
    reason: '工作调整',
  },
};
const endAt = '2026-06-30T09:00:00+08:00';
const end = (metadata = office(endAt)): ServiceCommand => ({
  type: 'endService',
  data: { enterpriseId: enterprise.enterpriseId, reason: '企业迁出' },
  metadata,
});
const ended: ServiceEvent = {
  type: 'ServiceEnded',
  data: { enterpriseId: enterprise.enterpriseId, officerId: 'cadre-wang', until: endAt, reason: '企业迁出' },
};

type ContactData = Extract<ServiceCommand, { type: 'recordServiceContact' }>['data'];
const contactData: ContactData = {
  enterpriseId: enterprise.enterpriseId,
  contactId: 'c-1',
  date: '2026-03-09',
  kind: 'on_site',
  work: [
    { role: 'policy', summary: '宣讲技改补贴政策' },
    { role: 'research', summary: '了解订单与用工情况' },
  ],
  needs: [{ needId: 'n-1', description: '厂区门前道路破损，货车进出困难' }],
  contactPerson: { name: '刘经理', phone: '13800000000' },
};
const contact = (change: Partial<ContactData> = {}, metadata = wang()): ServiceCommand => ({
  type: 'recordServiceContact',
  data: { ...contactData, ...change },
  metadata,
});
const contacted: ServiceEvent = {
  type: 'ServiceContactRecorded',
  data: {
    enterpriseId: enterprise.enterpriseId,
    contactId: 'c-1',
    officerId: 'cadre-wang',
    date: '2026-03-09',
    kind: 'on_site',
    work: contactData.work,
    needs: [{ needId: 'n-1', description: '厂区门前道路破损，货车进出困难' }],
    contactPerson: { name: '刘经理', phone: '13800000000' },
  },
};
const raise = (change: object = {}, metadata = wang()): ServiceCommand => ({
  type: 'raiseServiceNeedAsProblem',
  data: { enterpriseId: enterprise.enterpriseId, contactId: 'c-1', needId: 'n-1', problemId: 'p-road', ...change },
  metadata,
});
const raised: ServiceEvent = {
  type: 'ServiceNeedRaisedAsProblem',
  data: {
    enterpriseId: enterprise.enterpriseId,
    contactId: 'c-1',
    needId: 'n-1',
    problemId: 'p-road',
    officerId: 'cadre-wang',
  },
};

const spec = deciderSpecification(serviceDecider, context);

describe('assigning a service officer (指定服务专员)', () => {
  it("the office assigns an official of its district to an enterprise, in the official's serving role", () => {
    spec.given([]).when(assign()).thenEvents([assigned]);
  });
  it('an official holding several serving roles serves in the one named, else the first of secretary, handler, member', () => {
    spec
      .given([])
      .when(assign('cadre-li'))
      .thenEvents([{ type: 'ServiceAssigned', data: { ...enterprise, officer: liServing, since: assignedAt } }]);
    spec
      .given([])
      .when(assign('cadre-li', office(), { officerRole: 'member' }))
      .thenEvents([
        {
          type: 'ServiceAssigned',
          data: { ...enterprise, officer: { ...liServing, role: 'member' }, since: assignedAt },
        },
      ]);
  });
  it('an enterprise already served is not assigned a second officer: the officer is replaced instead', () => {
    spec.given([assigned]).when(assign('cadre-li')).thenError({ code: 'conflict', rule: rules.assignAlreadyAssigned });
  });
  it('an ended service may be assigned again, to a new officer', () => {
    spec
      .given([assigned, ended])
      .when(assign('cadre-li', office('2026-07-01T09:00:00+08:00')))
      .thenEvents([
        {
          type: 'ServiceAssigned',
          data: { ...enterprise, officer: liServing, since: '2026-07-01T09:00:00+08:00' },
        },
      ]);
  });
  it('only the office assigns', () => {
    spec
      .given([])
      .when(assign('cadre-wang', as({ personId: 'cadre-li', role: 'secretary' })))
      .thenError({ code: 'forbidden', rule: rules.notOffice });
    spec
      .given([])
      .when(assign('cadre-wang', as({ personId: 'cadre-li', role: 'office' })))
      .thenError({ code: 'forbidden', rule: rules.notOffice });
  });
  it('the office of another district does not assign here', () => {
    spec
      .given([])
      .when(assign('cadre-wang', as({ personId: 'office-hd', role: 'office' })))
      .thenError({ code: 'forbidden', rule: rules.officeOutsideDistrict });
  });
  it('the enterprise lies in a unit of the directory that is not retired', () => {
    spec
      .given([])
      .when({ ...assign(), data: { ...enterprise, unitId: 'nowhere', officerId: 'cadre-wang' } } as ServiceCommand)
      .thenError({ code: 'validation', rule: rules.assignUnknownUnit });
    spec
      .given([])
      .when({ ...assign(), data: { ...enterprise, unitId: 'old-town', officerId: 'cadre-wang' } } as ServiceCommand)
      .thenError({ code: 'invalid_state', rule: rules.assignRetiredUnit });
  });
  it('the officer holds a serving role (secretary, department handler, member) in the same district', () => {
    spec.given([]).when(assign('resident-1')).thenError({ code: 'forbidden', rule: rules.officerCannotServe });
    spec.given([]).when(assign('nobody')).thenError({ code: 'forbidden', rule: rules.officerCannotServe });
    spec.given([]).when(assign('cadre-hd')).thenError({ code: 'forbidden', rule: rules.officerCannotServe });
  });
  it('a role named for the officer must be one they hold', () => {
    spec
      .given([])
      .when(assign('cadre-zhao', office(), { officerRole: 'secretary' }))
      .thenError({ code: 'forbidden', rule: rules.officerRoleNotHeld });
  });
});

describe('replacing the officer and ending the service', () => {
  it('the office replaces the officer; the one before served until then', () => {
    spec
      .given([assigned])
      .when(replace('cadre-li', office(replaceAt), { reason: '工作调整' }))
      .thenEvents([replaced]);
  });
  it('a reason is optional', () => {
    spec
      .given([assigned])
      .when(replace())
      .thenEvents([{ ...replaced, data: { ...replaced.data, reason: null } } as ServiceEvent]);
  });
  it('an officer is not replaced by themself', () => {
    spec
      .given([assigned])
      .when(replace('cadre-wang'))
      .thenError({ code: 'validation', rule: rules.replaceSameOfficer });
  });
  it('the new officer must be able to serve, and only the office of the district replaces', () => {
    spec.given([assigned]).when(replace('resident-1')).thenError({ code: 'forbidden', rule: rules.officerCannotServe });
    spec.given([assigned]).when(replace('cadre-li', wang())).thenError({ code: 'forbidden', rule: rules.notOffice });
    spec
      .given([assigned])
      .when(replace('cadre-li', as({ personId: 'office-hd', role: 'office' })))
      .thenError({ code: 'forbidden', rule: rules.officeOutsideDistrict });
  });
  it('the office ends the service, with a reason', () => {
    spec.given([assigned]).when(end()).thenEvents([ended]);
    spec.given([assigned]).when(end(wang())).thenError({ code: 'forbidden', rule: rules.notOffice });
  });
  it('nothing but a new assignment is accepted once the service has ended', () => {
    for (const command of [end(), replace(), contact(), raise()])
      spec.given([assigned, ended]).when(command).thenError({ code: 'invalid_state', rule: rules.ended });
  });
  it('nothing but an assignment is accepted for an enterprise never assigned', () => {
    for (const command of [end(), replace(), contact(), raise()])
      spec.given([]).when(command).thenError({ code: 'not_found', rule: rules.notAssigned });
  });
});

describe('recording a contact (对接)', () => {
  it('the current officer records a contact with what was done in the roles, the needs found and the person met', () => {
    spec.given([assigned]).when(contact()).thenEvents([contacted]);
  });
  it('needs and the person met are optional', () => {
    spec
      .given([assigned])
      .when(
        contact({
          needs: undefined,
          contactPerson: {},
          kind: 'phone',
          work: [{ role: 'liaison', summary: '电话回访' }],
        }),
      )
      .thenEvents([
        {
          type: 'ServiceContactRecorded',
          data: {
            ...contacted.data,
            kind: 'phone',
            work: [{ role: 'liaison', summary: '电话回访' }],
            needs: [],
            contactPerson: null,
          },
        },
      ]);
  });
  it('only the current officer records a contact: not the officer replaced, nor anyone else', () => {
    spec.given([assigned]).when(contact({}, li())).thenError({ code: 'forbidden', rule: rules.contactNotOfficer });
    spec
      .given([assigned, replaced])
      .when(contact({ date: '2026-04-09' }, wang('2026-04-10T09:00:00+08:00')))
      .thenError({ code: 'forbidden', rule: rules.contactNotOfficer });
    spec
      .given([assigned, replaced])
      .when(contact({ date: '2026-04-09' }, li()))
      .thenEvents([
        { ...contacted, data: { ...contacted.data, date: '2026-04-09', officerId: 'cadre-li' } } as ServiceEvent,
      ]);
  });
  it('an officer who no longer holds the role they serve in records nothing', () => {
    const withoutRole: DecisionContext = {
      ...context,
      directory: directoryViewOf({
        units: [{ unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null }],
        holdings: [{ personId: 'cadre-wang', role: 'member', unitId: 'jiaozhou', since }],
      }),
    };
    deciderSpecification(serviceDecider, withoutRole)
      .given([assigned])
      .when(contact())
      .thenError({ code: 'forbidden', rule: rules.contactRoleNotHeld });
  });
  it('a contact is not dated in the future, nor before the current officer was assigned', () => {
    spec
      .given([assigned])
      .when(contact({ date: '2026-03-11' }))
      .thenError({ code: 'validation', rule: rules.contactInFuture });
    spec
      .given([assigned])
      .when(contact({ date: '2026-03-01' }))
      .thenError({ code: 'validation', rule: rules.contactBeforeAssignment });
    spec
      .given([assigned, replaced])
      .when(contact({ date: '2026-03-31' }, li()))
      .thenError({ code: 'validation', rule: rules.contactBeforeAssignment });
  });
  it('a contact may be recorded on the day itself, or later than it happened', () => {
    spec
      .given([assigned])
      .when(contact({ date: '2026-03-10' }))
      .thenEvents([{ ...contacted, data: { ...contacted.data, date: '2026-03-10' } } as ServiceEvent]);
    spec
      .given([assigned])
      .when(contact({ date: '2026-03-02' }, wang('2026-05-01T09:00:00+08:00')))
      .thenEvents([{ ...contacted, data: { ...contacted.data, date: '2026-03-02' } } as ServiceEvent]);
  });
  it('a contact id is recorded once; a role is told once per contact; a need id once per service', () => {
    spec
      .given([assigned, contacted])
      .when(contact())
      .thenError({ code: 'conflict', rule: rules.contactAlreadyRecorded });
    spec
      .given([assigned])
      .when(
        contact({
          work: [
            { role: 'policy', summary: 'a' },
            { role: 'policy', summary: 'b' },
          ],
        }),
      )
      .thenError({ code: 'validation', rule: rules.contactRepeatedRole });
    spec
      .given([assigned, contacted])
      .when(contact({ contactId: 'c-2' }))
      .thenError({ code: 'validation', rule: rules.contactRepeatedNeed });
  });
  it('the body needs at least one of the four roles, and a known contact kind', () => {
    const decode = decodeWith(RecordServiceContactData);
    expect(E.isLeft(decode({ ...contactData, work: [] }))).toBe(true);
    expect(E.isLeft(decode({ ...contactData, kind: 'email' }))).toBe(true);
    expect(E.isLeft(decode({ ...contactData, work: [{ role: 'cheerleader', summary: 'x' }] }))).toBe(true);
    expect(E.isLeft(decode({ ...contactData, date: '2026-02-30' }))).toBe(true);
    expect(E.isRight(decode(contactData))).toBe(true);
  });
});

describe('a need raised as a problem (需求转题)', () => {
  it("the current officer links a contact's need to the problem it became", () => {
    spec.given([assigned, contacted]).when(raise()).thenEvents([raised]);
  });
  it('the need is optional: the contact alone may be the origin', () => {
    spec
      .given([assigned, contacted])
      .when(raise({ needId: undefined }))
      .thenEvents([{ ...raised, data: { ...raised.data, needId: null } } as ServiceEvent]);
  });
  it('the contact and the need must be recorded, and a problem is linked once', () => {
    spec
      .given([assigned, contacted])
      .when(raise({ contactId: 'c-9' }))
      .thenError({ code: 'validation', rule: rules.raiseUnknownContact });
    spec
      .given([assigned, contacted])
      .when(raise({ needId: 'n-9' }))
      .thenError({ code: 'validation', rule: rules.raiseUnknownNeed });
    spec
      .given([assigned, contacted, raised])
      .when(raise({ needId: undefined }))
      .thenError({ code: 'conflict', rule: rules.raiseAlreadyLinked });
  });
  it('only the current officer links a need', () => {
    spec
      .given([assigned, contacted])
      .when(raise({}, li()))
      .thenError({ code: 'forbidden', rule: rules.raiseNotOfficer });
  });
});
