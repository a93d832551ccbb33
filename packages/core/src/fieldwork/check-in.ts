// A located check-in (定位打卡) on a visit: the visitor's position, kept only sealed as personal data
// (it is, near enough, the household's door), and the result of comparing it with the household's
// registered location. The result is what may be counted in public; the position never is. A check-in
// too far away is recorded as such, not refused: the visit happened, and the record says where it
// did not (docs/domain.md, "Visits").
import * as t from 'io-ts';
import { GeoPoint } from '../codec/geo.js';
import { personal } from '../codec/personal.js';

/** 近: within the threshold; 远: beyond it; 未核验: no registered location (or forgotten) to compare with. */
export const CheckInResult = t.keyof({ near: null, far: null, unchecked: null }, 'CheckInResult');
export type CheckInResult = t.TypeOf<typeof CheckInResult>;

/** How near counts as "at the household", by default: a village house and its yard, with phone GPS error. */
export const defaultCheckInThresholdMeters = 200;

/** The check-in as a command sends it. */
export const CheckInInput = t.exact(
  t.intersection([
    t.type({ position: personal(GeoPoint, 'location') }),
    /** The device's stated accuracy, metres; it widens nothing, it is kept for the auditor. */
    t.partial({ accuracyMeters: t.number }),
  ]),
  'CheckInInput',
);
export type CheckInInput = t.TypeOf<typeof CheckInInput>;

/**
 * The check-in as an event stores it: the position sealed, the check's result and its ground in clear. The
 * distance itself is not kept: with the result it would place the visitor, and a sealed field must be text.
 */
export const CheckInRecord = t.exact(
  t.intersection([
    t.type({
      position: personal(GeoPoint, 'location'),
      result: CheckInResult,
      thresholdMeters: t.number,
    }),
    t.partial({ accuracyMeters: t.number }),
  ]),
  'CheckInRecord',
);
export type CheckInRecord = t.TypeOf<typeof CheckInRecord>;

const pointOf = (text: string): { lat: number; long: number } | undefined => {
  const [lat, long] = text.split(',').map(Number);
  return lat === undefined || long === undefined || !Number.isFinite(lat) || !Number.isFinite(long)
    ? undefined
    : { lat, long };
};

const earthRadiusMeters = 6_371_008.8;
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in metres between two `lat,long` points (haversine); undefined if either is not one. */
export const distanceMeters = (from: string, to: string): number | undefined => {
  const a = pointOf(from);
  const b = pointOf(to);
  if (a === undefined || b === undefined) return undefined;
  const dLat = radians(b.lat - a.lat);
  const dLong = radians(b.long - a.long);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLong / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * The record of a check-in against a registered location (a `GeoPoint`, or null when there is none to
 * compare with, or it was forgotten and is no longer a point).
 */
export const checkInRecordOf = (
  input: CheckInInput,
  registered: string | null | undefined,
  thresholdMeters: number = defaultCheckInThresholdMeters,
): CheckInRecord => {
  const distance =
    registered === null || registered === undefined ? undefined : distanceMeters(input.position, registered);
  return {
    position: input.position,
    result: distance === undefined ? 'unchecked' : distance <= thresholdMeters ? 'near' : 'far',
    thresholdMeters,
    ...(input.accuracyMeters === undefined ? {} : { accuracyMeters: input.accuracyMeters }),
  };
};
