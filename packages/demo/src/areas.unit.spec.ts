// The demo's service areas against the directory the demo history registers: every street, community and
// grid has a box, each box lies inside its parent's and apart from its siblings', all of it around
// Jiaozhou, and the same options always give the same boxes.
import { describe, expect, it } from 'vitest';
import { type DemoServiceArea, demoDistrictBox, demoServiceAreas } from './areas.js';
import { generateDemoEvents } from './generate.js';

interface Registered {
  readonly unitId: string;
  readonly kind: string;
  readonly parentId: string | null;
}

const registeredUnits = (seed: number, scale: number): Registered[] =>
  [...generateDemoEvents({ seed, scale })]
    .flat()
    .flatMap((segment) => segment.events)
    .filter((event) => event.type === 'UnitRegistered')
    .map((event) => event.data as Registered);

const inside = (child: DemoServiceArea['bbox'], parent: DemoServiceArea['bbox']) =>
  child[0] > parent[0] && child[1] > parent[1] && child[2] < parent[2] && child[3] < parent[3];

const overlap = (a: DemoServiceArea['bbox'], b: DemoServiceArea['bbox']) =>
  a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

describe('demo service areas', () => {
  for (const { seed, scale } of [
    { seed: 1, scale: 2000 },
    { seed: 7, scale: 30_000 },
  ])
    it(`give every street, community and grid of the demo directory a box inside its parent's, apart from its siblings' (seed ${seed}, scale ${scale})`, () => {
      const units = registeredUnits(seed, scale);
      const areas = demoServiceAreas({ seed, scale });
      const boxOf = new Map(areas.map((a) => [a.unitId, a.bbox]));
      expect(boxOf.size).toBe(areas.length);

      const placed = units.filter((u) => u.kind !== 'department');
      expect(placed.length).toBeGreaterThan(6);
      expect(new Set(boxOf.keys())).toEqual(new Set(placed.map((u) => u.unitId)));
      const district = units.find((u) => u.kind === 'district')!;
      expect(boxOf.get(district.unitId)).toEqual(demoDistrictBox);

      for (const unit of placed) {
        const box = boxOf.get(unit.unitId)!;
        expect(box[0] < box[2] && box[1] < box[3], unit.unitId).toBe(true);
        if (unit.parentId === null) continue;
        expect(inside(box, boxOf.get(unit.parentId)!), `${unit.kind} ${unit.unitId} inside its parent`).toBe(true);
        for (const sibling of placed)
          if (sibling.parentId === unit.parentId && sibling.unitId !== unit.unitId)
            expect(overlap(box, boxOf.get(sibling.unitId)!), `${unit.unitId} apart from ${sibling.unitId}`).toBe(false);
      }
    });

  it('lie around Jiaozhou, within long 119.85–120.15 and lat 36.15–36.45', () => {
    for (const { bbox } of demoServiceAreas({ seed: 3, scale: 30_000 })) {
      expect(bbox[0]).toBeGreaterThanOrEqual(119.85);
      expect(bbox[2]).toBeLessThanOrEqual(120.15);
      expect(bbox[1]).toBeGreaterThanOrEqual(36.15);
      expect(bbox[3]).toBeLessThanOrEqual(36.45);
    }
  });

  it('are the same for the same options, and follow the seed’s unit ids', () => {
    expect(demoServiceAreas({ seed: 5 })).toEqual(demoServiceAreas({ seed: 5 }));
    const ids = (seed: number) => demoServiceAreas({ seed }).map((a) => a.unitId);
    expect(ids(5)).not.toEqual(ids(6));
  });
});
