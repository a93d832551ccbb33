// 探亲动态's rows: pairings by unit and category, visits by unit and month, and the excerpts shown only
// while the household's consent holds and never once it is forgotten. Events are decided by the pairing
// lifecycle itself (sealed as stored); the rows must not depend on batching, on being applied twice, or on
// the projector stopping and starting.
import * as core from '@banshishi/core';
import { getInMemoryEventStore, type PositionedEvent } from '@banshishi/core';
import { createRandom } from '@banshishi/testkit';
import { dumpTables, projectEvents, projectionSpecification } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenReadModels, openReadModels } from '../open.js';
import { consentedPairingExcerpts, pairingCategoryCounts, pairingVisitCounts } from '../queries/pairing.js';
import { liveBuild } from '../runtime/builds.js';
import type { AnyProjection } from '../runtime/projection.js';
import { runProjection } from '../runtime/runner.js';
import { directoryProjection, pairingProjection } from './index.js';

const all: readonly AnyProjection[] = [directoryProjection, pairingProjection];

const directory = core.directoryViewOf({
  units: [
    { unitId: 'd1', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 's1', name: '九龙街道', kind: 'street', parentId: 'd1' },
    { unitId: 'c1', name: '东庄村', kind: 'community', parentId: 's1' },
    { unitId: 's2', name: '胶东街道', kind: 'street', parentId: 'd1' },
    { unitId: 'c2', name: '西庄村', kind: 'community', parentId: 's2' },
  ],
  holdings: [
    { personId: 'office', role: 'office', unitId: 'd1', since: '2025-01-01' },
    { personId: 'off1', role: 'member', unitId: 's1', since: '2025-01-01' },
    { personId: 'off2', role: 'member', unitId: 's2', since: '2025-01-01' },
  ],
});
const context: core.DecisionContext = { directory, wishClaims: { openClaimsOf: () => 0, limit: 3 } };
const office: core.Actor = { personId: 'office', role: 'office' };
const home = '36.270100,120.033300';
const households = ['王桂兰', '李秀英', '张建国'];
const phones = ['13800002222', '13900003333', '13700004444'];

/** One step of a pairing history: the household index it concerns, and what happens. */
type Step =
  | { kind: 'visit'; h: number; far: boolean; excerpt: boolean }
  | { kind: 'consent'; h: number; given: boolean }
  | { kind: 'end'; h: number }
  | { kind: 'forget'; h: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('visit' as const),
      h: fc.nat(2),
      far: fc.boolean(),
      excerpt: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('consent' as const), h: fc.nat(2), given: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), h: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), h: fc.nat(2) }) },
);

