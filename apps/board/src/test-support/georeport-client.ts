// A GeoReport v2 client written from the Open311 spec alone (wiki.open311.org/GeoReport_v2), as an
// integrator without any knowledge of the board would write it: no published JavaScript client installs
// from the npm registry (the `open311` package needs a git dependency and a native XML parser). It is
// strict where the spec is: the content type and declaration of each format, the root and item elements,
// the W3C datetimes with their offset, the enumerations, and the error list of a failed call.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type GeoReportFormat = 'xml' | 'json';

export interface GeoReportService {
  readonly service_code: string;
  readonly service_name: string;
  readonly description: string | null;
  readonly metadata: boolean;
  readonly type: 'realtime' | 'batch' | 'blackbox';
  readonly keywords: readonly string[];
  readonly group: string | null;
}

export interface GeoReportServiceDefinition {
  readonly service_code: string;
  readonly attributes: readonly Record<string, unknown>[];
}

export interface GeoReportRequest {
  readonly service_request_id: string;
  readonly status: 'open' | 'closed';
  readonly status_notes: string | null;
  readonly service_name: string | null;
  readonly service_code: string | null;
  readonly description: string | null;
  readonly agency_responsible: string | null;
  readonly service_notice: string | null;
  readonly requested_datetime: Date;
  readonly updated_datetime: Date | null;
  readonly expected_datetime: Date | null;
  readonly address: string | null;
  readonly address_id: string | null;
  readonly zipcode: string | null;
  readonly lat: number | null;
  readonly long: number | null;
  readonly media_url: string | null;
}

/** A call the server answered with the spec's error list. */
export class GeoReportError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { readonly code: number; readonly description: string }[],
  ) {
    super(`GeoReport ${status}: ${errors.map((e) => e.description).join('; ')}`);
    this.name = 'GeoReportError';
  }
}

/** The server broke the spec (a wrong content type, a missing field, a malformed datetime). */
export class NonConforming extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonConforming';
  }
}

const fail = (message: string): never => {
  throw new NonConforming(message);
};

const contentTypes: Readonly<Record<GeoReportFormat, RegExp>> = {
  xml: /^text\/xml; ?charset=utf-8$/i,
  json: /^application\/json; ?charset=utf-8$/i,
};

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value'].includes(name),
});

type Raw = Record<string, unknown>;

const text = (record: Raw, field: string, required = false): string | null => {
  const value = record[field];
  if (value === undefined || value === null || value === '') return required ? fail(`${field} missing`) : null;
  return typeof value === 'string' ? value : fail(`${field} is not text: ${JSON.stringify(value)}`);
};

const w3cDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const moment = (record: Raw, field: string, required = false): Date | null => {
  const value = text(record, field, required);
  if (value === null) return null;
  if (!w3cDateTime.test(value)) fail(`${field} is not a W3C datetime with an offset: ${value}`);
  return new Date(value);
};

const coordinate = (record: Raw, field: string): number | null => {
  const value = record[field];
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : fail(`${field} is not a number: ${JSON.stringify(value)}`);
};

const flag = (record: Raw, field: string): boolean => {
  const value = record[field];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(`${field} is not true or false: ${JSON.stringify(value)}`);
};

const oneOf = <K extends string>(record: Raw, field: string, values: readonly K[]): K => {
  const value = text(record, field, true)!;
  return (values as readonly string[]).includes(value) ? (value as K) : fail(`${field} is ${value}`);
};

const serviceOf = (r: Raw): GeoReportService => ({
  service_code: text(r, 'service_code', true)!,
  service_name: text(r, 'service_name', true)!,
  description: text(r, 'description'),
  metadata: flag(r, 'metadata'),
  type: oneOf(r, 'type', ['realtime', 'batch', 'blackbox']),
  keywords: (text(r, 'keywords') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== ''),
  group: text(r, 'group'),
});

