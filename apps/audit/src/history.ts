// `history <stream | item id>`: who did what to one item, when, in which role — from the log alone. The stream
// is verified first (its chain against the recorded head, its positions, payloads and every step, as `verify`
// checks it), and the answer says so before it lists anything. Then each event: its revision, business and
// store time, the actor by name, role and unit as the directory stood at that moment, whether they held that
// role in that unit then, the event in words with its key fields, and whether its hash verified.
//
// Officials and enterprises are named (as on a 公示 notice); residents appear by role only, unless personal data
// is asked for with a purpose, which is recorded in the log (PersonalDataRevealed) before anything is opened.
import {
  createDirectoryViewBuilder,
  type DirectoryViewBuilder,
  type DomainError,
  type EventStore,
  isForgottenPlaceholder,
  isSealedValue,
  type PersonalDataSealer,
  personalDataMarkers,
  personEventRegistry,
  type RevealPurpose,
  readWholeLog,
  type StoredEvent,
} from '@banshishi/core';
import type { AuditStream } from '@banshishi/store-postgres';
import * as E from 'fp-ts/lib/Either.js';
import { type Described, describe, type Namer } from './describe.js';
import { decodeStream } from './lifecycles.js';
import { replayStream } from './replay.js';
import { checkStream, coreRegistries, decodersOf, type Finding } from './verify.js';
import { withClearFieldsWithheld } from './withheld.js';

export type HashStatus = 'ok' | 'altered' | 'unverified';

export interface HistoryEntry {
  readonly revision: number;
  readonly position: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly actor: {
    readonly personId: string;
    readonly role: string;
    readonly unitId: string | null;
    /** An official's or an enterprise's name; a resident's only when personal data was revealed. */
    readonly name: string | null;
    readonly unitName: string | null;
    /** Whether the directory shows the role held in that unit at the business time and at the store time. */
    readonly heldRole: { readonly atOccurred: boolean; readonly atRecorded: boolean } | null;
  };
  readonly described: Described;
  readonly hash: HashStatus;
}

export interface History {
  readonly streamId: string;
  readonly verified: boolean;
  readonly findings: readonly Finding[];
  readonly head: { readonly revision: number; readonly hash: string } | null;
  /** Events of the stream in all, and the entries the date range kept. */
  readonly events: number;
  readonly entries: readonly HistoryEntry[];
  /** The subjects whose data was revealed for this history (each read recorded in access-<subject>). */
  readonly revealed: readonly string[];
}

export interface HistoryDeps {
  readonly store: EventStore;
  /** The stream as stored, with its recorded head: what `verify` checks. */
  readonly auditStream: (streamId: string) => Promise<AuditStream>;
  /** Present when personal data is asked for: opens sealed values, recording the read first. */
  readonly reveal?: { readonly sealer: PersonalDataSealer; readonly purpose: RevealPurpose };
}

export interface HistoryRange {
  readonly from?: string;
  readonly to?: string;
}

const chainKinds = new Set(['wrong_stream', 'revision_gap', 'broken_link', 'hash_mismatch', 'unhashable']);

/** The directory over its whole history, and every person's kind and name as registered. */
const foldDirectory = async (store: EventStore) => {
  const builder: DirectoryViewBuilder = createDirectoryViewBuilder();
  const people = new Map<string, { kind: string; name: unknown; event: StoredEvent }>();
  for await (const events of readWholeLog(store, { categories: ['unit', 'person'] })) {
    builder.apply(events);
    for (const event of events) {
      if (event.type !== 'PersonRegistered') continue;
      const decoded = personEventRegistry.decode(event);
      if (E.isLeft(decoded) || decoded.right.type !== 'PersonRegistered') continue;
      const { personId, kind, name } = decoded.right.data;
      people.set(personId, { kind, name, event });
    }
  }
  return { builder, people };
};

const inRange = (at: string, range: HistoryRange) => {
  const t = Date.parse(at);
  return (
    (range.from === undefined || t >= Date.parse(range.from)) && (range.to === undefined || t <= Date.parse(range.to))
  );
};

