// The fast path: the whole campaign decided in memory — fold and decide per stream, the directory
// folded incrementally for each command's DecisionContext — and handed out in batches of ready-to-append
// stream segments, for a store to bulk-insert. The events are exactly those `seedDemo` stores through
// command handling: same deciders, same ids, same order.
import {
  categoryOf,
  createDirectoryViewBuilder,
  type DecisionContext,
  type DirectoryViewBuilder,
  directoryContextCategories,
  eventIdFor,
  type NewEvent,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { demoLifecycles, type Lifecycle } from './lifecycles.js';
import type { DemoManifest } from './manifest.js';
import type { DemoOptions } from './options.js';
import type { DemoCommand, DemoOutcome } from './planning.js';
import { demoScript } from './script.js';

/**
 * Consecutive events of one stream, in log order. A stream appears again in a later segment when its
 * history continues: each segment continues where the stream's previous one stopped.
 */
export interface DemoSegment {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

export type DemoBatch = readonly DemoSegment[];

export interface GenerateDemoOptions extends DemoOptions {
  /** Events per batch, roughly: a batch ends after the command that reaches it (default 5,000). */
  readonly batchSize?: number;
}

export interface DemoEventSource extends Iterable<DemoBatch> {
  /** What the run produced; available once every batch has been taken. */
  manifest(): DemoManifest;
}

/** A decider refused a command the script issued: the script has a bug, and the history would be invalid. */
export const refusedCommandError = (issued: DemoCommand, rule: string, message: string): Error =>
  new Error(
    `demo generator bug: ${issued.command.type} on ${issued.streamId} at ${issued.command.metadata.now} ` +
      `was refused (${rule}): ${message}`,
  );

const contextCategories: ReadonlySet<string> = new Set(directoryContextCategories);

/** Decides the script's commands in memory, keeping each stream's state and revision and the directory. */
export const createInMemoryDemoDecider = (builder: DirectoryViewBuilder = createDirectoryViewBuilder()) => {
  const states = new Map<string, unknown>();
  const revisions = new Map<string, number>();

  return (issued: DemoCommand): DemoOutcome => {
    const { streamId, command, idempotencyKey, correlationId } = issued;
    const lifecycle = demoLifecycles[issued.lifecycle] as unknown as Lifecycle;
    const state = states.has(streamId) ? states.get(streamId) : lifecycle.decider.initialState;
    const { actor, now } = command.metadata;
    const context: DecisionContext = {
      directory: builder.viewAt(now),
      wishClaims: { openClaimsOf: builder.openClaimsOf, limit: builder.wishClaimLimitFor(actor.personId, now) },
    };
    const decision = lifecycle.decider.decide(command, state, context);
    if (E.isLeft(decision)) throw refusedCommandError(issued, decision.left.rule, decision.left.message);
    // Exactly what command handling builds from a decision (handling/command-handler.ts).
    const events: NewEvent[] = decision.right.map((event, i) => {
      const encoded = lifecycle.registry.encode(event);
      return {
        eventId: eventIdFor(idempotencyKey, streamId, i),
        type: encoded.type,
        schemaVersion: encoded.schemaVersion,
        data: encoded.data,
        occurredAt: now,
        actor,
        correlationId,
        causationId: correlationId,
      };
    });
    const next = decision.right.reduce(lifecycle.decider.evolve, state);
    states.set(streamId, next);
    const first = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, first + events.length - 1);
    if (events.length > 0 && contextCategories.has(categoryOf(streamId)))
      builder.apply(events.map((e, i) => ({ ...e, streamId, revision: first + i })));
    return { events, state: next };
  };
};

/**
 * Generates the demo in memory, batch by batch. Iterating again generates it again, identically.
 * Memory grows with the number of streams (their states), not with the number of events.
 */
export const generateDemoEvents = (options: GenerateDemoOptions = {}): DemoEventSource => {
  const batchSize = options.batchSize ?? 5000;
  let manifest: DemoManifest | null = null;

  function* batches(): Generator<DemoBatch, void, undefined> {
    const decide = createInMemoryDemoDecider();
    const script = demoScript(options);
    let batch: DemoSegment[] = [];
    let size = 0;
    let step = script.next();
    while (!step.done) {
      const outcome = decide(step.value);
      if (outcome.events.length > 0) {
        batch.push({ streamId: step.value.streamId, events: outcome.events });
        size += outcome.events.length;
        if (size >= batchSize) {
          yield batch;
          batch = [];
          size = 0;
        }
      }
      step = script.next(outcome);
    }
    if (batch.length > 0) yield batch;
    manifest = step.value;
  }

  return {
    [Symbol.iterator]: batches,
    manifest() {
      if (manifest === null) throw new Error('the demo manifest is ready once every batch has been taken');
      return manifest;
    },
  };
};
