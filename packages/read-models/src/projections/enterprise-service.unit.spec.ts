// The 企业服务 projection: rows follow a service through assignment, contacts, a replacement and a need raised as a
// problem that gets solved; the board's figures per officer and unit come out of them with cadence as of a day;
// nothing of the enterprise's contact person or needs reaches a table. Every specification also applies each
// batch twice, and a property replays random service histories once against live processing in random batches.
import * as core from '@banshishi/core';
import { getInMemoryEventStore, type PositionedEvent } from '@banshishi/core';
import { createRandom } from '@banshishi/testkit';
import { dumpTables, projectEvents, projectionSpecification } from '@banshishi/testkit/read-models';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenReadModels, openReadModels } from '../open.js';
import { serviceBoard, serviceHistory } from '../queries/enterprise-service.js';
import { liveBuild } from '../runtime/builds.js';
import type { AnyProjection } from '../runtime/projection.js';
import { runProjection } from '../runtime/runner.js';
import { directoryProjection } from './directory.js';
import { enterpriseServiceProjection } from './enterprise-service.js';

const projections: readonly AnyProjection[] = [directoryProjection, enterpriseServiceProjection];
const sys = { personId: 'system', role: 'system' as const };
const office = { personId: 'office-jz', role: 'office' as const };
const wang = { personId: 'cadre-wang', role: 'department_handler' as const };
const li = { personId: 'cadre-li', role: 'secretary' as const };
const at = (date: string, h = 9) => `${date}T${String(h).padStart(2, '0')}:00:00+08:00`;

/** A log written as the deciders write it, in the clear (the version before sealing). */
const logOf = () => {
  const store = getInMemoryEventStore();
  let n = 0;
  const put = (stream: string, type: string, data: unknown, actor: core.Actor, occurredAt: string) => {
    const definition = core.coreEventDefinitions.find((d) => d.type === type)!;
    return store.append(
      stream,
      [
        {
          eventId: core.uuidFromName(`t${++n}`),
          type,
          schemaVersion: core.clearVersionOf(definition),
          data,
          occurredAt,
          actor,
          correlationId: 'c',
          causationId: 'c',
        },
      ],
      { expectedRevision: 'any' },
    );
  };
  return { store, put };
};

const directory = async (put: ReturnType<typeof logOf>['put']) => {
  for (const [unitId, name, kind, parentId] of [
    ['jz', '胶州市', 'district', null],
    ['jiaoxi', '胶西街道', 'street', 'jz'],
    ['jiulong', '九龙街道', 'street', 'jz'],
  ] as const)
    await put(`unit-${unitId}`, 'UnitRegistered', { unitId, name, kind, parentId }, sys, at('2026-01-01'));
  for (const [personId, name] of [
    ['cadre-wang', '王建军'],
    ['cadre-li', '李红梅'],
  ] as const)
    await put(`person-${personId}`, 'PersonRegistered', { personId, kind: 'official', name }, sys, at('2026-01-01'));
};

const officerOf = (actor: core.Actor, unitId: string) => ({ personId: actor.personId, role: actor.role, unitId });

const contactData = (enterpriseId: string, contactId: string, officerId: string, date: string, kind: string) => ({
  enterpriseId,
  contactId,
  officerId,
  date,
  kind,
  work: [
    { role: 'policy', summary: '宣讲技改补贴政策' },
    { role: 'research', summary: '了解订单和用工' },
  ],
  needs: [{ needId: `${contactId}-n1`, description: '门前道路破损，联系人刘经理13800000000' }],
  contactPerson: { name: '刘经理', phone: '13800000000' },
});

