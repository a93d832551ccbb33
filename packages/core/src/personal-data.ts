// Personal data of core's lifecycles (docs/privacy.md): the sealer that knows every core event, forgetting
// a subject (record first, then destroy the key), and re-applying every recorded forgetting to a key store
// (after restoring a key backup, or completing a forgetting that crashed between its two steps).
import * as E from 'fp-ts/lib/Either.js';
import { campaignEvents } from './campaign/events.js';
import type { EventDefinition } from './codec/registry.js';
import { directoryEvents } from './directory/events.js';
import { serviceEvents } from './enterprise-service/events.js';
import type { NewEvent } from './envelope.js';
import type { DomainError } from './errors.js';
import type { ForgetSubject } from './forgetting/commands.js';
import { forgettingStreamIdOf } from './forgetting/commands.js';
import { forgettingDecider } from './forgetting/decider.js';
import { forgettingRules } from './forgetting/errors.js';
import { accessStreamId, forgettingEventRegistry, forgettingEvents, SubjectForgotten } from './forgetting/events.js';
import { type CommandOptions, type CommandResult, commandHandler } from './handling/command-handler.js';
import type { DecisionContext } from './handling/decision-context.js';
import { randomId } from './handling/ids.js';
import { pairingEvents } from './pairing/events.js';
import type { DestroyOutcome, SubjectKeyStore } from './privacy/key-store.js';
import { createPersonalDataSealer, type PersonalDataAccess, type PersonalDataSealer } from './privacy/sealer.js';
import { problemEvents } from './problem/events.js';
import { type EventStore, readWholeLog } from './store/port.js';
import { visitEvents } from './visit/events.js';
import { WishClaimReserved } from './wish/claim-quota.js';
import { wishEvents } from './wish/events.js';

/** Every event definition of core's lifecycles. */
export const coreEventDefinitions: readonly EventDefinition[] = [
  ...problemEvents,
  ...wishEvents,
  WishClaimReserved,
  ...visitEvents,
  ...directoryEvents,
  ...campaignEvents,
  ...pairingEvents,
  ...serviceEvents,
  ...forgettingEvents,
];

/** The sealer for core's lifecycles. */
export const createCorePersonalDataSealer = (options: {
  readonly keys: SubjectKeyStore;
  readonly onReveal?: (access: PersonalDataAccess) => Promise<void>;
}): PersonalDataSealer => createPersonalDataSealer({ ...options, definitions: coreEventDefinitions });

export interface ForgetSubjectDeps {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  /** The directory, to check that the actor holds the office role (`createDirectoryContextLoader`). */
  readonly context: (command: ForgetSubject) => Promise<DecisionContext>;
  readonly clock?: () => Date;
}

export interface ForgetSubjectResult {
  /** The SubjectForgotten event as stored (none when it was already recorded). */
  readonly recorded: CommandResult<unknown> | null;
  readonly key: DestroyOutcome;
}

/**
 * Forgets a data subject: records SubjectForgotten (who, when, on which legal ground), then destroys the
 * subject's key. A subject already recorded as forgotten has its key destroyed again if it is still there
 * (a crash between the two steps) and is reported as `forgetting.already_forgotten`.
 */
export const forgetSubject = async (
  deps: ForgetSubjectDeps,
  command: ForgetSubject,
  options: CommandOptions = {},
): Promise<E.Either<DomainError, ForgetSubjectResult>> => {
  const handle = commandHandler({
    store: deps.store,
    decider: forgettingDecider,
    registry: forgettingEventRegistry,
    streamIdOf: forgettingStreamIdOf,
    context: deps.context,
    personalData: 'in_clear',
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  });
  const result = await handle(command, options);
  if (E.isLeft(result)) {
    if (result.left.rule === forgettingRules.alreadyForgotten)
      await deps.keys.destroy(command.data.subject, command.metadata.now);
    return result;
  }
  const key = await deps.keys.destroy(command.data.subject, command.metadata.now);
  return E.right({ recorded: result.right, key });
};

/**
 * Destroys the key of every subject the log records as forgotten: run after restoring a key store from a
 * backup (which would otherwise bring forgotten people back) and at start-up. Returns the subjects whose
 * keys it destroyed now.
 */
