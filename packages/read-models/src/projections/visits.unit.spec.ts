// The visits projection on PGlite: counts per unit, month, kind and topic, a cancelled visit no longer
// counted, the quota read against the counted visits, the on-site share of problems met on visits — every
// batch applied twice and the log replayed giving the same rows (projectionSpecification), one full replay
// equal to live processing in random batches, and no household detail in any public table.
import * as core from '@banshishi/core';
import { getInMemoryEventStore, type PositionedEvent } from '@banshishi/core';
import { dumpTables, projectEvents, projectionSpecification, publicText } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenReadModels, openReadModels } from '../open.js';
import { monthsWithVisits, onSiteShares, visitCountsByUnit, visitQuotaCompliance } from '../queries/visits.js';
import { runProjection } from '../runtime/runner.js';
import { projectionList } from './index.js';

const all = projectionList;
const secrets = ['汕头路 12 号 301', '王大爷', '老人独居，电话 13900000000', '36.066500,120.318000'];

/** A small history made by the deciders through command handling, with personal data sealed. */
const history = async (visitsBySecretary: number) => {
  const store = getInMemoryEventStore({ clock: () => new Date('2025-06-20T02:00:00Z') });
  const sys = { personId: 'system', role: 'system' as const };
  let n = 0;
  const put = (stream: string, type: string, data: unknown, schemaVersion = 1) =>
    store.append(
      stream,
      [
        {
          eventId: core.uuidFromName(`v${++n}`),
          type,
          schemaVersion,
          data,
          occurredAt: '2025-06-01T09:00:00+08:00',
          actor: sys,
          correlationId: 'c',
          causationId: 'c',
        },
      ],
      { expectedRevision: 'any' },
    );
  const units: [string, string, core.UnitKind, string | null][] = [
    ['d', '市南区', 'district', null],
    ['s', '珠海路街道', 'street', 'd'],
    ['c', '汕头路社区', 'community', 's'],
    ['g', '汕头路一网格', 'grid', 'c'],
    ['c2', '另一社区', 'community', 's'],
  ];
  for (const [unitId, name, kind, parentId] of units)
    await put(`unit-${unitId}`, 'UnitRegistered', { unitId, name, kind, parentId });
  const holdings: [string, core.DirectoryRole, string][] = [
    ['sec-c', 'secretary', 'c'],
    ['sec-c2', 'secretary', 'c2'],
    ['gw', 'grid_worker', 'g'],
  ];
  for (const [personId, role, unitId] of holdings) {
    await put(`person-${personId}`, 'PersonRegistered', { personId, kind: 'official', name: `干部${personId}` }, 2);
    await put(`person-${personId}`, 'RoleGranted', { personId, role, unitId, since: '2024-01-01T00:00:00+08:00' });
  }
  const context: core.DecisionContext = {
    directory: core.directoryViewOf({
      units: units.map(([unitId, name, kind, parentId]) => ({ unitId, name, kind, parentId })),
      holdings: holdings.map(([personId, role, unitId]) => ({ personId, role, unitId, since: '2024-01-01' })),
    }),
    wishClaims: { openClaimsOf: () => 0, limit: 3 },
  };
  const personalData = core.createCorePersonalDataSealer({ keys: core.getInMemorySubjectKeyStore() });
  const visits = core.commandHandler({
    store,
    personalData,
    context: async () => context,
    decider: core.visitDecider,
    registry: core.visitEventRegistry,
    streamIdOf: core.visitStreamIdOf,
  });
  const problems = core.commandHandler({
    store,
    personalData,
    context: async () => context,
    decider: core.problemDecider,
    registry: core.problemEventRegistry,
    streamIdOf: core.problemStreamIdOf,
  });
  const now = '2025-06-20T10:00:00+08:00';
  const ok = (r: { _tag: 'Left'; left: core.DomainError } | { _tag: 'Right' }) => {
    if (r._tag === 'Left') throw new Error(r.left.message);
  };
  const household = { address: secrets[0]!, name: secrets[1]!, registeredLocation: '36.066100,120.318000' };
  for (let i = 0; i < visitsBySecretary; i++)
    ok(
      await visits({
        type: 'recordVisit',
        data: { visitId: `V-s${i}`, unitId: 'g', date: '2025-06-10', kind: 'door_to_door', household },
        metadata: { actor: { personId: 'sec-c', role: 'secretary' }, now },
      }),
    );
  ok(
    await visits({
      type: 'recordVisit',
      data: {
        visitId: 'V-five',
        unitId: 'g',
        date: '2025-06-11',
        kind: 'grid_five_questions',
        topics: ['living', 'environment'],
        household,
        notes: secrets[2]!,
        checkIn: { position: secrets[3]! },
      },
      metadata: { actor: { personId: 'gw', role: 'grid_worker' }, now },
    }),
  );
  ok(
    await visits({
      type: 'recordVisit',
      data: { visitId: 'V-gone', unitId: 'g', date: '2025-06-12', kind: 'door_to_door', household },
      metadata: { actor: { personId: 'gw', role: 'grid_worker' }, now },
    }),
  );
  ok(
    await visits({
      type: 'cancelVisit',
      data: { visitId: 'V-gone', reason: '记错了户' },
      metadata: { actor: { personId: 'gw', role: 'grid_worker' }, now },
    }),
  );
  ok(
    await problems({
      type: 'resolveProblemOnSite',
      data: {
        problemId: 'P-onsite',
        unitId: 'g',
        grade: 'minor',
        title: '楼道堆物',
        visitId: 'V-s0',
        summary: '当场清理',
        evidence: [{ kind: 'photo', uri: 'sha256:aa' }],
      },
      metadata: { actor: { personId: 'sec-c', role: 'secretary' }, now },
    }),
  );
  ok(
    await problems({
      type: 'solicitProblem',
      data: {
        problemId: 'P-taken-back',
        unitId: 'g',
        source: 'grid_visit',
        grade: 'small',
        title: '路灯不亮',
        origin: { kind: 'visit', visitId: 'V-five' },
      },
      metadata: { actor: { personId: 'gw', role: 'grid_worker' }, now },
    }),
  );
  return (await store.readAll({ limit: 1_000_000 })).events;
};

