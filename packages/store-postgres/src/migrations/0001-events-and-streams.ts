// Shipped; never edit. The events and streams tables, and the two halves of an append in SQL functions:
// `open_append` takes the stream's lock and reports its head, `write_append` writes and moves the head.
import type { Migration } from './migration.js';

/**
 * The append's events into the events table, from the parallel arrays the append functions take, in the
 * order given. Frozen with this migration; `0002-append-at-head` writes its events with the same text.
 */
export const insertEvents = `WITH inserted AS (
           INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, occurred_at,
                               recorded_at, actor, correlation_id, causation_id, prev_hash, hash, category)
           SELECT p_stream_id, e.revision, e.event_id, e.type, e.schema_version, e.data::jsonb, e.occurred_at,
                  p_recorded_at, e.actor::jsonb, e.correlation_id, e.causation_id, e.prev_hash, e.hash, p_category
             FROM unnest(p_revisions, p_event_ids, p_types, p_schema_versions, p_data, p_occurred_at, p_actors,
                         p_correlation_ids, p_causation_ids, p_prev_hashes, p_hashes)
                  WITH ORDINALITY AS e(revision, event_id, type, schema_version, data, occurred_at, actor,
                                       correlation_id, causation_id, prev_hash, hash, ord)
            ORDER BY e.ord
           RETURNING global_position)
         SELECT array_agg(i.global_position ORDER BY i.global_position) INTO positions FROM inserted i;`;

/** The stream's head moved to the last event written, only from the revision the events were sealed on. */
export const moveHead = `INSERT INTO streams AS s (stream_id, revision, hash, category)
         VALUES (p_stream_id, p_revisions[array_length(p_revisions, 1)], p_hashes[array_length(p_hashes, 1)],
                 p_category)
         ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, hash = EXCLUDED.hash
          WHERE s.revision = p_expected_head;`;

export const eventsAndStreams: Migration = {
  version: 1,
  name: 'events_and_streams',
  statements: [
    // occurred_at and recorded_at are text: the hash chain covers the exact strings, and a timestamptz
    // would hand back a different spelling of the same instant.
    `CREATE TABLE events (
         global_position bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         stream_id       text    NOT NULL,
         revision        integer NOT NULL CHECK (revision >= 0),
         event_id        uuid    NOT NULL,
         type            text    NOT NULL,
         schema_version  integer NOT NULL,
         data            jsonb   NOT NULL,
         occurred_at     text    NOT NULL,
         recorded_at     text    NOT NULL,
         actor           jsonb   NOT NULL,
         correlation_id  text    NOT NULL,
         causation_id    text    NOT NULL,
         prev_hash       text    NOT NULL,
         hash            text    NOT NULL,
         category        text    NOT NULL,
         tx_id           xid8    NOT NULL DEFAULT pg_current_xact_id(),
         CONSTRAINT events_event_id_key UNIQUE (event_id),
         CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
       )`,
    'CREATE INDEX events_category_position_idx ON events (category, global_position)',
    `CREATE TABLE streams (
         stream_id text    PRIMARY KEY,
         revision  integer NOT NULL,
         hash      text    NOT NULL,
         category  text    NOT NULL
       )`,
    // First half of an append, in one round trip: take the stream's lock, then (a fresh snapshot per
    // statement, so after any writer we waited for) read its head and any already-stored ids.
    `CREATE FUNCTION open_append(p_lock_space integer, p_lock_key integer, p_stream_id text, p_event_ids uuid[])
       RETURNS jsonb LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $fn$
       BEGIN
         PERFORM pg_advisory_xact_lock(p_lock_space, p_lock_key);
         RETURN jsonb_build_object(
           'head', (SELECT jsonb_build_object('revision', s.revision, 'hash', s.hash)
                      FROM streams s WHERE s.stream_id = p_stream_id),
           'stored', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                               'eventId', e.event_id, 'streamId', e.stream_id,
                               'revision', e.revision, 'globalPosition', e.global_position)), '[]'::jsonb)
                        FROM events e WHERE e.event_id = ANY(p_event_ids)));
       END
       $fn$`,
    // Second half: the INSERT is the transaction's first write, so PostgreSQL assigns the transaction
    // id inside the position lock, together with the positions: id order and position order are one
    // order, which readers rely on. Then the head moves, only from the revision the events were sealed
    // on; NULL tells the caller it did not.
    `CREATE FUNCTION write_append(
         p_lock_space integer, p_lock_key integer, p_stream_id text, p_category text, p_recorded_at text,
         p_expected_head integer, p_revisions integer[], p_event_ids uuid[], p_types text[],
         p_schema_versions integer[], p_data text[], p_occurred_at text[], p_actors text[],
         p_correlation_ids text[], p_causation_ids text[], p_prev_hashes text[], p_hashes text[])
       RETURNS bigint[] LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $fn$
       DECLARE
         positions bigint[];
       BEGIN
         PERFORM pg_advisory_lock(p_lock_space, p_lock_key);
         ${insertEvents}
         PERFORM pg_advisory_unlock(p_lock_space, p_lock_key);
         ${moveHead}
         IF NOT FOUND THEN
           RETURN NULL;
         END IF;
         RETURN positions;
       END
       $fn$`,
  ],
};
