// The facts of an enterprise's service (企业服务经理人 / 服务专员, seeds 000 and 002), as stored in the stream
// `service-<enterpriseId>` (fieldwork/origin.ts's `originStreamId`): which official serves the enterprise, from
// when to when, and every contact (对接) they recorded in the four roles. Payload codecs are lenient (plain
// strings): the command codecs validate input once, and a stored event must stay readable if they tighten.
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';

export const serviceStreamId = (enterpriseId: string): string => `service-${enterpriseId}`;

/** Roles an official may serve an enterprise in: the cadres of the seeds (书记, 部门干部, 党员干部). */
export const ServiceOfficerRole = t.keyof(
  { secretary: null, department_handler: null, member: null },
  'ServiceOfficerRole',
);
export type ServiceOfficerRole = t.TypeOf<typeof ServiceOfficerRole>;

/** 电话 · 上门 · 座谈: how the contact was made; only `on_site` counts towards the on-site visits. */
export const ContactKind = t.keyof({ phone: null, on_site: null, meeting: null }, 'ContactKind');
export type ContactKind = t.TypeOf<typeof ContactKind>;

/** 宣传员 (policy), 调研员 (research), 协办员 (assistance), 联络员 (liaison): the four roles of a contact. */
export const serviceRoles = ['policy', 'research', 'assistance', 'liaison'] as const;
export const ServiceRole = t.keyof({ policy: null, research: null, assistance: null, liaison: null }, 'ServiceRole');
export type ServiceRole = t.TypeOf<typeof ServiceRole>;

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** The official serving, as the directory named them at assignment; public, as they act in role. */
export const ServiceOfficerRecord = t.exact(
  t.type({ personId: t.string, role: ServiceOfficerRole, unitId: t.string }),
  'ServiceOfficerRecord',
);
export type ServiceOfficerRecord = t.TypeOf<typeof ServiceOfficerRecord>;

/** What the officer did in one of the four roles: the official's own account, public. */
export const ServiceWork = t.exact(t.type({ role: ServiceRole, summary: t.string }), 'ServiceWork');
export type ServiceWork = t.TypeOf<typeof ServiceWork>;

/** A need the officer found. The enterprise's words often carry a name or a number: never public as such. */
export const ServiceNeed = t.exact(
  t.type({ needId: t.string, description: personal(t.string, 'free_text_contact') }),
  'ServiceNeed',
);
export type ServiceNeed = t.TypeOf<typeof ServiceNeed>;

/** The enterprise's person met or called: their name and phone are their personal data. */
export const EnterpriseContactPerson = t.exact(
  t.partial({ name: personal(t.string, 'name'), phone: personal(t.string, 'phone') }),
  'EnterpriseContactPerson',
);
export type EnterpriseContactPerson = t.TypeOf<typeof EnterpriseContactPerson>;

/** The people an enterprise's contacts name belong to that one service: `service-<id>#contact`. */
export const serviceDataSubject = (_data: unknown, streamId: string): string => `${streamId}#contact`;

/** 指定服务专员: the office pairs one official with the enterprise (一企一专员). */
export const ServiceAssigned = defineEvent(
  'ServiceAssigned',
  t.exact(
    t.type({
      enterpriseId: t.string,
      /** An enterprise's name is public, as on a 公示 notice. */
      enterpriseName: t.string,
      /** The unit the enterprise lies in (its street or town). */
      unitId: t.string,
      officer: ServiceOfficerRecord,
      /** Business time the service began: the first-contact window runs from its calendar day. */
      since: t.string,
    }),
  ),
  { dataSubject: serviceDataSubject },
);
export type ServiceAssigned = EventOf<typeof ServiceAssigned>;

/** 更换服务专员: another official takes over; the one before served until `since`. */
export const ServiceOfficerReplaced = defineEvent(
  'ServiceOfficerReplaced',
  t.exact(
    t.type({
      enterpriseId: t.string,
      previousOfficerId: t.string,
      officer: ServiceOfficerRecord,
      since: t.string,
      reason: nullable(t.string),
    }),
  ),
);
export type ServiceOfficerReplaced = EventOf<typeof ServiceOfficerReplaced>;

/** 结束服务: the enterprise is no longer served (closed, moved away, no longer 四上); it may be assigned again. */
export const ServiceEnded = defineEvent(
  'ServiceEnded',
  t.exact(t.type({ enterpriseId: t.string, officerId: t.string, until: t.string, reason: t.string })),
);
export type ServiceEnded = EventOf<typeof ServiceEnded>;

/** Personal fields are sealed from v2 on (docs/privacy.md); v1 is their shape in the clear. */
const sealedFromV2 = { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2 } as const;

/** 对接: one contact with the enterprise. */
export const ServiceContactRecorded = defineEvent(
  'ServiceContactRecorded',
  t.exact(
    t.type({
      enterpriseId: t.string,
      contactId: t.string,
      officerId: t.string,
      /** The calendar day of the contact (it may be recorded later than it happened). */
      date: t.string,
      kind: ContactKind,
      work: t.array(ServiceWork),
      needs: t.array(ServiceNeed),
      contactPerson: nullable(EnterpriseContactPerson),
    }),
  ),
  sealedFromV2,
);
export type ServiceContactRecorded = EventOf<typeof ServiceContactRecorded>;

/** A need the officer could not settle was raised as a problem (征题, source enterprise): the link, this side. */
export const ServiceNeedRaisedAsProblem = defineEvent(
  'ServiceNeedRaisedAsProblem',
  t.exact(
    t.type({
      enterpriseId: t.string,
      contactId: t.string,
      needId: nullable(t.string),
      problemId: t.string,
      officerId: t.string,
    }),
  ),
);
export type ServiceNeedRaisedAsProblem = EventOf<typeof ServiceNeedRaisedAsProblem>;

export const serviceEvents = [
  ServiceAssigned,
  ServiceOfficerReplaced,
  ServiceEnded,
  ServiceContactRecorded,
  ServiceNeedRaisedAsProblem,
] as const;

export type ServiceEvent = EventOf<(typeof serviceEvents)[number]>;

export const serviceEventRegistry = createEventRegistry(serviceEvents);
