// An event's inclusion proof as a bundle (core's transparency/bundle.ts), against the latest signed
// checkpoint or a given one: what the board serves for an item and `audit prove` prints.
import {
  bytesToBase64,
  type ConsistencyBundle,
  consistencyBundleVersion,
  type DomainError,
  invalidState,
  notFound,
  type ProofBundle,
  proofBundleVersion,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import type { StoredCheckpoint, TransparencyLog } from './log.js';

export type EventLocator = { readonly eventId: string } | { readonly streamId: string; readonly revision: number };

export const transparencyRules = {
  unknownEvent: 'transparency.unknown_event',
  noCheckpoint: 'transparency.no_checkpoint',
  notYetCheckpointed: 'transparency.not_yet_checkpointed',
  unknownCheckpoint: 'transparency.unknown_checkpoint',
} as const;

const describe = (locator: EventLocator) =>
  'eventId' in locator ? `event ${locator.eventId}` : `${locator.streamId}@${locator.revision}`;

export const proveEvent = async (
  log: TransparencyLog,
  locator: EventLocator,
  against?: StoredCheckpoint,
): Promise<E.Either<DomainError, ProofBundle>> => {
  const leaf =
    'eventId' in locator
      ? await log.leafOfEvent(locator.eventId)
      : await log.leafOfStream(locator.streamId, locator.revision);
  if (leaf === null)
    return E.left(
      notFound(transparencyRules.unknownEvent, `${describe(locator)} is not in the transparency log (yet)`, {
        ...locator,
      }),
    );
  const checkpoint = against ?? (await log.latestCheckpoint());
  if (checkpoint === null)
    return E.left(invalidState(transparencyRules.noCheckpoint, 'no checkpoint has been signed yet'));
  if (leaf.index >= checkpoint.size)
    return E.left(
      invalidState(
        transparencyRules.notYetCheckpointed,
        `${describe(locator)} is leaf ${leaf.index}; the latest signed checkpoint covers ${checkpoint.size} events: try again after the next checkpoint`,
        { index: leaf.index, size: checkpoint.size },
      ),
    );
  const proof = await log.inclusionProof(leaf.index, checkpoint.size);
  return E.right({
    version: proofBundleVersion,
    checkpoint: checkpoint.signed,
    leaf: {
      index: leaf.index,
      eventId: leaf.eventId,
      streamId: leaf.streamId,
      revision: leaf.revision,
      globalPosition: leaf.globalPosition,
      hash: leaf.eventHash,
    },
    proof: proof.map(bytesToBase64),
  });
};

/**
 * The consistency proof from the checkpoint of `fromSize` to the one of `toSize` (default: the latest), as a
 * bundle holding both signed notes: what a witness checks before it countersigns, and what a reader with an
 * old receipt asks for. Both sizes must be sizes the log signed.
 */
export const proveConsistency = async (
  log: TransparencyLog,
  fromSize: number,
  toSize?: number,
): Promise<E.Either<DomainError, ConsistencyBundle>> => {
  const to = toSize === undefined ? await log.latestCheckpoint() : await log.checkpointAt(toSize);
  if (to === null)
    return E.left(
      toSize === undefined
        ? invalidState(transparencyRules.noCheckpoint, 'no checkpoint has been signed yet')
        : notFound(transparencyRules.unknownCheckpoint, `the log signed no checkpoint of ${toSize} events`, {
            size: toSize,
          }),
    );
  const from = await log.checkpointAt(fromSize);
  if (from === null)
    return E.left(
      notFound(transparencyRules.unknownCheckpoint, `the log signed no checkpoint of ${fromSize} events`, {
        size: fromSize,
      }),
    );
  if (from.size > to.size)
    return E.left(
      invalidState(
        transparencyRules.unknownCheckpoint,
        `the checkpoint of ${from.size} events is later than the one of ${to.size}`,
        { from: from.size, to: to.size },
      ),
    );
  const proof = await log.consistencyProof(from.size, to.size);
  return E.right({
    version: consistencyBundleVersion,
    from: from.signed,
    to: to.signed,
    proof: proof.map(bytesToBase64),
  });
};