describe('the visits projection on PGlite', () => {
  let pglite: PGlite;
  let schemas = 0;
  const fresh = async (): Promise<OpenReadModels> => openReadModels({ kind: 'pglite', pglite }, `vm${++schemas}`);
  const { given } = projectionSpecification({ readModels: fresh, projections: all });

  beforeAll(async () => {
    pglite = new PGlite();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('counts visits per unit, kind and topic, drops a cancelled one, and reads quotas and the on-site share', async () => {
    const events = await history(3);
    await given(events, { batchSize: 3 }).then(async (rm, rows) => {
      expect(rows.visit_records).toHaveLength(5);
      expect(await monthsWithVisits(rm)).toEqual(['2025-06']);
      expect(await visitCountsByUnit(rm, '2025-06')).toEqual([
        {
          unitId: 'g',
          unitName: '汕头路一网格',
          total: 4,
          byKind: { door_to_door: 3, grid_five_questions: 1 },
          byTopic: { environment: 1, living: 1 },
        },
      ]);
      // 第一书记 of 汕头路社区 owes 20; 另一社区's secretary, with no visit, is listed short of all 20.
      expect(await visitQuotaCompliance(rm, { month: '2025-06' })).toEqual([
        expect.objectContaining({
          personId: 'sec-c',
          unitId: 'c',
          required: 20,
          visited: 3,
          met: false,
          shortfall: 17,
        }),
        expect.objectContaining({ personId: 'sec-c2', unitId: 'c2', required: 20, visited: 0, met: false }),
      ]);
      const lower = await visitQuotaCompliance(rm, {
        month: '2025-06',
        rules: [{ role: 'secretary', unitKind: 'community', householdsPerMonth: 3 }],
      });
      expect(lower[0]).toMatchObject({ personId: 'sec-c', met: true, shortfall: 0 });
      expect(await onSiteShares(rm)).toEqual([
        { unitId: 'g', unitName: '汕头路一网格', metOnVisits: 2, solvedOnSite: 1, share: 0.5 },
      ]);
      const text = await publicText(rm);
      for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
    });
  });

  it('property: one full replay gives the same rows as live processing in random batches', async () => {
    const events = await history(4);
    const replay = async (list: readonly PositionedEvent[]) => {
      const rm = await fresh();
      await projectEvents(rm, list, { projections: all });
      return dumpTables(rm);
    };
    const rows = await replay(events);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), async (batchSize) => {
        const live = await fresh();
        const store = getInMemoryEventStore();
        for (const e of events) await store.append(e.streamId, [e], { expectedRevision: 'any' });
        const running = all.map((projection) => runProjection({ store, readModels: live, projection, batchSize }));
        await Promise.all(running.map((p) => p.caughtUp));
        await Promise.all(running.map((p) => p.stop()));
        expect(await dumpTables(live)).toEqual(rows);
      }),
      { numRuns: 4 },
    );
  });
});