const requestOf = (r: Raw): GeoReportRequest => ({
  service_request_id: text(r, 'service_request_id', true)!,
  status: oneOf(r, 'status', ['open', 'closed']),
  status_notes: text(r, 'status_notes'),
  service_name: text(r, 'service_name'),
  service_code: text(r, 'service_code'),
  description: text(r, 'description'),
  agency_responsible: text(r, 'agency_responsible'),
  service_notice: text(r, 'service_notice'),
  requested_datetime: moment(r, 'requested_datetime', true)!,
  updated_datetime: moment(r, 'updated_datetime'),
  expected_datetime: moment(r, 'expected_datetime'),
  address: text(r, 'address'),
  address_id: text(r, 'address_id'),
  zipcode: text(r, 'zipcode'),
  lat: coordinate(r, 'lat'),
  long: coordinate(r, 'long'),
  media_url: text(r, 'media_url'),
});

/** The items of `<root><item/>…</root>` (an empty root is an empty list) or of a JSON array. */
const itemsOf = (format: GeoReportFormat, body: unknown, root: string, item: string): Raw[] => {
  if (format === 'json') return Array.isArray(body) ? (body as Raw[]) : fail('expected a JSON array');
  const doc = body as Raw;
  if (!(root in doc)) fail(`expected <${root}>, got <${Object.keys(doc).join('>, <')}>`);
  const list = doc[root];
  if (list === '') return [];
  return ((list as Raw)[item] as Raw[] | undefined) ?? [];
};

export const georeportClient = (endpoint: string, format: GeoReportFormat) => {
  const base = endpoint.replace(/\/$/, '');

  const call = async (resource: string, params: Readonly<Record<string, string>> = {}): Promise<unknown> => {
    const qs = new URLSearchParams(params).toString();
    const res = await fetch(`${base}/${resource}.${format}${qs === '' ? '' : `?${qs}`}`);
    const type = res.headers.get('content-type') ?? '';
    const body = await res.text();
    if (!contentTypes[format].test(type)) fail(`${resource}.${format} answered ${res.status} as ${type}`);
    let parsed: unknown;
    if (format === 'json') {
      try {
        parsed = JSON.parse(body);
      } catch {
        fail(`${resource}.json is not JSON`);
      }
    } else {
      if (!/^<\?xml version="1\.0" encoding="UTF-8"\?>/.test(body)) fail(`${resource}.xml lacks the UTF-8 declaration`);
      const valid = XMLValidator.validate(body);
      if (valid !== true) fail(`${resource}.xml is not well-formed: ${valid.err.msg}`);
      parsed = parser.parse(body);
    }
    if (res.ok) return parsed;
    const errors = itemsOf(format, parsed, 'errors', 'error').map((e) => {
      const code = Number(e.code);
      if (!Number.isInteger(code)) fail(`error code ${JSON.stringify(e.code)}`);
      return { code, description: text(e, 'description', true)! };
    });
    if (errors.length === 0) fail(`${resource}.${format} failed with ${res.status} and no error list`);
    throw new GeoReportError(res.status, errors);
  };

  return {
    /** GET Service List. */
    services: async (): Promise<GeoReportService[]> =>
      itemsOf(format, await call('services'), 'services', 'service').map(serviceOf),

    /** GET Service Definition. */
    serviceDefinition: async (code: string): Promise<GeoReportServiceDefinition> => {
      const body = await call(`services/${encodeURIComponent(code)}`);
      const definition = format === 'json' ? (body as Raw) : ((body as Raw).service_definition as Raw | undefined);
      if (definition === undefined || typeof definition !== 'object' || Array.isArray(definition))
        return fail('expected a service definition');
      const attributes = definition.attributes;
      return {
        service_code: text(definition, 'service_code', true)!,
        attributes:
          format === 'json'
            ? Array.isArray(attributes)
              ? (attributes as Raw[])
              : fail('attributes is not a list')
            : attributes === ''
              ? []
              : (((attributes as Raw).attribute as Raw[] | undefined) ?? []),
      };
    },

    /** GET Service Requests, with the spec's arguments and the common page / page_size extension. */
    requests: async (args: Readonly<Record<string, string>> = {}): Promise<GeoReportRequest[]> =>
      itemsOf(format, await call('requests', args), 'service_requests', 'request').map(requestOf),

    /** GET Service Request: the spec answers a list of one. */
    request: async (id: string): Promise<GeoReportRequest> => {
      const list = itemsOf(format, await call(`requests/${encodeURIComponent(id)}`), 'service_requests', 'request');
      return list.length === 1 ? requestOf(list[0]!) : fail(`requests/${id} answered ${list.length} requests`);
    },
  };
};

export type GeoReportClient = ReturnType<typeof georeportClient>;
