// Where the demo district's units lie, for Open311 intake to place a reported point: synthetic bounding
// boxes around Jiaozhou, the streets and towns tiled across the district, each one's communities tiled
// inside it and each community's grids inside the community. Not a map of the real town but a fixed
// layout of the demo's units, each box inside its parent's, so a point inside a grid lies in one unit per level.
import { type DemoOptions, resolveDemoOptions } from './options.js';
import type { OrgUnit } from './organisation.js';
import { createPlanningContext } from './planning.js';

/** A unit and the box it covers, in WGS84 degrees. */
export interface DemoServiceArea {
  readonly unitId: string;
  readonly bbox: readonly [minLong: number, minLat: number, maxLong: number, maxLat: number];
}

type Box = DemoServiceArea['bbox'];

/** The demo district's box: roughly the extent of 胶州市. */
export const demoDistrictBox: Box = [119.85, 36.15, 120.15, 36.45];

/** A millionth of a degree (about 0.1 m) is finer than any box here needs. */
const degrees = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The `index`-th of `count` cells of `box`, in rows of columns, each shrunk by a margin so siblings do not
 * touch and every cell lies strictly inside its parent.
 */
const cellOf = (box: Box, count: number, index: number): Box => {
  const [minLong, minLat, maxLong, maxLat] = box;
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const width = (maxLong - minLong) / columns;
  const height = (maxLat - minLat) / rows;
  const margin = Math.min(width, height) * 0.03;
  const column = index % columns;
  const row = Math.floor(index / columns);
  return [
    degrees(minLong + column * width + margin),
    degrees(minLat + row * height + margin),
    degrees(minLong + (column + 1) * width - margin),
    degrees(minLat + (row + 1) * height - margin),
  ];
};

/**
 * The boxes of the demo's district, streets, communities and grids for the same options as the demo
 * history (the seed decides which community belongs to which street, and every unit id). Departments
 * cover no ground of their own and get none. The same options give the same boxes.
 */
export const demoServiceAreas = (options: DemoOptions = {}): DemoServiceArea[] => {
  const { org } = createPlanningContext(resolveDemoOptions(options));
  const areas: DemoServiceArea[] = [{ unitId: org.district.unitId, bbox: demoDistrictBox }];
  const place = (units: readonly OrgUnit[], box: Box) => {
    for (const [i, unit] of units.entries()) {
      const bbox = cellOf(box, units.length, i);
      areas.push({ unitId: unit.unitId, bbox });
      place(unit.children, bbox);
    }
  };
  place(org.streets, demoDistrictBox);
  return areas;
};
