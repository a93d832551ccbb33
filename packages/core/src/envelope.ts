// The stored shape of every event (docs/architecture.md, "Envelope"). Deciders produce bare `{ type, data }`
// events; command handling wraps them into NewEvents; the store seals them with revision, time and the hash
// chain.

export const roles = [
  'resident',
  'enterprise',
  'grid_worker',
  'member',
  'secretary',
  'department_handler',
  'office',
  'auditor',
  'system',
] as const;
export type Role = (typeof roles)[number];

/** Who acted, and in which role (and unit, where the role is held in one). */
export interface Actor {
  readonly personId: string;
  readonly role: Role;
  readonly unitId?: string;
}

/** An event as a decider emits it. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** An event ready to append: everything but what the store assigns. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
}

/**
 * Exactly the fields of a NewEvent, copied from any event that has them (a stored one, a caller's object
 * with extras): what an append carries, what the hash covers besides the seal, and nothing else.
 */
export const newEventOf = (event: NewEvent): NewEvent => ({
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  occurredAt: event.occurredAt,
  actor: event.actor,
  correlationId: event.correlationId,
  causationId: event.causationId,
});

/** An event once sealed into its stream: revision, store time and hash chain fixed. */
export interface SealedEvent extends NewEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** An event as read back: sealed, plus its place in the total order over all streams. */
export interface StoredEvent extends SealedEvent {
  readonly globalPosition: number;
}

/** The category of a stream is the part of its id before the first '-': `problem-42` → `problem`. */
export const categoryOf = (streamId: string): string => {
  const i = streamId.indexOf('-');
  return i < 0 ? streamId : streamId.slice(0, i);
};
