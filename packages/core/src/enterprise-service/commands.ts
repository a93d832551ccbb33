// What callers ask of an enterprise's service, and the codecs that admit a request's body at the boundary.
// Strict where events are lenient: blank texts, unknown kinds or roles, malformed ids and dates stop here,
// with the path of the offending field, before anything is stored. Rules about content (a contact dated in
// the future, a role given twice) live in the decider.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isoDate } from '../codec/dates.js';
import { personal } from '../codec/personal.js';
import { withSchemaHint } from '../codec/schema-hint.js';
import { boundedText, stringMatching } from '../codec/text.js';
import type { Command } from '../decider.js';
import { fieldworkIdPattern } from '../fieldwork/origin.js';
import { ContactKind, ServiceOfficerRole, ServiceRole, serviceStreamId } from './events.js';

const text = boundedText;

/** Ids become part of a stream id or an item's origin (fieldwork/origin.ts): the same alphabet. */
const id = stringMatching('an id of letters, digits, . _ : - (at most 128)', (s) => fieldworkIdPattern.test(s), {
  pattern: fieldworkIdPattern.source,
  minLength: 1,
  maxLength: 128,
});

/** An enterprise id, e.g. from a URL path, checked as the command bodies check it. */
export const EnterpriseId = id;

const phonePattern = /^\+?[0-9][0-9 -]{2,23}$/;
const phoneNumber = stringMatching('a phone number', (s) => phonePattern.test(s), { pattern: phonePattern.source });

const listOf = <C extends t.Mixed>(item: C, minItems: number, maxItems: number) => {
  const array = t.array(item);
  const fits = (a: readonly unknown[]) => a.length >= minItems && a.length <= maxItems;
  const name = `a list of ${minItems} to ${maxItems} items`;
  return withSchemaHint(
    new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
      name,
      (u): u is t.TypeOf<C>[] => array.is(u) && fits(u),
      (u, c) => {
        const decoded = array.validate(u, c);
        return E.isRight(decoded) && !fits(decoded.right) ? t.failure(u, c) : decoded;
      },
      array.encode,
    ),
    { type: 'array', items: item, minItems, maxItems, description: name },
  );
};

/** 指定服务专员: the enterprise by id, name and unit; the official by person id (and role, if they hold several). */
export const AssignServiceOfficerData = t.exact(
  t.intersection([
    t.type({ enterpriseId: EnterpriseId, enterpriseName: text(200), unitId: id, officerId: id }),
    t.partial({ officerRole: ServiceOfficerRole }),
  ]),
  'AssignServiceOfficer',
);
export type AssignServiceOfficerData = t.TypeOf<typeof AssignServiceOfficerData>;

/** 更换服务专员. */
export const ReplaceServiceOfficerData = t.exact(
  t.intersection([
    t.type({ enterpriseId: EnterpriseId, officerId: id }),
    t.partial({ officerRole: ServiceOfficerRole, reason: text(500) }),
  ]),
  'ReplaceServiceOfficer',
);
export type ReplaceServiceOfficerData = t.TypeOf<typeof ReplaceServiceOfficerData>;

/** 结束服务, with the reason (closed, moved away, no longer 四上). */
export const EndServiceData = t.exact(t.type({ enterpriseId: EnterpriseId, reason: text(500) }), 'EndService');
export type EndServiceData = t.TypeOf<typeof EndServiceData>;

/** What was done in one of the four roles (宣传员, 调研员, 协办员, 联络员). */
export const ServiceWorkInput = t.exact(t.type({ role: ServiceRole, summary: text(1000) }), 'ServiceWorkInput');

/** A need found on the contact, in the enterprise's words. */
export const ServiceNeedInput = t.exact(
  t.type({ needId: id, description: personal(text(2000), 'free_text_contact') }),
  'ServiceNeedInput',
);

/** The enterprise's person met or called. */
export const EnterpriseContactPersonInput = t.exact(
  t.partial({ name: personal(text(50), 'name'), phone: personal(phoneNumber, 'phone') }),
  'EnterpriseContactPersonInput',
);

/** 对接: at least one of the four roles; needs and the person met are optional. */
export const RecordServiceContactData = t.exact(
  t.intersection([
    t.type({
      enterpriseId: EnterpriseId,
      contactId: id,
      date: isoDate,
      kind: ContactKind,
      work: listOf(ServiceWorkInput, 1, 4),
    }),
    t.partial({ needs: listOf(ServiceNeedInput, 0, 20), contactPerson: EnterpriseContactPersonInput }),
  ]),
  'RecordServiceContact',
);
export type RecordServiceContactData = t.TypeOf<typeof RecordServiceContactData>;

/** The problem a need became (solicited with origin enterprise_service): the link in the service's stream. */
export const RaiseServiceNeedAsProblemData = t.exact(
  t.intersection([t.type({ enterpriseId: EnterpriseId, contactId: id, problemId: id }), t.partial({ needId: id })]),
  'RaiseServiceNeedAsProblem',
);
export type RaiseServiceNeedAsProblemData = t.TypeOf<typeof RaiseServiceNeedAsProblemData>;

export type AssignServiceOfficer = Command<'assignServiceOfficer', AssignServiceOfficerData>;
export type ReplaceServiceOfficer = Command<'replaceServiceOfficer', ReplaceServiceOfficerData>;
export type EndService = Command<'endService', EndServiceData>;
export type RecordServiceContact = Command<'recordServiceContact', RecordServiceContactData>;
export type RaiseServiceNeedAsProblem = Command<'raiseServiceNeedAsProblem', RaiseServiceNeedAsProblemData>;

export type ServiceCommand =
  | AssignServiceOfficer
  | ReplaceServiceOfficer
  | EndService
  | RecordServiceContact
  | RaiseServiceNeedAsProblem;

/** The data codec of every service command, by command type. */
export const serviceCommandCodecs = {
  assignServiceOfficer: AssignServiceOfficerData,
  replaceServiceOfficer: ReplaceServiceOfficerData,
  endService: EndServiceData,
  recordServiceContact: RecordServiceContactData,
  raiseServiceNeedAsProblem: RaiseServiceNeedAsProblemData,
} as const satisfies {
  readonly [K in ServiceCommand['type']]: t.Type<Extract<ServiceCommand, { type: K }>['data'], unknown, unknown>;
};

/** The stream a service command acts on, for `commandHandler`'s `streamIdOf`. */
export const serviceStreamIdOf = (command: ServiceCommand): string => serviceStreamId(command.data.enterpriseId);
