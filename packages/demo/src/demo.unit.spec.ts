// The demo generator's promises: the same seed gives the same history, every state of both lifecycles is
// reached even at the embedded demo's size, every stream replays through its decider with an intact
// hash chain, the two paths (in memory, through command handling) store the same events, the manifest's
// personal values are exactly what the log's personal fields hold, and the scale is roughly honoured.
import {
  categoryOf,
  createCorePersonalDataSealer,
  type DomainEvent,
  getInMemoryEventStore,
  getInMemorySubjectKeyStore,
  type NewEvent,
  personalValues,
  verifyStream,
} from '@banshishi/core';
import { sealEvents } from '@banshishi/core/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoBatch, generateDemoEvents } from './generate.js';
import { demoLifecycles, type Lifecycle, registryOfCategory } from './lifecycles.js';
import type { DemoManifest } from './manifest.js';
import { idCheckDigit } from './people.js';
import { seedDemo } from './seed.js';

const flatten = (batches: Iterable<DemoBatch>) =>
  [...batches].flatMap((batch) => batch.flatMap((s) => s.events.map((event) => ({ streamId: s.streamId, event }))));

const generate = (seed: number, scale: number) => {
  const source = generateDemoEvents({ seed, scale, batchSize: 500 });
  const log = flatten(source);
  return { log, manifest: source.manifest() };
};

/**
 * `personalValues` walks every member of a union, so for a payload that is a union of shapes (a person is
 * a resident, an enterprise or an official) it would also report an official's public name. The value's
 * own shape is the one that says what is personal in it.
 */
const personalOf = (codec: t.Mixed, value: unknown): string[] => {
  const c = codec as t.Mixed & { _tag?: string; types?: t.Mixed[] };
  if (c._tag === 'UnionType') {
    const member = c.types?.find((m) => m.is(value));
    if (member !== undefined) return personalOf(member, value);
  }
  return personalValues(codec, value);
};

let demo: { log: { streamId: string; event: NewEvent }[]; manifest: DemoManifest };
beforeAll(() => {
  demo = generate(1, 2000);
});

