// Command handling: load the stream → fold → decide → append with the expected revision. A conflict
// (someone appended in between) is retried a bounded number of times on fresh state; an idempotency key
// makes a retried command return what it stored the first time instead of acting twice. The folded state
// of recently used streams is remembered, so a command on one of them is decided without a read; the
// append's revision check is what tells whether it was still the stream's state.
import * as E from 'fp-ts/lib/Either.js';
import { mapPersonal } from '../codec/personal.js';
import type { EventRegistry } from '../codec/registry.js';
import type { Command, Decider } from '../decider.js';
import type { DomainEvent, NewEvent, StoredEvent } from '../envelope.js';
import { conflict, type DomainError, isBanshishiError, preconditionFailed, storeRules } from '../errors.js';
import { personalDataMarkers } from '../privacy/sealed-value.js';
import type { PersonalDataSealer, RevealPurpose, StreamOpening, StreamSubject } from '../privacy/sealer.js';
import type { EventStore, ExpectedRevision } from '../store/port.js';
import { checkBusinessTime, checkMetadata, commandRules, defaultMaxClockAheadMs } from './business-time.js';
import type { DecisionContext } from './decision-context.js';
import { eventIdFor, randomId } from './ids.js';
import { createStateCache } from './state-cache.js';

export interface CommandOptions {
  /** Makes the command safe to retry: the same key yields the same events, stored once. */
  readonly idempotencyKey?: string;
  /** The revision the caller last saw (an HTTP If-Match); a mismatch is reported, never retried. */
  readonly expectedRevision?: number | 'no_stream';
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface CommandResult<S> {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  /** Revision of the stream's last event after the command (-1 if the stream is still empty): the ETag. */
  readonly nextExpectedRevision: number;
  readonly state: S;
  /** True when an idempotent retry found its events already stored and nothing new was appended. */
  readonly replayed: boolean;
  /** Global position of the command's last event (stored now or on the first try); null when it stored none. */
  readonly lastPosition: number | null;
}

/** What a guard sees of an attempt the decider has accepted: the stream as loaded and the decision's context. */
export interface GuardedAttempt<S> {
  readonly streamId: string;
  readonly state: S;
  /** The revision the decided events will be appended at (-1: the stream is empty). */
  readonly revision: number;
  readonly context: DecisionContext;
  readonly idempotencyKey: string | undefined;
  readonly correlationId: string;
}

/**
 * A rule that spans streams (the open-claim quota of 领梦): runs after the decider accepted and before the
 * events are appended, on every attempt. It may refuse, let the append go ahead, or have the attempt
 * start over on fresh state (another writer got in first).
 */
export type CommandGuard<C extends Command, S> = (
  command: C,
  attempt: GuardedAttempt<S>,
) => Promise<E.Either<DomainError, 'proceed' | 'retry'>>;

export interface CommandHandlerDeps<C extends Command, E extends DomainEvent, S> {
  readonly store: EventStore;
  readonly decider: Decider<C, E, S, DecisionContext>;
  readonly registry: EventRegistry<E>;
  readonly streamIdOf: (command: C) => string;
  /** Resolves the directory and claim counts as they stand now. */
  readonly context: (command: C) => Promise<DecisionContext>;
  readonly newId?: () => string;
  /** Attempts after the first when another writer got in between (default 3). */
  readonly maxRetries?: number;
  /** The clock business time is held against (default the system clock). */
  readonly clock?: () => Date;
  /** How far `metadata.now` may run ahead of the clock (default 5 minutes). */
  readonly maxClockAheadMs?: number;
  readonly guard?: CommandGuard<C, S>;
  /**
   * Seals the personal fields of every decided event before it is appended (docs/privacy.md). `in_clear`
   * writes them unsealed, at the version before sealing: they can then never be forgotten. For lifecycles
   * without personal data, and tests of other things.
   */
  readonly personalData: PersonalDataSealer | 'in_clear';
  /**
   * The commands whose rules need the stream's personal data in the clear, and why (亮梦's check that a
   * story does not give the wisher away). Every other command folds the sealed markers.
   */
  readonly revealFor?: (command: C) => RevealPurpose | undefined;
  /**
   * How many recently used streams' folded state the handler remembers (default 4096; 0: none, every
   * command reads its stream). A remembered stream's command is decided and appended at the revision
   * remembered; when another writer got in first the append is refused, and the command is decided again
   * on the stream as read, as if it had never been remembered. Only the state the fold of the stored
   * (sealed) events gives is kept: never a revealed value.
   */
  readonly cachedStreams?: number;
}

export type CommandHandler<C extends Command, S> = (
  command: C,
  options?: CommandOptions,
) => Promise<E.Either<DomainError, CommandResult<S>>>;

/** A stream's state as of `revision`: what a command is decided on, whether read now or remembered. */
interface Folded<S> {
  readonly state: S;
  readonly revision: number;
  /** The stream's latest event: the business time a command on it may not precede. */
  readonly latest: Pick<StoredEvent, 'streamId' | 'occurredAt'> | undefined;
  /** The stream's first event, or the data subject taken from it: whose key seals what is appended. */
  readonly opening: StreamOpening | StreamSubject | undefined;
}

interface Remembered<S> extends Folded<S> {
  /** Every event id in the stream, so a retried idempotency key is found without a read. */
  readonly eventIds: ReadonlySet<string>;
}

const defaultCachedStreams = 4096;

const retriesExhausted = (streamId: string, attempt: number): DomainError =>
  conflict(commandRules.retriesExhausted, `${streamId}: still conflicting after ${attempt + 1} attempts`, {
    streamId,
    attempts: attempt + 1,
  });

/** The caller's If-Match no longer holds: `details.actual` is the revision the stream is at now. */
const staleRevision = (streamId: string, expected: number | 'no_stream', actual: number | string): DomainError =>
  preconditionFailed(storeRules.staleExpectedRevision, `${streamId} is at revision ${actual}, not ${expected}`, {
    streamId,
    expected,
    actual,
  });

export const commandHandler = <C extends Command, E extends DomainEvent, S>(
  deps: CommandHandlerDeps<C, E, S>,
): CommandHandler<C, S> => {
  const newId = deps.newId ?? randomId;
  const maxRetries = deps.maxRetries ?? 3;
  const clock = deps.clock ?? (() => new Date());
  const maxClockAheadMs = deps.maxClockAheadMs ?? defaultMaxClockAheadMs;

  const sealer = deps.personalData === 'in_clear' ? null : deps.personalData;
  const cache = createStateCache<Remembered<S>>(deps.cachedStreams ?? defaultCachedStreams);
  const remember = (streamId: string, entry: Remembered<S>) => {
    const known = cache.peek(streamId);
    if (known === undefined || known.revision < entry.revision) cache.set(streamId, entry);
  };

  /** The data subject a stream's next events are sealed for, kept instead of its opening event. */
  const subjectOf = (
    streamId: string,
    opening: StreamOpening | StreamSubject | undefined,
    first: NewEvent | undefined,
  ): StreamSubject | undefined => {
    if (sealer === null) return undefined;
    if (opening !== undefined && 'subject' in opening) return opening;
    return { subject: sealer.subjectOf(streamId, opening ?? first) };
  };

  // What the fold of the stored event would hold: a personal field sealed on the way in decodes as the
  // sealed marker, so the decided event's clear value must not reach the remembered state.
  const asStored = (event: E, stored: NewEvent): E => {
    const def = deps.registry.definitions.get(event.type);
    if (def?.sealedSince === undefined || stored.schemaVersion < def.sealedSince) return event;
    return { ...event, data: mapPersonal(def.codec, event.data, () => personalDataMarkers.sealed) } as E;
  };

  const load = async (streamId: string, purpose: RevealPurpose | undefined) => {
    const stored = await deps.store.readStream(streamId);
    let folded: readonly (typeof stored)[number][] = stored;
    if (purpose !== undefined && sealer !== null) {
      const revealed = await sealer.reveal(stored, purpose);
      if (E.isLeft(revealed)) return revealed;
      folded = revealed.right;
    }
    let state = deps.decider.initialState;
    for (const event of folded) {
      const decoded = deps.registry.decode(event);
      if (E.isLeft(decoded)) return E.left(decoded.left);
      state = deps.decider.evolve(state, decoded.right);
    }
    return E.right({ stored, state, revision: stored.length - 1 });
  };

  // On a retry, a stream past the command's `now` was moved there by the writer that won the race since
  // the first load (which passed): a concurrency conflict, not a clock fault. The caller hears the decider's
  // refusal on the new state when there is one (already claimed), and of the conflict otherwise.
  const timelyOrOvertaken = async (
    attempt: number,
    command: C,
    latest: Folded<S>['latest'],
    state: S,
  ): Promise<E.Either<DomainError, void>> => {
    const timely = checkBusinessTime(command.metadata.now, latest, clock(), maxClockAheadMs);
    if (E.isRight(timely) || attempt === 0 || timely.left.rule !== commandRules.nowBeforeStream) return timely;
    const refused = deps.decider.decide(command, state, await deps.context(command));
    if (E.isLeft(refused) && refused.left.code !== 'integrity') return refused;
    return E.left(
      conflict(
        commandRules.overtaken,
        `${deps.streamIdOf(command)}: another command was stored after this one was issued; send it again`,
        { ...timely.left.details },
      ),
    );
  };

  return async (received, options = {}) => {
    const metadata = checkMetadata(received?.metadata);
    if (E.isLeft(metadata)) return metadata;
    const command = { ...received, metadata: metadata.right };
    const streamId = deps.streamIdOf(command);
    const key = options.idempotencyKey;
    const purpose = deps.revealFor?.(command);
    // A command decided on a remembered state goes round once more on the stream as read, as its first
    // attempt, when the append finds the state stale, and also before any refusal is reported (another
    // process may have moved the stream to where the command is accepted): it ends as it would have
    // without the cache. Commands that reveal personal data never use it.
    let usable = false;
    let attempt = 0;
    let fromCache = purpose === undefined;
    for (; ; attempt += usable ? 0 : 1) {
      // A command that needs the clear values is first decided on the sealed ones: a refusal that does not
      // hinge on them (not the claimant, another district, the wrong state) comes back without a single
      // value being opened, or a reveal being recorded on behalf of someone who may not act.
      if (purpose !== undefined && sealer !== null) {
        const sealed = await load(streamId, undefined);
        if (E.isLeft(sealed)) return sealed;
        // A retry whose events are stored already is replayed below, not decided again.
        const retried =
          key !== undefined && sealed.right.stored.some((e) => e.eventId === eventIdFor(key, streamId, 0));
        if (!retried) {
          const timely = await timelyOrOvertaken(
            attempt,
            command,
            sealed.right.stored[sealed.right.stored.length - 1],
            sealed.right.state,
          );
          if (E.isLeft(timely)) return timely;
          const current = sealed.right.revision < 0 ? 'no_stream' : sealed.right.revision;
          if (options.expectedRevision !== undefined && current !== options.expectedRevision)
            return E.left(staleRevision(streamId, options.expectedRevision, current));
          const refused = deps.decider.decide(command, sealed.right.state, await deps.context(command));
          if (E.isLeft(refused) && refused.left.code !== 'integrity') return refused;
        }
      }
      // A remembered state serves unless the command needs what only a read gives: the stored events of a
      // retried idempotency key, or the stream's revision when it differs from the caller's If-Match.
      // Asked on the first round only: every later one reads.
      const cached = fromCache ? cache.get(streamId) : undefined;
      fromCache = false;
      const hit =
        cached !== undefined &&
        (key === undefined || !cached.eventIds.has(eventIdFor(key, streamId, 0))) &&
        (options.expectedRevision === undefined ||
          (cached.revision < 0 ? 'no_stream' : cached.revision) === options.expectedRevision)
          ? cached
          : undefined;
      usable = hit !== undefined;
      let folded: Folded<S>;
      let stored: readonly StoredEvent[] = [];
      if (hit !== undefined) folded = hit;
      else {
        const loaded = await load(streamId, purpose);
        if (E.isLeft(loaded)) return loaded;
        stored = loaded.right.stored;
        const { state, revision } = loaded.right;
        folded = { state, revision, latest: stored[stored.length - 1], opening: stored[0] };
        // A state folded from revealed values is never kept.
        if (purpose === undefined) remember(streamId, { ...folded, eventIds: new Set(stored.map((e) => e.eventId)) });
        else cache.delete(streamId);
      }
      const { state, revision } = folded;

      if (key !== undefined && !usable) {
        const firstId = eventIdFor(key, streamId, 0);
        const at = stored.findIndex((e) => e.eventId === firstId);
        if (at >= 0) {
          const mine = [];
          for (let i = at; i < stored.length && stored[i]!.eventId === eventIdFor(key, streamId, i - at); i++)
            mine.push(stored[i]!);
          return E.right({
            streamId,
            events: mine,
            nextExpectedRevision: revision,
            state,
            replayed: true,
            lastPosition: mine[mine.length - 1]?.globalPosition ?? null,
          });
        }
      }

      const timely = await timelyOrOvertaken(attempt, command, folded.latest, state);
      if (E.isLeft(timely)) {
        if (usable) continue;
        return timely;
      }

      if (options.expectedRevision !== undefined) {
        const current = revision < 0 ? 'no_stream' : revision;
        if (current !== options.expectedRevision)
          return E.left(staleRevision(streamId, options.expectedRevision, current));
      }

      const context = await deps.context(command);
      const decision = deps.decider.decide(command, state, context);
      if (usable && (E.isLeft(decision) || decision.right.length === 0)) continue;
      if (E.isLeft(decision)) return decision;
      if (decision.right.length === 0) {
        return E.right({
          streamId,
          events: [],
          nextExpectedRevision: revision,
          state,
          replayed: false,
          lastPosition: null,
        });
      }

      const correlationId = options.correlationId ?? newId();
      if (deps.guard !== undefined) {
        const guarded = await deps.guard(command, {
          streamId,
          state,
          revision,
          context,
          idempotencyKey: key,
          correlationId,
        });
        if (E.isLeft(guarded)) {
          if (usable) continue;
          return guarded;
        }
        if (guarded.right === 'retry') {
          if (!usable && attempt >= maxRetries) return E.left(retriesExhausted(streamId, attempt));
          continue;
        }
      }

      const encoded: NewEvent[] = decision.right.map((event, i) => {
        const encoded = deps.registry.encode(event);
        return {
          eventId: key === undefined ? newId() : eventIdFor(key, streamId, i),
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data: encoded.data,
          occurredAt: command.metadata.now,
          actor: command.metadata.actor,
          correlationId,
          causationId: options.causationId ?? correlationId,
        };
      });
      const expected: ExpectedRevision = revision < 0 ? 'no_stream' : revision;
      try {
        const events = sealer === null ? encoded : await sealer.seal(streamId, encoded, folded.opening);
        const appended = await deps.store.append(streamId, events, { expectedRevision: expected });
        const newState = decision.right.reduce(deps.decider.evolve, state);
        // The store answers an exact repeat of events it holds with their first result: then what the
        // stream is now was not seen here, and it is read next time.
        if (purpose === undefined && appended.nextExpectedRevision === revision + events.length) {
          const held = hit?.eventIds ?? stored.map((e) => e.eventId);
          remember(streamId, {
            state:
              sealer === null
                ? newState
                : decision.right.reduce((s, e, i) => deps.decider.evolve(s, asStored(e, events[i]!)), state),
            revision: appended.nextExpectedRevision,
            latest: { streamId, occurredAt: command.metadata.now },
            opening: subjectOf(streamId, folded.opening, encoded[0]),
            eventIds: new Set([...held, ...events.map((e) => e.eventId)]),
          });
        } else cache.delete(streamId);
        return E.right({
          streamId,
          events,
          nextExpectedRevision: appended.nextExpectedRevision,
          state: newState,
          replayed: false,
          lastPosition: appended.lastPosition,
        });
      } catch (error) {
        cache.delete(streamId);
        if (!isBanshishiError(error)) throw error;
        // A duplicate under an idempotency key means a twin request won the race: go round and replay it.
        const retryable =
          error.rule === storeRules.wrongExpectedRevision ||
          (key !== undefined && error.rule === storeRules.duplicateEvent);
        if (!retryable) return E.left(error.error);
        // The caller named the revision it saw; another writer got in first, so it no longer holds.
        if (options.expectedRevision !== undefined && error.rule === storeRules.wrongExpectedRevision) {
          const actual = (error.details?.actual as string | undefined) ?? 'unknown';
          return E.left(
            staleRevision(streamId, options.expectedRevision, /^\d+$/.test(actual) ? Number(actual) : actual),
          );
        }
        if (!usable && attempt >= maxRetries) return E.left(retriesExhausted(streamId, attempt));
      }
    }
  };
};