/** The log of a history: the directory, three pairings, then the steps as commands (refusals just skipped). */
const historyOf = async (steps: readonly Step[]): Promise<readonly PositionedEvent[]> => {
  const store = getInMemoryEventStore({ clock: () => new Date('2025-03-01T00:00:00Z') });
  const keys = core.getInMemorySubjectKeyStore();
  let n = 0;
  const handle = core.pairingCommandHandler({
    store,
    context: async () => context,
    personalData: core.createCorePersonalDataSealer({ keys }),
    newId: () => `id-${n++}`,
  });
  const put = (stream: string, type: string, data: unknown) =>
    store.append(
      stream,
      [
        {
          eventId: core.uuidFromName(`raw-${n++}`),
          type,
          schemaVersion: 1,
          data,
          occurredAt: '2025-03-01T08:00:00+08:00',
          actor: { personId: 'system', role: 'system' },
          correlationId: 'c',
          causationId: 'c',
        },
      ],
      { expectedRevision: 'any' },
    );
  for (const [unitId, name, kind, parentId] of [
    ['d1', '胶州市', 'district', null],
    ['s1', '九龙街道', 'street', 'd1'],
    ['c1', '东庄村', 'community', 's1'],
    ['s2', '胶东街道', 'street', 'd1'],
    ['c2', '西庄村', 'community', 's2'],
  ] as const)
    await put(`unit-${unitId}`, 'UnitRegistered', { unitId, name, kind, parentId });
  const at = (day: number) =>
    `2025-${day < 31 ? '03' : '04'}-${String((day % 30) + 1).padStart(2, '0')}T10:00:00+08:00`;
  for (const h of [0, 1, 2]) {
    const result = await handle({
      type: 'pairHousehold',
      data: {
        pairingId: `PR-${h}`,
        unitId: h === 2 ? 'c2' : 'c1',
        officialId: h === 2 ? 'off2' : 'off1',
        category: (['veteran', 'tekun', 'left_behind_child'] as const)[h]!,
        household: { name: households[h]!, phone: phones[h]!, location: home },
      },
      metadata: { actor: office, now: at(0) },
    });
    if (E.isLeft(result)) throw new Error(result.left.message);
  }
  let day = 1;
  for (const step of steps) {
    day++;
    const pairingId = `PR-${step.h}`;
    const official: core.Actor = { personId: step.h === 2 ? 'off2' : 'off1', role: 'member' };
    const now = at(day);
    if (step.kind === 'forget') {
      await put(`forgotten-pairing-${pairingId}#household`, 'SubjectForgotten', {
        subject: `pairing-${pairingId}#household`,
        basis: 'consent_withdrawn',
        reference: `F-${day}`,
      });
      await keys.destroy(`pairing-${pairingId}#household`, now);
      continue;
    }
    await handle(
      step.kind === 'visit'
        ? {
            type: 'recordPairingVisit',
            data: {
              pairingId,
              visitId: `V-${day}`,
              visitedAt: now,
              diary: `${households[step.h]}说家里都好，电话${phones[step.h]}`,
              checkIn: { position: step.far ? '36.290100,120.033300' : home },
              ...(step.excerpt ? { excerpt: `第${day}天：老人家精神不错` } : {}),
            },
            metadata: { actor: official, now },
          }
        : step.kind === 'consent'
          ? {
              type: 'recordHouseholdConsent',
              data: { pairingId, consent: step.given ? 'given' : 'withdrawn' },
              metadata: { actor: official, now },
            }
          : { type: 'endPairing', data: { pairingId }, metadata: { actor: office, now } },
    );
  }
  return (await store.readAll({ limit: 1_000_000 })).events;
};

