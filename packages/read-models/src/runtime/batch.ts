// Applying one batch: the projection's row writes and its checkpoint commit in one transaction, and
// events at or below the stored position are skipped, so a batch delivered twice (a retry after a lost
// commit reply, a restart from an older checkpoint, two processes on one build) changes nothing.
import {
  BanshishiError,
  type Checkpoint,
  categoryOf,
  type DomainEvent,
  type EventDefinition,
  type StoredEvent,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { sql, type Transaction } from 'kysely';
import type { ReadModels } from './builds.js';
import type { Projected, Projection } from './projection.js';

export interface BatchTarget {
  readonly build: number;
  /** Write only while this build is the live one (the live projector); a rebuild writes its own build. */
  readonly onlyIfLive: boolean;
}

export type BatchResult =
  | {
      readonly kind: 'applied';
      /** Events handed to the projection. */
      readonly applied: number;
      /** Events at or below the checkpoint, or of types and categories the projection ignores. */
      readonly skipped: number;
      readonly position: number;
      readonly lastRecordedAt: string | null;
    }
  | { readonly kind: 'moved'; readonly liveBuild: number | null };

/**
 * Events already decoded for one projection, kept for the next one whose registry decodes the type by the
 * same definition (decoding depends on the definition and the stored event alone). Entries live as long
 * as the stored events they belong to. The catch-up shares one between the projections it feeds, which
 * decode the same problem and wish events up to five times otherwise.
 */
export type SharedDecoding = WeakMap<StoredEvent, Map<EventDefinition, Projected<DomainEvent>>>;

export const sharedDecoding = (): SharedDecoding => new WeakMap();

/** Decodes the events the projection understands; an event that no longer decodes stops the projection. */
export const decodeForProjection = <Ev extends DomainEvent>(
  projection: Projection<Ev, unknown>,
  events: readonly StoredEvent[],
  shared?: SharedDecoding,
): Projected<Ev>[] => {
  const categories = new Set(projection.categories);
  // Only a registry says which definition decodes a type; a bare `has`/`decode` pair shares nothing.
  const definitions = (projection.events as { definitions?: ReadonlyMap<string, EventDefinition> }).definitions;
  const out: Projected<Ev>[] = [];
  for (const event of events) {
    if (!categories.has(categoryOf(event.streamId)) || !projection.events.has(event.type)) continue;
    const definition = shared === undefined ? undefined : definitions?.get(event.type);
    const known = definition === undefined ? undefined : shared?.get(event)?.get(definition);
    if (known !== undefined) {
      out.push(known as Projected<Ev>);
      continue;
    }
    const decoded = projection.events.decode(event);
    if (E.isLeft(decoded)) throw new BanshishiError(decoded.left);
    const { checkpoint: _checkpoint, ...envelope } = event as StoredEvent & { checkpoint?: unknown };
    const projected = { ...envelope, type: decoded.right.type, data: decoded.right.data } as Projected<Ev>;
    if (shared !== undefined && definition !== undefined) {
      const byDefinition = shared.get(event) ?? new Map<EventDefinition, Projected<DomainEvent>>();
      byDefinition.set(definition, projected as Projected<DomainEvent>);
      shared.set(event, byDefinition);
    }
    out.push(projected);
  }
  return out;
};

export const projectBatch = async <Ev extends DomainEvent, T>(
  rm: ReadModels,
  projection: Projection<Ev, T>,
  target: BatchTarget,
  events: readonly StoredEvent[],
  checkpoint: Checkpoint | null,
  shared?: SharedDecoding,
): Promise<BatchResult> => {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.globalPosition <= events[i - 1]!.globalPosition) {
      throw new Error(
        `projection ${projection.name}: batch not in global order at position ${events[i]!.globalPosition}`,
      );
    }
  }
  return rm.db.transaction().execute(async (trx): Promise<BatchResult> => {
    // Rows and checkpoint commit together, so a commit lost in a database crash loses both, and the
    // batch is applied again from the older checkpoint: waiting for the WAL flush buys nothing here.
    await sql`set local synchronous_commit = off`.execute(trx);
    const control = trx.withSchema(rm.schema);
    if (target.onlyIfLive) {
      // FOR SHARE: a switch (FOR UPDATE) waits for this batch, and this batch waits for a switch in flight.
      const pointer = await control
        .selectFrom('projection_versions')
        .select('live_build')
        .where('projection', '=', projection.name)
        .forShare()
        .executeTakeFirst();
      if (pointer?.live_build !== target.build) return { kind: 'moved', liveBuild: pointer?.live_build ?? null };
    }
    const build = await control
      .selectFrom('projection_builds')
      .select(['position', 'schema_name', 'status', 'last_recorded_at'])
      .where('projection', '=', projection.name)
      .where('build', '=', target.build)
      .forUpdate()
      .executeTakeFirst();
    if (build === undefined || build.status === 'retired') {
      throw new Error(`projection ${projection.name}: build ${target.build} is not there to write to`);
    }
    const stored = Number(build.position);
    const fresh = events.filter((e) => e.globalPosition > stored);
    const last = fresh[fresh.length - 1];
    if (last === undefined) {
      return {
        kind: 'applied',
        applied: 0,
        skipped: events.length,
        position: stored,
        lastRecordedAt: build.last_recorded_at,
      };
    }
    const decoded = decodeForProjection(projection as Projection<Ev, unknown>, fresh, shared);
    if (decoded.length > 0) {
      await projection.apply(trx.withSchema(build.schema_name) as unknown as Transaction<T>, decoded, {
        schema: build.schema_name,
      });
    }
    await control
      .updateTable('projection_builds')
      .set((eb) => ({
        position: last.globalPosition,
        checkpoint: checkpoint ?? (last as StoredEvent & { checkpoint?: string }).checkpoint ?? null,
        events_applied: eb('events_applied', '+', decoded.length),
        last_recorded_at: last.recordedAt,
        updated_at: new Date().toISOString(),
      }))
      .where('projection', '=', projection.name)
      .where('build', '=', target.build)
      .execute();
    return {
      kind: 'applied',
      applied: decoded.length,
      skipped: events.length - decoded.length,
      position: last.globalPosition,
      lastRecordedAt: last.recordedAt,
    };
  });
};
