// The Open311 GeoReport v2 intake, "POST a service request", as the API document describes it: the form
// fields a client sends and what it is answered. Served outside the API's base path, at the place Open311
// clients look for it; the handler that decodes the form and turns it into 征题 lives with the router.
import { personal } from '@banshishi/core';
import * as t from 'io-ts';
import type { Bilingual } from './command-routes.js';

export interface Open311PostRoute {
  readonly operationId: string;
  readonly method: 'post';
  /** The full path: Open311 routes are not under the API's base. */
  readonly path: string;
  /** The answer's format, named by the path's extension as GeoReport v2 has it. */
  readonly format: 'json' | 'xml';
  readonly summary: Bilingual;
  /** The form's fields (application/x-www-form-urlencoded): all text, as forms are. */
  readonly codec: t.Mixed;
  readonly example: Readonly<Record<string, string>>;
}

/**
 * A GeoReport v2 service request. A location is one of lat + long, address_string or address_id (the
 * decoder checks that one is given). Everything that identifies or locates the resident is personal data.
 */
export const Open311RequestForm = t.exact(
  t.intersection([
    t.type({ api_key: t.string, service_code: t.string }),
    t.partial({
      jurisdiction_id: t.string,
      lat: personal(t.string, 'location'),
      long: personal(t.string, 'location'),
      address_string: personal(t.string, 'address'),
      address_id: t.string,
      email: personal(t.string, 'email'),
      device_id: t.string,
      account_id: t.string,
      first_name: personal(t.string, 'name'),
      last_name: personal(t.string, 'name'),
      phone: personal(t.string, 'phone'),
      description: personal(t.string, 'free_text_contact'),
      media_url: t.string,
    }),
  ]),
  'Open311RequestForm',
);

/** The answer to a request taken: its id, and a notice for the resident (empty when there is none). */
export const Open311RequestCreated = t.array(
  t.type({ service_request_id: t.string, service_notice: t.string }, 'Open311ServiceRequest'),
  'Open311RequestCreated',
);

/** GeoReport v2's errors: a list, each with a code (the HTTP status) and a description. */
export const Open311Errors = t.array(
  t.type({ code: t.number, description: t.string }, 'Open311Error'),
  'Open311Errors',
);

const example = {
  api_key: 'app-key-issued-by-the-office',
  service_code: 'streetlight',
  lat: '36.270100',
  long: '120.033300',
  description: '3号楼东侧两盏路灯已坏一个月',
  first_name: '明',
  last_name: '张',
  phone: '13800000000',
};

const summary: Bilingual = {
  zh: 'Open311 征题：按 GeoReport v2 提交一个问题',
  en: 'Open311: raise a problem as a GeoReport v2 service request',
};

export const open311PostRoutes: readonly Open311PostRoute[] = [
  {
    operationId: 'open311PostRequestJson',
    method: 'post',
    path: '/open311/v2/requests.json',
    format: 'json',
    summary,
    codec: Open311RequestForm,
    example,
  },
  {
    operationId: 'open311PostRequestXml',
    method: 'post',
    path: '/open311/v2/requests.xml',
    format: 'xml',
    summary,
    codec: Open311RequestForm,
    example,
  },
];
