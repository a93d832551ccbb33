// An event's inclusion proof as a bundle (core's transparency/bundle.ts), against the latest signed
// checkpoint or a given one: what the board serves for an item and `audit prove` prints.
import {
  bytesToBase64,
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
