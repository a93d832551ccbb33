import { getInMemoryEventStore } from '@banshishi/core';
import { type DemoHistory, demoHistory } from '@banshishi/testkit';
import { postgresReadModels, type TestReadModels } from '@banshishi/testkit/read-models';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projections } from '../projections/index.js';
import { liveBuild } from './builds.js';
import { catchUpTogether } from './catch-up.js';
import {
  checkReadModels,
  type ProjectionCheck,
  type ReadModelCheckReport,
  type RowDifference,
  readModelCheckLines,
} from './check.js';
import type { AnyProjection } from './projection.js';

type Row = Record<string, unknown>;

const where = (key: Row) =>
  sql.join(
    Object.entries(key).map(([k, v]) => sql`${sql.ref(k)} = ${v}`),
    sql` and `,
  );

/** Hand edits to a live build's table, as someone with write access to the database could make them. */
const tamperer = (db: Kysely<unknown>, schema: string, table: string) => {
  const t = sql.id(schema, table);
  return {
    rows: async (orderBy: string, limit: number) =>
      (await sql<Row>`select * from ${t} order by ${sql.ref(orderBy)} limit ${limit}`.execute(db)).rows,
    edit: async (key: Row, set: Row) => {
      const assignments = sql.join(Object.entries(set).map(([k, v]) => sql`${sql.ref(k)} = ${v}`));
      const { numAffectedRows } = await sql`update ${t} set ${assignments} where ${where(key)}`.execute(db);
      expect(Number(numAffectedRows)).toBe(1);
    },
    remove: async (key: Row) => {
      const { numAffectedRows } = await sql`delete from ${t} where ${where(key)}`.execute(db);
      expect(Number(numAffectedRows)).toBe(1);
    },
    /** A copy of an existing row under a new key. */
    forge: async (from: Row, changes: Row) => {
      await sql`
        insert into ${t}
        select * from jsonb_populate_record(null::${t},
          (select to_jsonb(r) || ${JSON.stringify(changes)}::jsonb from ${t} r where ${where(from)}))`.execute(db);
    },
  };
};

const sorted = (ds: readonly RowDifference[]) =>
  [...ds].sort((a, b) => JSON.stringify([a.table, a.key]).localeCompare(JSON.stringify([b.table, b.key])));

const compared = (report: ReadModelCheckReport, name: string): Extract<ProjectionCheck, { status: 'compared' }> => {
  const p = report.projections.find((x) => x.projection === name);
  if (p?.status !== 'compared') throw new Error(`${name} was not compared: ${JSON.stringify(p)}`);
  return p;
};

const allDifferences = (report: ReadModelCheckReport) =>
  report.projections.flatMap((p) => (p.status === 'compared' ? p.tables.flatMap((t) => t.differences) : []));

const scratchSchemas = async (rm: TestReadModels) =>
  (
    await sql<{ nspname: string }>`
      select nspname from pg_namespace where nspname like ${`${rm.schema}\\_%\\_check\\_%`}`.execute(rm.db)
  ).rows;

