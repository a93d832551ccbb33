// Shipped; never edit. An append in one statement, for a writer that already knows the head it sealed on.
import { insertEvents, moveHead } from './0001-events-and-streams.js';
import type { Migration } from './migration.js';

export const appendAtHead: Migration = {
  version: 2,
  name: 'append_at_head',
  statements: [
    // An append in one statement, for a writer that already knows the head it sealed on (it has just read
    // the stream): take the stream's lock, refuse if an id is stored or the head is not the expected one
    // (answering with what is there, as open_append does), else write as write_append does. Run as its
    // own transaction, it saves BEGIN, a second call and COMMIT: three of the four round trips. A head
    // that moved under the lock cannot happen; if it did, raising undoes the insert instead of committing it.
    `CREATE FUNCTION append_at_head(
         p_stream_lock_space integer, p_stream_lock_key integer, p_position_lock_space integer,
         p_position_lock_key integer, p_stream_id text, p_category text, p_recorded_at text,
         p_expected_head integer, p_expected_hash text, p_revisions integer[], p_event_ids uuid[],
         p_types text[], p_schema_versions integer[], p_data text[], p_occurred_at text[], p_actors text[],
         p_correlation_ids text[], p_causation_ids text[], p_prev_hashes text[], p_hashes text[])
       RETURNS jsonb LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $fn$
       DECLARE
         v_stored jsonb;
         v_revision integer;
         v_hash text;
         positions bigint[];
       BEGIN
         PERFORM pg_advisory_xact_lock(p_stream_lock_space, p_stream_lock_key);
         SELECT jsonb_agg(jsonb_build_object('eventId', e.event_id, 'streamId', e.stream_id,
                                             'revision', e.revision, 'globalPosition', e.global_position))
           INTO v_stored FROM events e WHERE e.event_id = ANY(p_event_ids);
         SELECT s.revision, s.hash INTO v_revision, v_hash FROM streams s WHERE s.stream_id = p_stream_id;
         IF v_stored IS NOT NULL OR v_revision IS DISTINCT FROM p_expected_head
            OR v_hash IS DISTINCT FROM p_expected_hash THEN
           RETURN jsonb_build_object(
             'head', CASE WHEN v_revision IS NULL THEN NULL
                          ELSE jsonb_build_object('revision', v_revision, 'hash', v_hash) END,
             'stored', coalesce(v_stored, '[]'::jsonb));
         END IF;
         PERFORM pg_advisory_lock(p_position_lock_space, p_position_lock_key);
         ${insertEvents}
         PERFORM pg_advisory_unlock(p_position_lock_space, p_position_lock_key);
         ${moveHead}
         IF NOT FOUND THEN
           RAISE EXCEPTION 'the head of % moved under its lock', p_stream_id USING ERRCODE = 'serialization_failure';
         END IF;
         RETURN jsonb_build_object('positions', to_jsonb(positions));
       END
       $fn$`,
  ],
};