export const buildHistory = async (
  deps: HistoryDeps,
  streamId: string,
  range: HistoryRange = {},
): Promise<E.Either<DomainError, History>> => {
  const stored = await deps.auditStream(streamId);
  const findings = checkStream(stored, decodersOf(coreRegistries), replayStream);
  const brokenAt = findings.find((f) => chainKinds.has(f.kind))?.revision;

  const { builder, people } = await foldDirectory(deps.store);
  const events = stored.events as readonly StoredEvent[];
  const kept = events.filter((e) => inRange(e.occurredAt, range));

  // Personal data, when asked for: the kept events and the registrations of the residents who acted in them,
  // revealed in one read that the sealer records before it opens anything.
  let shown: readonly StoredEvent[] = kept;
  const residentNames = new Map<string, string>();
  let revealed: string[] = [];
  if (deps.reveal !== undefined) {
    const registrations = [...new Set(kept.map((e) => e.actor.personId))]
      .map((id) => people.get(id))
      .filter((p) => p?.kind === 'resident')
      .map((p) => p!.event);
    const opened = await deps.reveal.sealer.reveal([...kept, ...registrations], deps.reveal.purpose);
    if (E.isLeft(opened)) return opened;
    shown = opened.right.slice(0, kept.length);
    for (const registration of opened.right.slice(kept.length).map(withClearFieldsWithheld)) {
      const data = registration.data as { personId: string; name: unknown };
      residentNames.set(
        data.personId,
        isForgottenPlaceholder(data.name) ? personalDataMarkers.forgotten : String(data.name),
      );
    }
    revealed = [...new Set([...kept, ...registrations].flatMap((e) => subjectsIn(e.data)))].sort();
  }

  // Decoded first (a codec refuses a marker in a personal field), then every field still in the clear withheld.
  const decoded = new Map<number, StoredEvent>();
  for (const event of shown) {
    const one = decodeStream([event]);
    if (E.isRight(one)) decoded.set(event.revision, withClearFieldsWithheld(one.right[0]!));
  }

  const entries = shown.map((event): HistoryEntry => {
    const view = builder.viewAt(event.occurredAt);
    const namer: Namer = {
      unit: (unitId) => view.unit(unitId)?.name ?? unitId,
      person: (personId, role) => {
        const p = people.get(personId);
        if (p === undefined) return personId;
        if (p.kind !== 'resident') return String(p.name);
        return residentNames.get(personId) ?? `a ${role.replaceAll('_', ' ')}`;
      },
    };
    const { actor } = event;
    const person = people.get(actor.personId);
    const holds = (at: string) =>
      builder
        .viewAt(at)
        .rolesOf(actor.personId)
        .some((h) => h.role === actor.role && (actor.unitId === undefined || h.unitId === actor.unitId));
    const one = decoded.get(event.revision);
    return {
      revision: event.revision,
      position: event.globalPosition,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      type: event.type,
      schemaVersion: event.schemaVersion,
      actor: {
        personId: actor.personId,
        role: actor.role,
        unitId: actor.unitId ?? null,
        name:
          person === undefined
            ? null
            : person.kind === 'resident'
              ? (residentNames.get(actor.personId) ?? null)
              : String(person.name),
        unitName: actor.unitId === undefined ? null : (view.unit(actor.unitId)?.name ?? null),
        heldRole:
          actor.role === 'system' ? null : { atOccurred: holds(event.occurredAt), atRecorded: holds(event.recordedAt) },
      },
      described:
        one === undefined
          ? { term: '', words: `${event.type} v${event.schemaVersion}: does not decode`, fields: [] }
          : describe(one, namer),
      hash:
        brokenAt === undefined || event.revision < brokenAt
          ? 'ok'
          : event.revision === brokenAt
            ? 'altered'
            : 'unverified',
    };
  });
  return E.right({
    streamId,
    verified: findings.length === 0,
    findings,
    head: stored.head === null ? null : { revision: stored.head.revision, hash: stored.head.hash },
    events: events.length,
    entries,
    revealed,
  });
};

/** The data subjects whose sealed values a stored payload holds. */
const subjectsIn = (data: unknown): string[] => {
  if (isSealedValue(data)) return [data.subject];
  if (typeof data !== 'object' || data === null) return [];
  return (Array.isArray(data) ? data : Object.values(data)).flatMap(subjectsIn);
};

const actorLine = (e: HistoryEntry): string => {
  const { actor } = e;
  if (actor.role === 'system') return `by the system (${actor.personId})`;
  const who = actor.name === null ? `a ${actor.role.replaceAll('_', ' ')}` : actor.name;
  const unit = actor.unitId === null ? '' : ` of ${actor.unitName ?? actor.unitId}`;
  const ids = `person ${actor.personId}${actor.unitId === null ? '' : `, unit ${actor.unitId}`}`;
  const held = actor.heldRole;
  const heldText =
    held === null
      ? ''
      : held.atOccurred && held.atRecorded
        ? 'held that role then: yes'
        : held.atOccurred
          ? 'held that role when it was done, NOT when it was recorded'
          : held.atRecorded
            ? 'held that role when it was recorded, NOT when it was done'
            : 'held that role then: NO';
  return `by ${who}, ${actor.role.replaceAll('_', ' ')}${unit} — ${heldText}\n      [${ids}]`;
};

/** The history as lines for a person to read. */
export const historyLines = (h: History): string[] => {
  const head = h.head === null ? 'no recorded head' : `recorded head at revision ${h.head.revision}`;
  const lines = [
    `history of ${h.streamId}: ${h.events} event${h.events === 1 ? '' : 's'}, ${head}`,
    h.verified
      ? 'verified first: the hash chain is intact, the head matches, every payload decodes and every step is one a command could make'
      : `NOT VERIFIED: ${h.findings.length} finding${h.findings.length === 1 ? '' : 's'}, the stream is not what was written`,
    ...h.findings.map((f) => `  ALTERED  ${f.kind}  ${f.message}`),
  ];
  if (h.revealed.length > 0)
    lines.push(`personal data revealed for ${h.revealed.length} subjects; each read recorded in access-<subject>`);
  if (h.entries.length < h.events) lines.push(`${h.entries.length} of ${h.events} events in the date range`);
  for (const e of h.entries) {
    const hash =
      e.hash === 'ok' ? 'hash ok' : e.hash === 'altered' ? 'HASH ALTERED' : 'hash not verified (chain broken before)';
    lines.push('');
    lines.push(`@${e.revision}  ${e.occurredAt}  (recorded ${e.recordedAt}, position ${e.position})  ${hash}`);
    const { term, words, fields } = e.described;
    lines.push(`    ${term === '' ? '' : `${term} `}${e.type}: ${words}`);
    for (const [k, v] of fields) lines.push(`      ${k}: ${v}`);
    lines.push(`    ${actorLine(e)}`);
  }
  return lines;
};