export const reapplyForgetting = async (deps: {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
}): Promise<readonly string[]> => {
  const destroyed: string[] = [];
  for await (const events of readWholeLog(deps.store, { batchSize: 1000, categories: ['forgotten'] }))
    for (const event of events) {
      const decoded = forgettingEventRegistry.decode(event);
      if (E.isLeft(decoded) || decoded.right.type !== SubjectForgotten.type) continue;
      const outcome = await deps.keys.destroy(decoded.right.data.subject, event.occurredAt);
      if (outcome === 'destroyed') destroyed.push(decoded.right.data.subject);
    }
  return destroyed;
};

export interface ForgettingAudit {
  /** Keys destroyed with no SubjectForgotten in the log: personal data shredded without a record or a ground. */
  readonly unrecorded: readonly { readonly subject: string; readonly forgottenAt: string }[];
  /** SubjectForgotten in the log whose subject still has a key: a forgetting not carried out (yet). */
  readonly notCarriedOut: readonly { readonly subject: string; readonly streamId: string; readonly revision: number }[];
  readonly recorded: number;
}

/**
 * Holds the key store to the log: every destroyed key must have its SubjectForgotten record, and every
 * record its destroyed key. Someone with access to the key store could otherwise shred a person's data
 * without a legal ground, and no stream would show it.
 */
export const auditForgetting = async (deps: {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
}): Promise<ForgettingAudit> => {
  const records = new Map<string, { streamId: string; revision: number }>();
  for await (const events of readWholeLog(deps.store, { batchSize: 1000, categories: ['forgotten'] }))
    for (const event of events) {
      const decoded = forgettingEventRegistry.decode(event);
      if (E.isRight(decoded) && decoded.right.type === SubjectForgotten.type)
        records.set(decoded.right.data.subject, { streamId: event.streamId, revision: event.revision });
    }
  const tombstones = await deps.keys.forgottenSubjects();
  const destroyed = new Set(tombstones.map((t) => t.subject));
  const states = await deps.keys.lookup([...records.keys()]);
  return {
    unrecorded: tombstones.filter((t) => !records.has(t.subject)),
    notCarriedOut: [...records]
      .filter(([subject]) => !destroyed.has(subject) && states.get(subject)?.state !== 'forgotten')
      .map(([subject, at]) => ({ subject, ...at })),
    recorded: records.size,
  };
};

/**
 * An `onReveal` that records every reveal in the log before anything is decrypted: one PersonalDataRevealed
 * per subject read, in `access-<subject>`, sealed by `sealer` (pass the sealer this is the `onReveal` of; it is
 * asked for lazily). A forgotten subject's record keeps no statement: there is no key to seal it with.
 */
export const recordPersonalDataAccess =
  (deps: {
    readonly store: EventStore;
    readonly sealer: () => PersonalDataSealer;
    readonly clock?: () => Date;
    readonly newId?: () => string;
  }) =>
  async (access: PersonalDataAccess): Promise<void> => {
    const sealer = deps.sealer();
    const now = (deps.clock ?? (() => new Date()))().toISOString();
    const actor = access.purpose.actor ?? { personId: 'system', role: 'system' as const };
    const states = await sealer.keys.lookup(access.subjects);
    const correlationId = (deps.newId ?? randomId)();
    for (const subject of access.subjects) {
      const streamId = accessStreamId(subject);
      const forgotten = states.get(subject)?.state === 'forgotten';
      const encoded = forgettingEventRegistry.encode({
        type: 'PersonalDataRevealed',
        data: {
          subject,
          purpose: access.purpose.code,
          // Which events of this subject were read: every sealed value names its subject.
          events: access.events
            .filter((e) => e.subjects.includes(subject))
            .map((e) => ({ streamId: e.streamId, revision: e.revision })),
          ...(forgotten ? {} : { statement: access.purpose.statement }),
        },
      });
      const event: NewEvent = {
        eventId: (deps.newId ?? randomId)(),
        ...encoded,
        occurredAt: now,
        actor,
        correlationId,
        causationId: correlationId,
      };
      const [sealed] = await sealer.seal(streamId, [event], { subject });
      await deps.store.append(streamId, [sealed!], { expectedRevision: 'any' });
    }
  };