describe('the pairing projection on PGlite', () => {
  let pglite: PGlite;
  let schemas = 0;
  const fresh = async (): Promise<OpenReadModels> => openReadModels({ kind: 'pglite', pglite }, `pr${++schemas}`);
  const { given } = projectionSpecification({ readModels: fresh, projections: all });

  beforeAll(async () => {
    pglite = new PGlite();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('counts visits per unit and month, pairings per category, and shows excerpts only while consent holds', async () => {
    const events = await historyOf([
      { kind: 'visit', h: 0, far: false, excerpt: true },
      { kind: 'visit', h: 0, far: true, excerpt: false },
      { kind: 'visit', h: 1, far: false, excerpt: true },
      { kind: 'visit', h: 2, far: true, excerpt: true },
      { kind: 'consent', h: 0, given: true },
      { kind: 'consent', h: 1, given: true },
      { kind: 'consent', h: 2, given: true },
      { kind: 'consent', h: 1, given: false },
      { kind: 'forget', h: 2 },
      { kind: 'end', h: 0 },
    ]);
    await given(events, { batchSize: 3 }).then(async (rm) => {
      expect(await pairingVisitCounts(rm)).toEqual([
        { unitId: 's1', unitName: '九龙街道', month: '2025-03', visits: 3, near: 2, far: 1, unchecked: 0, none: 0 },
        { unitId: 's2', unitName: '胶东街道', month: '2025-03', visits: 1, near: 0, far: 1, unchecked: 0, none: 0 },
      ]);
      expect(await pairingCategoryCounts(rm, { level: 3 })).toEqual([
        { unitId: 'c1', unitName: '东庄村', category: 'tekun', active: 1, ended: 0 },
        { unitId: 'c1', unitName: '东庄村', category: 'veteran', active: 0, ended: 1 },
        { unitId: 'c2', unitName: '西庄村', category: 'left_behind_child', active: 1, ended: 0 },
      ]);
      // PR-0 consents (ended, its excerpts still stand); PR-1 withdrew; PR-2 was forgotten.
      expect(await consentedPairingExcerpts(rm)).toEqual([
        {
          visitId: 'V-2',
          unitId: 'c1',
          unitName: '东庄村',
          month: '2025-03',
          category: 'veteran',
          excerpt: '第2天：老人家精神不错',
        },
      ]);
      const text = JSON.stringify(await dumpTables(rm, all));
      for (const value of [...households, ...phones, home, '36.290100'])
        expect(text.includes(value), value).toBe(false);
      expect(text).not.toContain('第5天');
    });
  });

  it('a consent given again shows the excerpts again; a forgotten household’s never come back', async () => {
    const events = await historyOf([
      { kind: 'visit', h: 1, far: false, excerpt: true },
      { kind: 'consent', h: 1, given: true },
      { kind: 'consent', h: 1, given: false },
      { kind: 'consent', h: 1, given: true },
      { kind: 'visit', h: 0, far: false, excerpt: true },
      { kind: 'consent', h: 0, given: true },
      { kind: 'forget', h: 0 },
    ]);
    await given(events, { batchSize: 2 }).then(async (rm) => {
      expect((await consentedPairingExcerpts(rm)).map((x) => x.visitId)).toEqual(['V-2']);
    });
  });

  /** Rows from one full replay equal rows from live processing in random batches with random restarts. */
  const replayEqualsLive = async (events: readonly PositionedEvent[], seed: number) => {
    const replayed = await fresh();
    await projectEvents(replayed, events, { projections: all });
    const live = await fresh();
    const r = createRandom(seed);
    const store = getInMemoryEventStore();
    let fed = 0;
    while (fed < events.length) {
      const running = all.map((projection) =>
        runProjection({ store, readModels: live, projection, batchSize: r.int(1, 12) }),
      );
      const chunk = r.int(1, Math.max(1, events.length / 3));
      for (const e of events.slice(fed, fed + chunk)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
      fed = Math.min(events.length, fed + chunk);
      if (r.chance(0.5)) await Promise.all(running.map((p) => p.caughtUp));
      await Promise.all(running.map((p) => p.stop()));
    }
    const finishing = all.map((projection) => runProjection({ store, readModels: live, projection, batchSize: 7 }));
    await Promise.all(finishing.map((p) => p.caughtUp));
    await Promise.all(finishing.map((p) => p.stop()));
    const mine = events.filter((e) => pairingProjection.categories.includes(core.categoryOf(e.streamId)));
    expect((await liveBuild(live, 'pairing'))!.position).toBe(mine[mine.length - 1]!.globalPosition);
    const rows = await dumpTables(replayed, all);
    expect(await dumpTables(live, all)).toEqual(rows);
    return rows;
  };

  it('property: random pairing histories give the same rows replayed whole, twice-applied, or live with restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (steps, seed) => {
          const events = await historyOf(steps);
          const rows = await replayEqualsLive(events, seed);
          await given(events, { batchSize: 1 + (seed % 5) }).then(rows);
          const shown = new Set(((rows.pairing_excerpts ?? []) as { pairing_id: string }[]).map((x) => x.pairing_id));
          const forgotten = ((rows.pairings ?? []) as { pairing_id: string; forgotten: boolean }[]).filter(
            (p) => p.forgotten,
          );
          for (const p of forgotten) expect(shown.has(p.pairing_id)).toBe(false);
        },
      ),
      { numRuns: 5 },
    );
  });
});
