// Problems and wishes brought to a step of their lifecycle over HTTP, as client apps would, for the specs
// that exercise docs/domain.md's rules through the API; and the checks every accepted command and every
// refusal share. Each setup step asserts it was accepted, so a broken setup names its step, not the rule.
import { expect } from 'vitest';
import type { ApiFixture, ApiResponse } from './api-fixture.js';

type Json = Record<string, unknown>;

export interface ProblemDetails {
  readonly type: string;
  readonly status: number;
  readonly code: string;
  readonly rule: string;
  readonly fields?: readonly { readonly path: string; readonly message: string }[];
}

/** A calendar day (UTC, as the server's clock writes "now") `days` from today. */
export const dayFromToday = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * An accepted command: its status, the ETag of the revision it reached, and the types of the events it
 * stored, in order. Gives the answer's body.
 */
export const expectAccepted = (answer: ApiResponse, eventTypes: readonly string[], status = 200): Json => {
  const body = answer.body as Json & { events?: { type: string }[]; revision?: number };
  expect({ status: answer.status, rule: (body as { rule?: unknown }).rule }).toEqual({ status, rule: undefined });
  expect(answer.headers.get('etag')).toBe(`"${body.revision}"`);
  expect(body.events?.map((e) => e.type)).toEqual(eventTypes);
  return body;
};

/** A refusal: status, problem details of the rule as application/problem+json, and the fields it names. */
export const expectRefused = (
  answer: ApiResponse,
  expected: {
    readonly status: number;
    readonly code: string;
    readonly rule: string;
    readonly fields?: readonly string[];
  },
): ProblemDetails => {
  const body = answer.body as ProblemDetails;
  expect({ status: answer.status, rule: body.rule }).toEqual({ status: expected.status, rule: expected.rule });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body).toMatchObject({
    type: `urn:banshishi:rule:${expected.rule}`,
    status: expected.status,
    code: expected.code,
    rule: expected.rule,
  });
  if (expected.fields !== undefined) expect(body.fields?.map((f) => f.path)).toEqual(expected.fields);
  return body;
};

export type ItemKind = 'problem' | 'wish';
const collection: Readonly<Record<ItemKind, string>> = { problem: 'problems', wish: 'wishes' };

/** An item as the office of d1 reads it: its revision (also its ETag) and status. */
export const readItem = async (api: ApiFixture, kind: ItemKind, id: string) => {
  const answer = await api.request('office1', 'GET', `/${collection[kind]}/${id}`);
  expect(answer.status).toBe(200);
  const body = answer.body as { revision: number; status: string; state: Json };
  expect(answer.headers.get('etag')).toBe(`"${body.revision}"`);
  return body;
};

/** The item is still at `revision`, or was never stored when `revision` is null. */
export const expectUnmoved = async (api: ApiFixture, kind: ItemKind, id: string, revision: number | null) => {
  if (revision === null) {
    expect((await api.request('office1', 'GET', `/${collection[kind]}/${id}`)).status).toBe(404);
    return;
  }
  expect((await readItem(api, kind, id)).revision).toBe(revision);
};

export const promisedBy = () => dayFromToday(7);

/** A body's defaults, overridden field by field. */
const withDefaults = (defaults: Json, overrides: Json): Json => ({ ...defaults, ...overrides });

export const residentProblem = (problemId: string, overrides: Json = {}): Json =>
  withDefaults(
    {
      problemId,
      unitId: 'd1-s1-c1',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      description: '3号楼二单元楼道灯坏了一周',
      raiser: { kind: 'resident', personId: 'res1' },
    },
    overrides,
  );

export const solution = { summary: '已更换灯泡', evidence: [{ kind: 'photo', uri: 'sha256:aa11' }] };

