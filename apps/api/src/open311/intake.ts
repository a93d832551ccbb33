// Open311 GeoReport v2 intake, its pure core: a POSTed form, as express's urlencoded parser gives it, is
// checked once and becomes the data of a 征题 (solicitProblem) recorded by the client's intake account,
// or the spec's list of errors. What the resident wrote and who they are go only into personal fields;
// the public title is the service's name, never their words.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type DirectoryView,
  geoPointOf,
  isWithheldValue,
  levelOf,
  type ProblemGrade,
  type SolicitProblemData,
  type UnitInfo,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';

/** A system allowed to post requests, and the office holder in the directory its requests are recorded by. */
export interface Open311Client {
  readonly name: string;
  readonly apiKey: string;
  readonly personId: string;
}

/** The ground a unit covers, in WGS84 degrees. */
export interface ServiceArea {
  readonly unitId: string;
  readonly bbox: readonly [minLong: number, minLat: number, maxLong: number, maxLat: number];
}

/** A service offered: the problem category it files under (null for the uncategorised), and its defaults. */
export interface IntakeService {
  readonly serviceCode: string;
  readonly category: string | null;
  /** Where a request without a usable location goes. */
  readonly unitId?: string;
  readonly grade?: ProblemGrade;
}

export interface IntakeContext {
  readonly clients: readonly Open311Client[];
  readonly services: readonly IntakeService[];
  readonly areas: readonly ServiceArea[];
  readonly directory: DirectoryView;
  readonly newProblemId: () => string;
}

/** One entry of the spec's error list: the HTTP status as its code, and what was wrong. */
export interface Open311Error {
  readonly code: number;
  readonly description: string;
}

export type IntakeRefusal = { readonly status: 400 | 403; readonly errors: readonly Open311Error[] };

export interface Intake {
  readonly client: Open311Client;
  readonly data: SolicitProblemData;
  /** The public name of the unit the problem went to, for the answer's service notice. */
  readonly unitName: string;
}

/** The public title of a request whose service has no category. */
export const uncategorisedTitle = 'Open311 服务请求';

/** The longest value of each field taken, in characters; the spec itself caps only the description. */
const limits = {
  api_key: 256,
  service_code: 128,
  jurisdiction_id: 128,
  lat: 32,
  long: 32,
  address_string: 500,
  address_id: 128,
  email: 254,
  device_id: 128,
  account_id: 128,
  first_name: 100,
  last_name: 100,
  phone: 40,
  description: 4000,
  media_url: 2000,
} as const;

type Field = keyof typeof limits;
const fields = Object.keys(limits) as Field[];
/** Fields of a resident's own details, where a personal-data marker is no value a person sent. */
const personalFields: readonly Field[] = ['first_name', 'last_name', 'phone', 'email', 'address_string', 'description'];

/** `attribute[code]` answers a service definition's attribute; the spec lets a multivalue one repeat. */
const isAttribute = (key: string): boolean => /^attribute\[[^\]]*\]$/.test(key);

/** A key echoed in an error only when it is plainly a field name, never arbitrary input. */
const shownKey = (key: string): string => (/^[A-Za-z0-9_.[\]-]{1,64}$/.test(key) ? key : 'a field');

/** C0 and C1 controls; the description alone may keep tabs and line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const controls = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const controlsButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longer than `limit` characters (code points); a UTF-16 length past twice the limit is so without counting. */
const longerThan = (s: string, limit: number): boolean =>
  s.length > limit && (s.length > 2 * limit || [...s].length > limit);

const decimal = /^[+-]?(?:\d{1,3}(?:\.\d{1,15})?|\.\d{1,15})$/;
/** Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mail server's to judge. */
const emailAddress = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** Han characters, and the middle dot of transcribed names: such a name is written without a space. */
const hanName = /^[\p{Script=Han}·]+$/u;

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The client whose key this is. Every client's key is compared, each in constant time over SHA-256
 * digests (equal lengths whatever was sent), so the time taken tells nothing of how much of a key matched.
 */