describe('the enterprise-service projection on PGlite', () => {
  let pglite: PGlite;
  let schemas = 0;
  const fresh = async (): Promise<OpenReadModels> => openReadModels({ kind: 'pglite', pglite }, `svc${++schemas}`);
  const { given } = projectionSpecification({ readModels: fresh, projections });

  beforeAll(async () => {
    pglite = new PGlite();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('rows follow a service through contacts, a replacement and a need raised as a problem and solved', async () => {
    const { store, put } = logOf();
    await directory(put);
    const s = 'service-e1';
    await put(
      s,
      'ServiceAssigned',
      {
        enterpriseId: 'e1',
        enterpriseName: '青岛某精密机械有限公司',
        unitId: 'jiaoxi',
        officer: officerOf(wang, 'jiaoxi'),
        since: at('2026-03-02'),
      },
      office,
      at('2026-03-02'),
    );
    await put(
      s,
      'ServiceContactRecorded',
      contactData('e1', 'c1', 'cadre-wang', '2026-03-09', 'on_site'),
      wang,
      at('2026-03-09'),
    );
    await put(
      'problem-p1',
      'ProblemSolicited',
      {
        problemId: 'p1',
        unitId: 'jiaoxi',
        source: 'enterprise',
        grade: 'medium',
        title: '企业门前道路破损',
        solicitedAt: at('2026-03-10'),
        raiser: { kind: 'enterprise', enterpriseName: '青岛某精密机械有限公司', enterpriseId: 'e1' },
        origin: { kind: 'enterprise_service', enterpriseId: 'e1', contactId: 'c1' },
      },
      office,
      at('2026-03-10'),
    );
    await put(
      s,
      'ServiceNeedRaisedAsProblem',
      { enterpriseId: 'e1', contactId: 'c1', needId: 'c1-n1', problemId: 'p1', officerId: 'cadre-wang' },
      wang,
      at('2026-03-10', 10),
    );
    await put(
      'problem-p1',
      'ProblemSolved',
      { problemId: 'p1', summary: '已修复路面', evidence: [{ kind: 'photo', uri: 'sha256:aa' }] },
      li,
      at('2026-03-20'),
    );
    await put(
      s,
      'ServiceOfficerReplaced',
      {
        enterpriseId: 'e1',
        previousOfficerId: 'cadre-wang',
        officer: officerOf(li, 'jiulong'),
        since: at('2026-04-01'),
        reason: '工作调整',
      },
      office,
      at('2026-04-01'),
    );
    await put(
      s,
      'ServiceContactRecorded',
      contactData('e1', 'c2', 'cadre-li', '2026-04-15', 'phone'),
      li,
      at('2026-04-15'),
    );

    await given((await store.readAll({ limit: 1000 })).events, { batchSize: 3 }).then(async (rm, rows) => {
      expect(rows.services).toEqual([
        expect.objectContaining({
          enterprise_id: 'e1',
          status: 'active',
          officer_id: 'cadre-li',
          term_count: 2,
          period_start: '2026-03-02',
          contacts: 2,
          on_site: 1,
          last_contact: '2026-04-15',
        }),
      ]);
      expect(rows.service_terms).toHaveLength(2);
      expect(rows.service_problems).toEqual([
        expect.objectContaining({ problem_id: 'p1', officer_id: 'cadre-wang', problem_status: 'solved' }),
      ]);
      const text = JSON.stringify(rows);
      for (const secret of ['刘经理', '13800000000', '联系人']) expect(text).not.toContain(secret);

      const history = await serviceHistory(rm, 'e1');
      expect(history?.terms.map((t) => [t.officer_id, t.until === null])).toEqual([
        ['cadre-wang', false],
        ['cadre-li', true],
      ]);
      const board = await serviceBoard(rm, { now: at('2026-05-20') });
      expect(board.services[0]).toMatchObject({
        officerName: '李红梅',
        unitName: '胶西街道',
        problemsRaised: 1,
        problemsSolved: 1,
        cadence: { firstContact: 'met', monthsMissed: [], compliant: true },
      });
      expect(board.officers).toEqual([
        expect.objectContaining({ officerId: 'cadre-li', enterprises: 1, contacts: 1, problemsSolved: 0 }),
        expect.objectContaining({ officerId: 'cadre-wang', enterprises: 0, contacts: 1, problemsSolved: 1 }),
      ]);
      expect(board.units).toEqual([
        expect.objectContaining({ unitId: 'jiaoxi', enterprises: 1, contacts: 2, compliant: 1 }),
      ]);
      // A month with no contact: May is judged once June has begun.
      const later = await serviceBoard(rm, { now: at('2026-06-02') });
      expect(later.services[0]!.cadence).toMatchObject({ monthsMissed: ['2026-05'], compliant: false });
      expect((await serviceBoard(rm, { now: at('2026-05-20'), unitId: 'jiulong' })).services).toEqual([]);
    });
  });

  /** A random service history: enterprises assigned, contacted, handed over, ended, needs raised and solved. */
  const randomServiceLog = async (seed: number) => {
    const r = createRandom(seed);
    const { store, put } = logOf();
    await directory(put);
    const officers = [wang, li];
    for (let e = 0; e < r.int(1, 4); e++) {
      const id = `e${e}`;
      const s = `service-${id}`;
      let day = r.int(1, 20);
      const date = () => `2026-03-${String(day).padStart(2, '0')}`;
      let officer = r.pick(officers);
      await put(
        s,
        'ServiceAssigned',
        {
          enterpriseId: id,
          enterpriseName: `企业${e}`,
          unitId: 'jiaoxi',
          officer: officerOf(officer, 'jiaoxi'),
          since: at(date()),
        },
        office,
        at(date()),
      );
      let active = true;
      for (let step = 0; step < r.int(0, 8) && day < 28; step++) {
        day += r.int(0, 1);
        const roll = r.next();
        if (!active) {
          officer = r.pick(officers);
          await put(
            s,
            'ServiceAssigned',
            {
              enterpriseId: id,
              enterpriseName: `企业${e}`,
              unitId: 'jiaoxi',
              officer: officerOf(officer, 'jiaoxi'),
              since: at(date()),
            },
            office,
            at(date()),
          );
          active = true;
        } else if (roll < 0.5) {
          const contactId = `${id}-c${step}`;
          await put(
            s,
            'ServiceContactRecorded',
            contactData(id, contactId, officer.personId, date(), r.pick(['phone', 'on_site', 'meeting'])),
            officer,
            at(date()),
          );
          if (r.chance(0.4)) {
            const problemId = `${id}-p${step}`;
            await put(
              `problem-${problemId}`,
              'ProblemSolicited',
              {
                problemId,
                unitId: 'jiaoxi',
                source: 'enterprise',
                grade: 'small',
                title: '企业需求',
                solicitedAt: at(date()),
                raiser: { kind: 'enterprise', enterpriseName: `企业${e}`, enterpriseId: id },
                origin: { kind: 'enterprise_service', enterpriseId: id, contactId },
              },
              office,
              at(date()),
            );
            if (r.chance(0.5))
              await put(
                s,
                'ServiceNeedRaisedAsProblem',
                { enterpriseId: id, contactId, needId: null, problemId, officerId: officer.personId },
                officer,
                at(date()),
              );
            if (r.chance(0.5))
              await put(
                `problem-${problemId}`,
                'ProblemSolved',
                { problemId, summary: '已解决', evidence: [] },
                li,
                at(date()),
              );
          }
        } else if (roll < 0.75) {
          const next = officers.find((o) => o !== officer)!;
          await put(
            s,
            'ServiceOfficerReplaced',
            {
              enterpriseId: id,
              previousOfficerId: officer.personId,
              officer: officerOf(next, 'jiaoxi'),
              since: at(date()),
              reason: null,
            },
            office,
            at(date()),
          );
          officer = next;
        } else {
          await put(
            s,
            'ServiceEnded',
            { enterpriseId: id, officerId: officer.personId, until: at(date()), reason: '迁出' },
            office,
            at(date()),
          );
          active = false;
        }
      }
    }
    return (await store.readAll({ limit: 10_000 })).events;
  };

  it('property: a random history gives the same rows with every batch applied twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 7 }),
        async (seed, batchSize) => {
          await given(await randomServiceLog(seed), { batchSize }).then((_rm, rows) => {
            expect(rows.services!.length).toBeGreaterThan(0);
          });
        },
      ),
      { numRuns: 5 },
    );
  });

  it('property: one full replay gives the same rows as live processing in random batches with restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const events: readonly PositionedEvent[] = await randomServiceLog(seed);
        const replayed = await fresh();
        await projectEvents(replayed, events, { projections });
        const live = await fresh();
        const r = createRandom(seed);
        const store = getInMemoryEventStore();
        let fed = 0;
        while (fed < events.length) {
          const running = projections.map((projection) =>
            runProjection({ store, readModels: live, projection, batchSize: r.int(1, 10) }),
          );
          const chunk = r.int(1, Math.max(1, events.length / 3));
          for (const e of events.slice(fed, fed + chunk))
            await store.append(e.streamId, [e], { expectedRevision: 'any' });
          fed = Math.min(events.length, fed + chunk);
          if (r.chance(0.5)) await Promise.all(running.map((p) => p.caughtUp));
          await Promise.all(running.map((p) => p.stop()));
        }
        const finishing = projections.map((projection) =>
          runProjection({ store, readModels: live, projection, batchSize: 25 }),
        );
        await Promise.all(finishing.map((p) => p.caughtUp));
        await Promise.all(finishing.map((p) => p.stop()));
        const mine = events.filter((e) => enterpriseServiceProjection.categories.includes(core.categoryOf(e.streamId)));
        expect((await liveBuild(live, 'service'))!.position).toBe(mine[mine.length - 1]!.globalPosition);
        expect(await dumpTables(live, projections)).toEqual(await dumpTables(replayed, projections));
      }),
      { numRuns: 4 },
    );
  });
});