describe('verify-read-models on the real PostgreSQL', () => {
  let history: DemoHistory;
  let rm: TestReadModels | undefined;
  beforeAll(async () => {
    history = await demoHistory(20_261_202, 1500);
  });
  afterEach(async () => {
    await rm?.dispose();
    rm = undefined;
  });

  const projected = async (list: readonly AnyProjection[]) => {
    const opened = await postgresReadModels('rmcheck');
    rm = opened;
    await catchUpTogether({ store: history.store, readModels: opened, projections: list });
    const db = opened.db as unknown as Kysely<unknown>;
    const tables = async (name: string, table: string) =>
      tamperer(db, (await liveBuild(opened, name))!.schemaName, table);
    return { rm: opened, tables };
  };

  it('untouched read models match the log, every table compared with its row count, and no scratch schema stays', async () => {
    const { rm } = await projected(Object.values(projections));
    const progress: string[] = [];
    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: Object.values(projections),
      onProgress: (p) => progress.push(p.projection),
    });
    expect(report.differences).toBe(0);
    for (const p of Object.values(projections)) {
      const check = compared(report, p.name);
      const live = (await liveBuild(rm, p.name))!;
      expect(check).toMatchObject({ build: live.build, version: live.version, position: live.position });
      expect(check.tables.map((t) => t.table)).toEqual(Object.keys(p.tables));
      for (const t of check.tables) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.id(rm.schema, t.table)}`.execute(rm.db);
        expect(t).toMatchObject({ liveRows: rows[0]!.n, rebuiltRows: rows[0]!.n, differenceCount: 0 });
      }
      expect(progress).toContain(p.name);
    }
    expect(compared(report, 'disclosure').tables.find((t) => t.table === 'public_problems')!.liveRows).toBeGreaterThan(
      10,
    );
    expect(readModelCheckLines(report).at(-1)).toBe('the read models say what the log says');
    expect(await scratchSchemas(rm)).toEqual([]);
  });

  it('directory: a renamed unit, a deleted unit and a forged unit are named, and nothing else', async () => {
    const { rm, tables } = await projected([projections.directory]);
    const units = await tables('directory', 'units');
    const [a, b, c] = await units.rows('unit_id', 3);
    await units.edit({ unit_id: a!.unit_id }, { name: '篡改的单位' });
    await units.remove({ unit_id: b!.unit_id });
    await units.forge({ unit_id: c!.unit_id }, { unit_id: 'unit-forged' });
    const people = await tables('directory', 'people');
    const [person] = await people.rows('person_id', 1);
    await people.edit({ person_id: person!.person_id }, { public_name: '张三丰' });

    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: [projections.directory],
    });
    expect(sorted(allDifferences(report))).toEqual(
      sorted([
        {
          table: 'units',
          key: { unit_id: a!.unit_id },
          kind: 'changed',
          columns: [{ column: 'name', live: '篡改的单位', rebuilt: a!.name }],
        },
        { table: 'units', key: { unit_id: b!.unit_id }, kind: 'missing', columns: [] },
        { table: 'units', key: { unit_id: 'unit-forged' }, kind: 'extra', columns: [] },
        {
          table: 'people',
          key: { person_id: person!.person_id },
          kind: 'changed',
          columns: [{ column: 'public_name', withheld: true }],
        },
      ]),
    );
    expect(report.differences).toBe(4);
    const text = readModelCheckLines(report).join('\n');
    expect(text).toContain(`changed  people  person_id=${person!.person_id}  public_name differs`);
    // A name, real or forged, never reaches the output.
    expect(text).not.toContain('张三丰');
    if (typeof person!.public_name === 'string') expect(text).not.toContain(person!.public_name);
  });

  it('disclosure: an edited problem, a deleted one and a forged one are named; free text shows only as differing', async () => {
    const { rm, tables } = await projected([projections.disclosure]);
    const problems = await tables('disclosure', 'public_problems');
    const [a, b, c] = await problems.rows('problem_id', 3);
    const forgedStatus = a!.status === 'closed' ? 'claimed' : 'closed';
    await problems.edit({ problem_id: a!.problem_id }, { status: forgedStatus, title: '电话 13800001111' });
    await problems.remove({ problem_id: b!.problem_id });
    await problems.forge({ problem_id: c!.problem_id }, { problem_id: 'problem-forged' });
    const timeline = await tables('disclosure', 'public_timeline');
    const [event] = await timeline.rows('global_position', 1);
    await timeline.remove({ stream_id: event!.stream_id, revision: event!.revision });

    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: [projections.disclosure],
    });
    expect(sorted(allDifferences(report))).toEqual(
      sorted([
        {
          table: 'public_problems',
          key: { problem_id: a!.problem_id },
          kind: 'changed',
          columns: [
            { column: 'status', live: forgedStatus, rebuilt: a!.status },
            { column: 'title', withheld: true },
          ],
        },
        { table: 'public_problems', key: { problem_id: b!.problem_id }, kind: 'missing', columns: [] },
        { table: 'public_problems', key: { problem_id: 'problem-forged' }, kind: 'extra', columns: [] },
        {
          table: 'public_timeline',
          key: { stream_id: event!.stream_id, revision: event!.revision },
          kind: 'missing',
          columns: [],
        },
      ]),
    );
    const text = readModelCheckLines(report).join('\n');
    expect(text).not.toContain('13800001111');
    expect(text).not.toContain(String(a!.title));
    const problemsTable = compared(report, 'disclosure').tables.find((t) => t.table === 'public_problems')!;
    expect(problemsTable.liveRows).toBe(problemsTable.rebuiltRows);
    expect(text).toContain(`changed  public_problems  problem_id=${a!.problem_id}  status: live ${forgedStatus}`);
  });

  it('evaluation: an edited rating, a deleted one and a forged one are named, and nothing else', async () => {
    const { rm, tables } = await projected([projections.evaluation]);
    const ratings = await tables('evaluation', 'problem_ratings');
    const [a, b, c] = await ratings.rows('problem_id', 3);
    expect(c).toBeDefined();
    const forgedVerdict = a!.verdict === 'satisfied' ? 'unsatisfied' : 'satisfied';
    await ratings.edit({ problem_id: a!.problem_id, revision: a!.revision }, { verdict: forgedVerdict });
    await ratings.remove({ problem_id: b!.problem_id, revision: b!.revision });
    await ratings.forge({ problem_id: c!.problem_id, revision: c!.revision }, { revision: 9999 });

    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: [projections.evaluation],
    });
    expect(sorted(allDifferences(report))).toEqual(
      sorted([
        {
          table: 'problem_ratings',
          key: { problem_id: a!.problem_id, revision: a!.revision },
          kind: 'changed',
          columns: [{ column: 'verdict', live: forgedVerdict, rebuilt: a!.verdict }],
        },
        {
          table: 'problem_ratings',
          key: { problem_id: b!.problem_id, revision: b!.revision },
          kind: 'missing',
          columns: [],
        },
        { table: 'problem_ratings', key: { problem_id: c!.problem_id, revision: 9999 }, kind: 'extra', columns: [] },
      ]),
    );
    expect(report.differences).toBe(3);
  });

  it('raisers: a changed, a deleted and a forged raiser are named by item; the raiser ids never show', async () => {
    const { rm, tables } = await projected([projections.raisers]);
    const raisers = await tables('raisers', 'item_raisers');
    const [a, b, c] = await raisers.rows('item_id', 3);
    await raisers.edit({ item_kind: a!.item_kind, item_id: a!.item_id }, { raiser_id: 'person-tampered' });
    await raisers.remove({ item_kind: b!.item_kind, item_id: b!.item_id });
    await raisers.forge({ item_kind: c!.item_kind, item_id: c!.item_id }, { item_id: 'item-forged' });

    const report = await checkReadModels({ store: history.store, readModels: rm, projections: [projections.raisers] });
    expect(sorted(allDifferences(report))).toEqual(
      sorted([
        {
          table: 'item_raisers',
          key: { item_kind: a!.item_kind, item_id: a!.item_id },
          kind: 'changed',
          columns: [{ column: 'raiser_id', withheld: true }],
        },
        { table: 'item_raisers', key: { item_kind: b!.item_kind, item_id: b!.item_id }, kind: 'missing', columns: [] },
        { table: 'item_raisers', key: { item_kind: c!.item_kind, item_id: 'item-forged' }, kind: 'extra', columns: [] },
      ]),
    );
    const text = readModelCheckLines(report).join('\n');
    for (const row of [a, b, c]) expect(text).not.toContain(String(row!.raiser_id));
    expect(text).not.toContain('person-tampered');
    expect(JSON.stringify(report)).not.toContain(String(a!.raiser_id));
  });

  it('visits: a changed count, a deleted visit and a forged on-site problem are named, values shown', async () => {
    const { rm, tables } = await projected([projections.visits]);
    const counts = await tables('visits', 'visit_counts');
    const records = await tables('visits', 'visit_records');
    const problems = await tables('visits', 'visit_problems');
    const [count] = await counts.rows('unit_id', 1);
    const [record] = await records.rows('visit_id', 1);
    const [problem] = await problems.rows('problem_id', 1);
    const countKey = { unit_id: count!.unit_id, month: count!.month, kind: count!.kind, topic: count!.topic };
    await counts.edit(countKey, { visits: 999 });
    await records.remove({ visit_id: record!.visit_id });
    await problems.forge({ problem_id: problem!.problem_id }, { problem_id: 'problem-forged', on_site: true });

    const report = await checkReadModels({ store: history.store, readModels: rm, projections: [projections.visits] });
    expect(sorted(allDifferences(report))).toEqual(
      sorted([
        {
          table: 'visit_counts',
          key: countKey,
          kind: 'changed',
          columns: [{ column: 'visits', live: 999, rebuilt: count!.visits }],
        },
        { table: 'visit_records', key: { visit_id: record!.visit_id }, kind: 'missing', columns: [] },
        { table: 'visit_problems', key: { problem_id: 'problem-forged' }, kind: 'extra', columns: [] },
      ]),
    );
  });

  it('events appended after the live build’s position make no difference: the rebuild stops where live stopped', async () => {
    const store = getInMemoryEventStore();
    const half = Math.floor(history.events.length / 2);
    for (const e of history.events.slice(0, half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    rm = await postgresReadModels('rmcheck');
    const all = Object.values(projections);
    await catchUpTogether({ store, readModels: rm, projections: all });
    for (const e of history.events.slice(half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });

    const report = await checkReadModels({ store, readModels: rm, projections: all, batchSize: 97 });
    expect(report.differences).toBe(0);
    for (const p of all) {
      const live = (await liveBuild(rm, p.name))!;
      expect(compared(report, p.name).position).toBe(live.position);
      expect(live.position).toBeLessThan(history.events.at(-1)!.globalPosition);
    }
  });

  it('a live build that moves on during the check is compared where it stands then, not where it stood', async () => {
    const store = getInMemoryEventStore();
    const half = Math.floor(history.events.length / 2);
    for (const e of history.events.slice(0, half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    rm = await postgresReadModels('rmcheck');
    const live = rm;
    await catchUpTogether({ store, readModels: live, projections: [projections.disclosure] });
    const before = (await liveBuild(live, 'disclosure'))!.position;
    for (const e of history.events.slice(half)) await store.append(e.streamId, [e], { expectedRevision: 'any' });
    let moved = false;
    // The live projector applies the rest of the log while the check is reading the first half.
    const racing = {
      ...store,
      readAll: async (options: Parameters<typeof store.readAll>[0]) => {
        if (!moved) {
          moved = true;
          await catchUpTogether({ store, readModels: live, projections: [projections.disclosure] });
        }
        return store.readAll(options);
      },
    };
    const report = await checkReadModels({ store: racing, readModels: live, projections: [projections.disclosure] });
    const after = (await liveBuild(live, 'disclosure'))!.position;
    expect(after).toBeGreaterThan(before);
    expect(compared(report, 'disclosure').position).toBe(after);
    expect(report.differences).toBe(0);
  });

  it('a live table altered in shape is reported, and a check that fails leaves no scratch schema behind', async () => {
    const { rm } = await projected([projections.evaluation]);
    const live = (await liveBuild(rm, 'evaluation'))!;
    await sql`alter table ${sql.id(live.schemaName, 'campaigns')} add column note text`.execute(rm.db);
    await sql`drop table ${sql.id(live.schemaName, 'claims')} cascade`.execute(rm.db);
    const report = await checkReadModels({
      store: history.store,
      readModels: rm,
      projections: [projections.evaluation],
    });
    const tables = compared(report, 'evaluation').tables;
    expect(tables.find((t) => t.table === 'campaigns')).toMatchObject({
      columnsOnlyLive: ['note'],
      differenceCount: 0,
    });
    expect(tables.find((t) => t.table === 'claims')).toMatchObject({ liveRows: null });
    expect(report.differences).toBe(2);
    expect(readModelCheckLines(report)).toContain('  the live build has no table claims');

    let reads = 0;
    const failing = {
      ...history.store,
      readAll: async (options: Parameters<typeof history.store.readAll>[0]) => {
        if (++reads > 1) throw new Error('the store went away');
        return history.store.readAll(options);
      },
    };
    await expect(
      checkReadModels({ store: failing, readModels: rm, projections: [projections.evaluation], batchSize: 10 }),
    ).rejects.toThrow('the store went away');
    expect(await scratchSchemas(rm)).toEqual([]);
  });
});