const clientWithKey = (clients: readonly Open311Client[], key: string): Open311Client | undefined => {
  const given = digestOf(key);
  let found: Open311Client | undefined;
  for (const client of clients) {
    const same = timingSafeEqual(given, digestOf(client.apiKey));
    if (same && found === undefined && client.apiKey !== '') found = client;
  }
  return found;
};

const forbidden: IntakeRefusal = {
  status: 403,
  errors: [{ code: 403, description: 'api_key: missing, given more than once, or not a key issued for this service' }],
};

const usableUnit = (directory: DirectoryView, unitId: string | undefined): UnitInfo | undefined => {
  const unit = unitId === undefined ? undefined : directory.unit(unitId);
  return unit === undefined || unit.retired === true ? undefined : unit;
};

/** The most specific area whose box holds the point (grid over community over street over district). */
const unitAt = (ctx: IntakeContext, lat: number, long: number): UnitInfo | undefined => {
  let best: { unit: UnitInfo; level: number; size: number } | undefined;
  for (const { unitId, bbox } of ctx.areas) {
    const [minLong, minLat, maxLong, maxLat] = bbox;
    if (!(long >= minLong && long <= maxLong && lat >= minLat && lat <= maxLat)) continue;
    const unit = usableUnit(ctx.directory, unitId);
    if (unit === undefined) continue;
    const level = levelOf(unit.kind);
    // Between boxes of one level that overlap, the smaller one is the more specific.
    const size = (maxLong - minLong) * (maxLat - minLat);
    if (best === undefined || level > best.level || (level === best.level && size < best.size))
      best = { unit, level, size };
  }
  return best?.unit;
};

/**
 * The spec's first_name is the given name and last_name the family name. A Chinese name puts the family
 * name first and takes no space (张 + 伟 → 张伟); any other is written given name first, with a space.
 */
export const fullName = (first: string | undefined, last: string | undefined): string | undefined => {
  if (first === undefined || last === undefined) return first ?? last;
  return hanName.test(first) && hanName.test(last) ? `${last}${first}` : `${first} ${last}`;
};

const degreesOf = (raw: string, bound: number): number | undefined => {
  if (!decimal.test(raw)) return undefined;
  const value = Number(raw);
  return Math.abs(value) <= bound ? value : undefined;
};

/** The form's text fields, the keys of those that are not one value of text, and an error for each of these. */
const textFieldsOf = (entries: readonly [string, unknown][]) => {
  const texts = new Map<string, string>();
  const malformed = new Set<string>();
  const errors: Open311Error[] = [];
  for (const [key, value] of entries) {
    if (typeof value === 'string') texts.set(key, value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      if (isAttribute(key)) continue;
      malformed.add(key);
      errors.push({ code: 400, description: `${shownKey(key)}: given more than once` });
    } else {
      malformed.add(key);
      errors.push({ code: 400, description: `${shownKey(key)}: expected text` });
    }
  }
  return { texts, malformed, errors };
};

/**
 * Decodes a POSTed service request. A missing or unknown api_key is refused (403) before anything else is
 * looked at, so a caller without a key learns nothing of the rest; otherwise every bad field is reported
 * at once (400).
 */
