// The projections' own given/when/then: given these events, then these rows. Every specification builds
// the read models three times through the runtime's batches — the events in batches, every batch
// delivered twice and then the whole log again, and the log in two batches — and fails unless all three
// hold the same rows: a redelivered log, or one cut differently, changes nothing. What the specification
// expects is then checked against the first build.
import type { PositionedEvent } from '@banshishi/core';
import {
  type AnyProjection,
  ensureProjection,
  projectBatch,
  projectionList,
  type ReadModels,
} from '@banshishi/read-models';
import { expect } from 'vitest';
import { dumpTables } from './compare.js';

/** Rows by table name, as `dumpTables` reads them. */
export type Rows = Record<string, unknown[]>;

/**
 * What a specification expects: the exact rows of the tables it names (in any order; tables it does not
 * name are not checked), or a function that checks the read models and their rows itself.
 */
export type ExpectedRows<R extends ReadModels = ReadModels> = Rows | ((readModels: R, rows: Rows) => unknown);

export interface ProjectionsOption {
  /** The projections to run; by default every projection of the read models. */
  readonly projections?: readonly AnyProjection[];
}

export interface ProjectionSpecificationOptions<R extends ReadModels> extends ProjectionsOption {
  /** Empty read models, asked for once per build: three times per specification. */
  readonly readModels: () => Promise<R>;
}

export interface GivenOptions {
  /** Events per batch in the first two builds; 100 unless said. */
  readonly batchSize?: number;
}

export interface ProjectionSpecification<R extends ReadModels> {
  given(
    events: readonly PositionedEvent[],
    options?: GivenOptions,
  ): {
    then(expected: ExpectedRows<R>): Promise<Rows>;
  };
}

const cut = (events: readonly PositionedEvent[], size: number): PositionedEvent[][] => {
  const batches: PositionedEvent[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  return batches;
};

/** Applies `deliveries` in order, one projection after another, as the projector commits batches. */
const project = async (
  rm: ReadModels,
  projections: readonly AnyProjection[],
  deliveries: readonly (readonly PositionedEvent[])[],
) => {
  for (const projection of projections) {
    const { build } = await ensureProjection(rm, projection);
    for (const batch of deliveries) {
      const checkpoint = batch[batch.length - 1]!.checkpoint;
      await projectBatch(rm, projection, { build, onlyIfLive: true }, batch, checkpoint);
    }
  }
};

/**
 * The events applied once, in batches of `batchSize` (by default all in one), to every projection: a
 * replay for specs that compare it with something else, such as live processing.
 */
export const projectEvents = (
  rm: ReadModels,
  events: readonly PositionedEvent[],
  { projections = projectionList, batchSize = events.length }: GivenOptions & ProjectionsOption = {},
): Promise<void> => project(rm, projections, cut(events, Math.max(batchSize, 1)));

const canonical = (row: unknown): string =>
  JSON.stringify(row, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );

const sorted = (rows: readonly unknown[]): unknown[] =>
  [...rows].sort((a, b) => {
    const [x, y] = [canonical(a), canonical(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });

export const projectionSpecification = <R extends ReadModels>(
  options: ProjectionSpecificationOptions<R>,
): ProjectionSpecification<R> => {
  const projections = options.projections ?? projectionList;
  return {
    given: (events, { batchSize = 100 } = {}) => ({
      // biome-ignore lint/suspicious/noThenProperty: the specification reads given(events).then(rows), after the projections' own given/when/then; nothing awaits given() alone.
      then: async (expected) => {
        const batches = cut(events, batchSize);
        const once = await options.readModels();
        await project(once, projections, batches);
        const rows = await dumpTables(once, projections);

        const twice = await options.readModels();
        await project(twice, projections, [...batches.flatMap((batch) => [batch, batch]), ...batches]);
        expect(await dumpTables(twice, projections), 'every batch delivered twice, then the log again').toEqual(rows);

        const halves = await options.readModels();
        const middle = Math.ceil(events.length / 2);
        await project(halves, projections, cut(events, Math.max(middle, 1)));
        expect(await dumpTables(halves, projections), 'the log in two batches').toEqual(rows);

        if (typeof expected === 'function') await expected(once, rows);
        else
          for (const [table, want] of Object.entries(expected))
            expect(sorted(rows[table] ?? []), table).toEqual(sorted(want));
        return rows;
      },
    }),
  };
};