describe('demo generator', () => {
  it('gives the same history for the same seed and a different one for another seed', () => {
    const again = generate(1, 2000);
    expect(again.log).toEqual(demo.log);
    expect(again.manifest).toEqual(demo.manifest);
    const other = generate(2, 2000);
    expect(other.log.map((e) => e.event.eventId)).not.toEqual(demo.log.map((e) => e.event.eventId));
    expect(other.manifest.personal.names).not.toEqual(demo.manifest.personal.names);
  });

  it('reaches every state of problems and wishes at the embedded demo size', () => {
    const { problems, wishes, events } = demo.manifest;
    for (const status of ['solicited', 'assigned', 'claimed', 'solved', 'closed', 'rejected'])
      expect(problems.byStatus[status], `problems ${status}`).toBeGreaterThan(0);
    for (const grade of ['minor', 'small', 'medium', 'major'])
      expect(problems.byGrade[grade], `grade ${grade}`).toBeGreaterThan(0);
    for (const source of ['resident', 'enterprise', 'grid_visit', 'suggestion_drive', 'supervision_case'])
      expect(problems.bySource[source], `source ${source}`).toBeGreaterThan(0);
    expect(problems.assigned).toBeGreaterThan(0);
    expect(problems.escalated).toBeGreaterThan(0);
    expect(problems.reopened).toBeGreaterThan(0);
    expect(problems.supervised).toBeGreaterThan(0);
    expect(problems.withProgressNotes).toBeGreaterThan(0);
    expect(problems.assessed).toBeGreaterThan(0);
    expect(problems.overdueAtEnd).toBeGreaterThan(0);
    for (const status of ['collected', 'claimed', 'fulfilled', 'confirmed', 'showcased', 'cancelled'])
      expect(wishes.byStatus[status], `wishes ${status}`).toBeGreaterThan(0);
    for (const consent of ['none', 'anonymous', 'named'])
      expect(wishes.byConsent[consent], `consent ${consent}`).toBeGreaterThan(0);
    expect(wishes.released).toBeGreaterThan(0);
    expect(wishes.reopened).toBeGreaterThan(0);
    expect(wishes.showcased.anonymous).toBeGreaterThan(0);
    expect(wishes.showcased.named).toBeGreaterThan(0);
    expect(wishes.cancelled.withdrawn).toBeGreaterThan(0);
    expect(wishes.cancelled.invalid).toBeGreaterThan(0);
    // A secretary replaced mid-campaign (换届) and the targets adjusted leave their dated traces.
    expect(events.byType.RoleRevoked).toBeGreaterThan(0);
    expect(events.byType.CampaignTargetsAdjusted).toBe(1);
    expect(Object.values(events.byType).reduce((a, b) => a + b, 0)).toBe(demo.log.length);
  });

  it('replays every stream through its decider, with revisions in order and an intact hash chain', () => {
    const streams = new Map<string, NewEvent[]>();
    for (const { streamId, event } of demo.log) {
      const list = streams.get(streamId) ?? [];
      list.push(event);
      streams.set(streamId, list);
    }
    expect(streams.size).toBe(demo.manifest.streams);
    expect(new Set(demo.log.map((e) => e.event.eventId)).size).toBe(demo.log.length);
    for (const [streamId, events] of streams) {
      const lifecycle = (demoLifecycles as Record<string, Lifecycle>)[categoryOf(streamId)]!;
      const sealed = sealEvents(streamId, null, events, '2022-01-01T00:00:00.000Z');
      expect(verifyStream(streamId, sealed).ok, streamId).toBe(true);
      let state = lifecycle.decider.initialState;
      for (const stored of sealed) {
        const decoded = lifecycle.registry.decode(stored);
        if (E.isLeft(decoded)) throw new Error(decoded.left.message);
        state = lifecycle.decider.evolve(state, decoded.right);
      }
      expect((state as { status: string }).status, streamId).not.toMatch(/^(none|unregistered|unlaunched)$/);
    }
    // Business time never runs backwards in the log.
    const times = demo.log.map((e) => Date.parse(e.event.occurredAt));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1]!)).toBe(true);
  });

  it('stores through command handling exactly the events the in-memory path generates, sealed', async () => {
    const store = getInMemoryEventStore();
    const personalData = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
    const manifest = await seedDemo(store, { seed: 1, scale: 2000, personalData });
    const sealed = [];
    for (let after: string | null = null; ; ) {
      const batch = await store.readAll({ after, limit: 5000 });
      sealed.push(...batch.events);
      after = batch.checkpoint;
      if (batch.isEnd) break;
    }
    // Stored sealed: no personal value of the manifest is in the log as text.
    const { names, phones, idNumbers, addresses } = manifest.personal;
    const logText = JSON.stringify(sealed.map((e) => e.data));
    expect([...names, ...phones, ...idNumbers, ...addresses].filter((v) => logText.includes(v))).toEqual([]);
    // Revealed, and read at the clear version, they are the generated events.
    const revealed = await personalData.reveal(sealed, { code: 'verification', statement: 'the demo spec' });
    if (E.isLeft(revealed)) throw new Error(revealed.left.message);
    const stored = revealed.right.map((e) => {
      const definition = registryOfCategory(categoryOf(e.streamId))?.definitions.get(e.type);
      return definition?.sealedSince === undefined ? e : { ...e, schemaVersion: definition.sealedSince - 1 };
    });
    const pick = (streamId: string, e: NewEvent) => ({
      streamId,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      occurredAt: e.occurredAt,
      actor: e.actor,
      correlationId: e.correlationId,
    });
    expect(stored.map((e) => pick(e.streamId, e))).toEqual(demo.log.map((e) => pick(e.streamId, e.event)));
    expect(manifest).toEqual(demo.manifest);
    // Seeding again finds every command already stored (idempotency keys) and appends nothing.
    await seedDemo(store, { seed: 1, scale: 2000, personalData });
    expect((await store.readAll({ limit: 100_000 })).events).toHaveLength(stored.length);
  });

  it("lists exactly the personal values the log's personal fields hold, and none of them hides in a public field", () => {
    const fromLog = new Set<string>();
    const publicTexts: string[] = [];
    for (const { streamId, event } of demo.log) {
      const definition = registryOfCategory(categoryOf(streamId))?.definitions.get(event.type);
      if (definition === undefined) throw new Error(`no definition for ${event.type}`);
      const personal = personalOf(definition.codec, event.data);
      for (const value of personal) fromLog.add(value);
      const own = new Set(personal);
      const walk = (v: unknown): void => {
        if (typeof v === 'string') {
          if (!own.has(v)) publicTexts.push(v);
        } else if (Array.isArray(v)) v.forEach(walk);
        else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
      };
      walk((event as DomainEvent).data);
    }
    const { names, phones, idNumbers, addresses, freeText, locations } = demo.manifest.personal;
    const listed = new Set([...names, ...phones, ...idNumbers, ...addresses, ...freeText, ...locations]);
    expect(listed).toEqual(fromLog);
    expect(names.length).toBeGreaterThan(100);
    expect(addresses.length).toBeGreaterThan(50);
    const identifying = [...names, ...phones, ...idNumbers, ...addresses, ...locations];
    const leaks = publicTexts.flatMap((text) => identifying.filter((value) => text.includes(value)));
    expect(leaks).toEqual([]);
  });

  it('makes well-formed Chinese mobile numbers and ID numbers with a valid check digit', () => {
    const { phones, idNumbers } = demo.manifest.personal;
    for (const phone of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/);
    for (const id of idNumbers) {
      expect(id).toMatch(/^370281(19|20)\d{9}[\dX]$/);
      expect(id.slice(17)).toBe(idCheckDigit(id.slice(0, 17)));
    }
    expect(idCheckDigit('11010519491231002')).toBe('X');
  });

  it('roughly honours the scale', () => {
    for (const scale of [2000, 12_000]) {
      const source = generateDemoEvents({ seed: 3, scale });
      let events = 0;
      for (const batch of source) for (const segment of batch) events += segment.events.length;
      expect(events / scale, `scale ${scale}`).toBeGreaterThan(0.85);
      expect(events / scale, `scale ${scale}`).toBeLessThan(1.15);
      expect(source.manifest().events.total).toBe(events);
    }
  });
});
