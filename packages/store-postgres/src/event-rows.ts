// The events table's row as the driver hands it back, and the stored event it stands for: the one
// mapping that the store's reads and the auditor's reads share.
import type { Actor, StoredEvent } from '@banshishi/core';

export interface EventRow extends Record<string, unknown> {
  readonly global_position: string | number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly actor: Actor;
  readonly correlation_id: string;
  readonly causation_id: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The columns of an EventRow, in the order of the table. */
export const eventColumns =
  'global_position, stream_id, revision, event_id, type, schema_version, data, occurred_at, recorded_at, actor, ' +
  'correlation_id, causation_id, prev_hash, hash';

// The row as stored, field for field: `data` stays exactly what jsonb hands back, so a payload that no
// longer decodes reaches the registry, which reports it with its stream, revision and field.
export const toStoredEvent = (row: EventRow): StoredEvent => ({
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  occurredAt: row.occurred_at,
  actor: row.actor,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  streamId: row.stream_id,
  revision: row.revision,
  recordedAt: row.recorded_at,
  prevHash: row.prev_hash,
  hash: row.hash,
  globalPosition: Number(row.global_position),
});
