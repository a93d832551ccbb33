// The office's commands on PGlite over a small demo history, loaded sealed: who a person's data subject is
// and where their data lies, revealing an item for a stated purpose, forgetting on a legal ground, and
// the refusals, each naming its field or rule.
import {
  type Actor,
  createCorePersonalDataSealer,
  type PersonalDataSealer,
  personalDataMarkers,
  recordPersonalDataAccess,
  type StoredEvent,
} from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPGliteEventStore, getPGliteSubjectKeyStore, pgliteExecutor } from '@banshishi/store-postgres';
import { PGlite } from '@electric-sql/pglite';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetting, listSubjects, type OfficeDeps, revealing } from './office.js';

let pglite: PGlite;
let deps: OfficeDeps & { close(): Promise<void> };
let office: Actor;
let raised: StoredEvent;

beforeAll(async () => {
  pglite = await PGlite.create();
  const store = await getPGliteEventStore({ pglite });
  const keys = await getPGliteSubjectKeyStore({ pglite });
  const sealer: PersonalDataSealer = createCorePersonalDataSealer({
    keys,
    onReveal: recordPersonalDataAccess({ store, sealer: () => sealer }),
  });
  await bulkLoadDemo(generateDemoEvents({ seed: 7, scale: 600 }), {
    executor: pgliteExecutor(pglite),
    personalData: sealer,
  });
  const { events } = await store.readAll({ limit: 100_000 });
  const grant = events.find((e) => e.type === 'RoleGranted' && (e.data as { role: string }).role === 'office')!;
  const { personId, unitId } = grant.data as { personId: string; unitId: string };
  office = { personId, role: 'office', unitId };
  raised = events.find(
    (e) =>
      e.type === 'ProblemSolicited' &&
      typeof (e.data as { raiser?: { personId?: string } }).raiser?.personId === 'string',
  )!;
  const latest = events.map((e) => Date.parse(e.occurredAt)).reduce((a, b) => Math.max(a, b));
  deps = {
    store,
    keys,
    sealer,
    clock: () => new Date(latest + 3_600_000),
    close: async () => {
      await store.close();
      await keys.close();
    },
  };
}, 60_000);
afterAll(async () => {
  await deps.close();
  await pglite.close();
});

const right = <A>(outcome: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(outcome)) throw new Error(outcome.left.message);
  return outcome.right;
};

describe('the office’s privacy commands', () => {
  it('lists a person’s data subject, where their data lies and that the key is held', async () => {
    const personId = (raised.data as { raiser: { personId: string } }).raiser.personId;
    const { json, lines } = right(await listSubjects(deps, { person: personId }));
    expect(json).toEqual([expect.objectContaining({ subject: `person:${personId}`, key: 'held' })]);
    expect((json as { streams: string[] }[])[0]!.streams).toEqual(
      expect.arrayContaining([raised.streamId, `person-${personId}`]),
    );
    expect(lines[0]).toContain(`person:${personId}  key held`);
  });

  it('reveals an item’s personal fields for a stated purpose, then reads them as forgotten once forgotten', async () => {
    const personId = (raised.data as { raiser: { personId: string } }).raiser.personId;
    const purpose = { purpose: 'contact_resident', statement: '回访: calling the resident back', actor: office };
    const before = right(await revealing(deps, { stream: raised.streamId, ...purpose }));
    const fields = before.json as { path: string; value: string }[];
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(['raiser.name']));
    expect(fields.every((f) => typeof f.value === 'string' && f.value !== personalDataMarkers.forgotten)).toBe(true);
    // The read is in the log: who, why, which events.
    const [access] = await deps.store.readStream(`access-person:${personId}`);
    expect(access).toMatchObject({
      type: 'PersonalDataRevealed',
      actor: office,
      data: { subject: `person:${personId}`, purpose: 'contact_resident' },
    });
    expect(before.lines.at(-1)).toBe(`recorded as PersonalDataRevealed in access-person:${personId}`);

    const done = right(
      await forgetting(deps, {
        subject: `person:${personId}`,
        basis: 'consent_withdrawn',
        reference: 'PIPL-2021-0031',
        actor: office,
      }),
    );
    expect(done.lines).toEqual([
      `forgotten: person:${personId} (consent_withdrawn, case PIPL-2021-0031)`,
      expect.stringMatching(
        new RegExp(`^recorded as SubjectForgotten \\S+ in forgotten-person:${personId}, by ${office.personId} at `),
      ),
      'key: destroyed',
    ]);
    const after = right(await revealing(deps, { stream: raised.streamId, ...purpose }));
    expect((after.json as { value: string }[]).every((f) => f.value === personalDataMarkers.forgotten)).toBe(true);
    const listed = right(await listSubjects(deps, { person: personId }));
    expect((listed.json as { key: string }[])[0]!.key).toMatch(/^destroyed /);
  });

  it('refuses a resident forgetting, a ground not in the law, and a reveal without a known purpose', async () => {
    const resident: Actor = { personId: 'someone', role: 'resident' };
    const byResident = await forgetting(deps, {
      subject: 'person:x',
      basis: 'purpose_achieved',
      reference: 'C-1',
      actor: resident,
    });
    expect(E.isLeft(byResident) && byResident.left.rule).toBe('forgetting.not_office');
    const noGround = await forgetting(deps, { subject: 'person:x', basis: 'because', reference: 'C-1', actor: office });
    expect(E.isLeft(noGround) && noGround.left.details).toEqual({ fields: ['basis'] });
    const badReference = await forgetting(deps, {
      subject: 'person:x',
      basis: 'purpose_achieved',
      reference: '张三的申请',
      actor: office,
    });
    expect(E.isLeft(badReference) && badReference.left.details).toEqual({ fields: ['reference'] });
    const noPurpose = await revealing(deps, {
      stream: raised.streamId,
      purpose: 'curiosity',
      statement: 'x',
      actor: office,
    });
    expect(E.isLeft(noPurpose) && noPurpose.left.details).toEqual({ fields: ['purpose'] });
  });
});
