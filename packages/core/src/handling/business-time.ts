// A command's metadata is decoded once, before anything is read or decided: who acts, in which role, and
// when (business time; docs/domain.md, "Command handling: rules every lifecycle shares"). Time never runs
// backwards inside a stream, and may run ahead of the clock only by a tolerance, so a projection or an
// auditor can trust `occurredAt`.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isoTimestamp } from '../codec/dates.js';
import { decodeWith } from '../codec/decode.js';
import type { CommandMetadata } from '../decider.js';
import { roles, type StoredEvent } from '../envelope.js';
import { type DomainError, invalidState, validationError } from '../errors.js';

export const commandRules = {
  invalidMetadata: 'command.invalid_metadata',
  nowBeforeStream: 'command.now_before_stream',
  nowAheadOfClock: 'command.now_ahead_of_clock',
  retriesExhausted: 'command.retries_exhausted',
  overtaken: 'command.overtaken',
} as const;

/** Default tolerance for a business time ahead of the clock: clocks of intake devices drift a little. */
export const defaultMaxClockAheadMs = 5 * 60_000;

const personId = new t.Type<string, string, unknown>(
  'a non-blank person id',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const roleKeys = Object.fromEntries(roles.map((r) => [r, null])) as Record<(typeof roles)[number], null>;

const metadataCodec = t.type({
  actor: t.intersection([t.type({ personId, role: t.keyof(roleKeys) }), t.partial({ unitId: t.string })]),
  now: isoTimestamp,
});

const decodeMetadata = decodeWith(metadataCodec, 'metadata');

/** The command's metadata as a typed value, or a `validation` error naming each bad field (`metadata.now`). */
export const checkMetadata = (metadata: unknown): E.Either<DomainError, CommandMetadata> => {
  const decoded = decodeMetadata(metadata);
  if (E.isRight(decoded)) return decoded;
  return E.left({ ...decoded.left, rule: commandRules.invalidMetadata });
};

/**
 * Refuses a business time earlier than the stream's latest event, `latest` (compared as instants, whatever offset
 * each was written in), or further ahead of the clock than the tolerance.
 */
export const checkBusinessTime = (
  now: string,
  latest: Pick<StoredEvent, 'streamId' | 'occurredAt'> | undefined,
  clock: Date,
  maxAheadMs: number,
): E.Either<DomainError, void> => {
  const at = Date.parse(now);
  if (at - clock.getTime() > maxAheadMs)
    return E.left(
      validationError(
        commandRules.nowAheadOfClock,
        `metadata.now: ${now} is more than ${Math.round(maxAheadMs / 1000)} s ahead of the clock (${clock.toISOString()})`,
        {
          fields: [{ path: 'metadata.now', message: 'metadata.now: ahead of the clock beyond the tolerance' }],
          now,
          clock: clock.toISOString(),
        },
      ),
    );
  if (latest !== undefined && at < Date.parse(latest.occurredAt))
    return E.left(
      invalidState(
        commandRules.nowBeforeStream,
        `${now} is earlier than the latest event of ${latest.streamId} (${latest.occurredAt}): time does not run backwards in a stream`,
        { streamId: latest.streamId, now, latest: latest.occurredAt },
      ),
    );
  return E.right(undefined);
};