/** The problem steps a spec needs, each asserted accepted. */
export const problemSteps = (api: ApiFixture) => {
  const command = async (as: string, id: string, step: string, body: Json, events: readonly string[]) =>
    expectAccepted(await api.request(as, 'POST', `/problems/${id}/${step}`, { body }), events);
  return {
    /** 征题 by res1 in d1-s1-c1, unless the body says otherwise. */
    solicit: async (id: string, overrides: Json = {}, as = 'res1') =>
      expectAccepted(
        await api.request(as, 'POST', '/problems', { body: residentProblem(id, overrides) }),
        ['ProblemSolicited'],
        201,
      ),
    assign: (id: string, toUnitId: string, as = 'office1') =>
      command(as, id, 'assign', { toUnitId }, ['ProblemAssigned']),
    claim: (id: string, as = 'sec-c1') =>
      command(as, id, 'claim', { plan: '联系物业更换灯泡', promisedBy: promisedBy() }, ['ProblemClaimed']),
    solve: (id: string, as = 'sec-c1') => command(as, id, 'solve', solution, ['ProblemSolved']),
    reject: (id: string, as = 'office1') =>
      command(as, id, 'reject', { ground: 'out_of_scope', reason: '不属于办理范围' }, ['ProblemRejected']),
    evaluate: (id: string, verdict: string, events: readonly string[], as = 'res1') =>
      command(as, id, 'evaluate', { kind: 'resident', verdict }, events),
  };
};

/** A fresh party member of `districtId`, registered and enrolled by that district's office over HTTP. */
export const enrolMember = async (api: ApiFixture, personId: string, districtId = 'd1') => {
  const office = districtId === 'd1' ? 'office1' : 'office2';
  expectAccepted(
    await api.request(office, 'POST', '/people', { body: { personId, kind: 'official', name: '党员' } }),
    ['PersonRegistered'],
    201,
  );
  expectAccepted(
    await api.request(office, 'POST', `/people/${personId}/roles`, { body: { role: 'member', unitId: districtId } }),
    ['RoleGranted'],
  );
};

export const residentWish = (wishId: string, overrides: Json = {}): Json =>
  withDefaults(
    {
      wishId,
      unitId: 'd1-s1-c1',
      category: 'study',
      description: '希望有人辅导孩子的数学作业',
      consent: 'anonymous',
      wisher: { name: '李秀英', phone: '13800000001', address: '扬州路8号' },
    },
    overrides,
  );

export const fulfilment = { summary: '每周六辅导数学一小时', evidence: ['sha256:bb22'] };

/** The wish steps a spec needs, each asserted accepted. */
export const wishSteps = (api: ApiFixture) => {
  const command = async (as: string, id: string, step: string, body: Json, events: readonly string[]) =>
    expectAccepted(await api.request(as, 'POST', `/wishes/${id}/${step}`, { body }), events);
  return {
    /** 寻梦 by res1 for themself in d1-s1-c1, unless the body says otherwise. */
    collect: async (id: string, overrides: Json = {}, as = 'res1') =>
      expectAccepted(
        await api.request(as, 'POST', '/wishes', { body: residentWish(id, overrides) }),
        ['WishCollected'],
        201,
      ),
    claim: (id: string, member: string) => command(member, id, 'claim', {}, ['WishClaimed']),
    release: (id: string, member: string) => command(member, id, 'release', { reason: '工作调动' }, ['WishReleased']),
    fulfil: (id: string, member: string) => command(member, id, 'fulfil', fulfilment, ['WishFulfilled']),
    confirm: (id: string, as = 'res1') => command(as, id, 'confirm', { verdict: 'satisfied' }, ['WishConfirmed']),
    showcase: (id: string, as = 'office1') =>
      command(as, id, 'showcase', { story: '一名党员每周为孩子辅导数学' }, ['WishShowcased']),
    cancel: (id: string, grounds: 'withdrawn' | 'invalid', as: string) =>
      command(as, id, 'cancel', { grounds, reason: '家中已自行解决' }, ['WishCancelled']),
  };
};
