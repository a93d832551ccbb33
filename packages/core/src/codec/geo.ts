// A point on the map, as personal fields carry it: problems' locations, households' registered locations,
// and the positions of located check-ins.
import * as t from 'io-ts';

const geoPointPattern = /^(-?\d{1,2}(?:\.\d{1,12})?),(-?\d{1,3}(?:\.\d{1,12})?)$/;
const isGeoPoint = (u: unknown): u is string => {
  const m = typeof u === 'string' ? geoPointPattern.exec(u) : null;
  return m !== null && Math.abs(Number(m[1])) <= 90 && Math.abs(Number(m[2])) <= 180;
};

/**
 * A point in WGS84 decimal degrees, written `lat,long` (`36.270100,120.033300`). Text rather than an
 * object because a personal field is sealed as text: an object in its place could not be sealed, and its
 * sealed marker (a string) would not be the object its type promises.
 */
export const GeoPoint = new t.Type<string, string, unknown>(
  'GeoPoint (lat,long in decimal degrees)',
  isGeoPoint,
  (u, c) => (isGeoPoint(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** The `GeoPoint` text of a latitude and longitude, to a tenth of a metre or so. */
export const geoPointOf = (lat: number, long: number): string => `${lat.toFixed(6)},${long.toFixed(6)}`;