export const decodeOpen311Request = (form: unknown, ctx: IntakeContext): E.Either<IntakeRefusal, Intake> => {
  const entries = typeof form === 'object' && form !== null && !Array.isArray(form) ? Object.entries(form) : [];
  const key = entries.find(([k]) => k === 'api_key')?.[1];
  if (typeof key !== 'string' || key.trim() === '' || longerThan(key, limits.api_key)) return E.left(forbidden);
  const client = clientWithKey(ctx.clients, key);
  if (client === undefined) return E.left(forbidden);

  const { texts, malformed, errors } = textFieldsOf(entries);
  const bad = (description: string) => {
    errors.push({ code: 400, description });
  };
  // Each field trimmed, an empty one as if not sent (forms send blank inputs). A field that fails its
  // own checks is reported once and then has no value, yet counts as sent, so it causes no second error.
  const value: Partial<Record<Field, string>> = {};
  for (const field of fields) {
    const raw = texts.get(field)?.trim();
    if (raw === undefined || raw === '') continue;
    if (longerThan(raw, limits[field])) bad(`${field}: longer than ${limits[field]} characters`);
    else if ((field === 'description' ? controlsButLineBreaks : controls).test(raw) || loneSurrogate.test(raw))
      bad(`${field}: contains control characters or broken text`);
    else if (personalFields.includes(field) && isWithheldValue(raw)) bad(`${field}: not a value a person writes`);
    else value[field] = raw;
  }

  const sent = (field: Field): boolean => malformed.has(field) || (texts.get(field)?.trim() ?? '') !== '';

  let service: IntakeService | undefined;
  if (!sent('service_code')) bad('service_code: required');
  else if (value.service_code !== undefined) {
    service = ctx.services.find((s) => s.serviceCode === value.service_code);
    if (service === undefined) bad('service_code: not a service offered here');
  }

  const lat = value.lat === undefined ? undefined : degreesOf(value.lat, 90);
  const long = value.long === undefined ? undefined : degreesOf(value.long, 180);
  if (value.lat !== undefined && lat === undefined) bad('lat: expected decimal degrees between -90 and 90 (WGS84)');
  if (value.long !== undefined && long === undefined)
    bad('long: expected decimal degrees between -180 and 180 (WGS84)');
  if (sent('lat') && !sent('long')) bad('long: required with lat');
  if (sent('long') && !sent('lat')) bad('lat: required with long');
  if (!(['lat', 'long', 'address_string', 'address_id'] as const).some(sent))
    bad('location: one of lat and long, address_string or address_id is required');

  if (value.email !== undefined && !emailAddress.test(value.email)) bad('email: not an email address');
  // media_url is checked but not kept: a problem has no evidence when it is raised (evidence comes with
  // 解题), and fetching a resident's photo here would copy it where no one reviews it.
  if (value.media_url !== undefined) {
    let scheme: string | undefined;
    try {
      scheme = new URL(value.media_url).protocol;
    } catch {
      scheme = undefined;
    }
    if (scheme !== 'http:' && scheme !== 'https:') bad('media_url: expected an http or https URL');
  }
  // jurisdiction_id, device_id and account_id are taken as the spec allows and not kept: there is one
  // jurisdiction, and a client's device or account ids are no business of the record.

  if (errors.length > 0 || service === undefined) return E.left({ status: 400, errors });

  const unit =
    (lat !== undefined && long !== undefined ? unitAt(ctx, lat, long) : undefined) ??
    usableUnit(ctx.directory, value.address_id) ??
    usableUnit(ctx.directory, service.unitId);
  if (unit === undefined)
    return E.left({
      status: 400,
      errors: [{ code: 400, description: 'location: outside every area this service covers' }],
    });

  const name = fullName(value.first_name, value.last_name);
  const category = service.category;
  const data: SolicitProblemData = {
    problemId: ctx.newProblemId(),
    unitId: unit.unitId,
    source: 'resident',
    grade: service.grade ?? 'small',
    // Titles are public; the resident's words are not, so the title is the service's name.
    title: category !== null && category.trim() !== '' ? category : uncategorisedTitle,
    ...(value.description === undefined ? {} : { description: value.description }),
    ...(category === null ? {} : { category }),
    raiser: {
      kind: 'resident',
      ...(name === undefined ? {} : { name }),
      ...(value.phone === undefined ? {} : { phone: value.phone }),
      ...(value.address_string === undefined ? {} : { address: value.address_string }),
      ...(value.email === undefined ? {} : { email: value.email }),
      ...(lat === undefined || long === undefined ? {} : { location: geoPointOf(lat, long) }),
    },
  };
  return E.right({ client, data, unitName: unit.name });
};
