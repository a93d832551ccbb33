// An outside client's walk through both lifecycles, knowing nothing but the OpenAPI document: it finds each
// operation by its id, builds the URL from the documented path, checks its own body against the documented
// request schema before sending, and checks every answer against the schema documented for its status.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';

type Schema = Record<string, unknown>;
interface Operation {
  readonly operationId: string;
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
  readonly responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  readonly servers: { url: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { responses?: Record<string, { content?: Record<string, { schema: Schema }> }> } & Schema;
}

let api: ApiFixture;
let doc: Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
  doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as Document;
});
afterAll(() => api?.close());

/** A schema of the document, with the document's components beside it so its `$ref`s resolve. */
const validator = (schema: Schema) => ajv.compile({ ...schema, components: doc.components });

const find = (operationId: string) => {
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(item))
      if (operation.operationId === operationId) return { path, method, operation };
  throw new Error(`the document has no operation ${operationId}`);
};

/** The documented answer for a status, following a `$ref` into components.responses. */
const documentedAnswer = (operation: Operation, status: number) => {
  const answer = operation.responses[String(status)];
  if (answer === undefined) return undefined;
  if (answer.$ref === undefined) return answer;
  return doc.components.responses?.[answer.$ref.split('/').pop()!];
};

const call = async (
  operationId: string,
  as: string,
  params: Record<string, string>,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) => {
  const { path, method, operation } = find(operationId);
  if (body !== undefined) {
    const schema = operation.requestBody?.content['application/json']?.schema;
    expect(schema, `${operationId} documents a JSON body`).toBeDefined();
    const validate = validator(schema!);
    expect(validate(body), `${operationId} body: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  const base = doc.servers[0]!.url.replace(/\/$/, '');
  const url = `${api.url}${base}${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!))}`;
  const answer = await fetch(url, {
    method: method.toUpperCase(),
    headers: {
      authorization: `Bearer ${await api.token(as)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const documented = documentedAnswer(operation, answer.status);
  expect(documented, `${operationId} answered ${answer.status}, which the document does not list`).toBeDefined();
  const type = answer.headers.get('content-type')?.split(';')[0] ?? '';
  const json = (await answer.json()) as Record<string, unknown>;
  const schema = documented!.content?.[type]?.schema;
  expect(schema, `${operationId} ${answer.status} documents ${type}`).toBeDefined();
  const validate = validator(schema!);
  expect(validate(json), `${operationId} ${answer.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return { status: answer.status, etag: answer.headers.get('etag'), json };
};

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe('a client that knows only the OpenAPI document', () => {
  it('carries a problem from 征题 to 评题: raised, claimed, worked on, solved and rated, then closed', async () => {
    const raised = await call(
      'solicitProblem',
      'res1',
      {},
      {
        unitId: 'd1-s1-c1',
        source: 'resident',
        grade: 'small',
        title: '扬州路小区3号楼路灯不亮',
        category: '基础设施',
        description: '路灯已坏一个月，晚上看不清台阶',
        raiser: { kind: 'resident', personId: 'res1' },
      },
      { 'idempotency-key': 'walk-raise-1' },
    );
    expect(raised.status).toBe(201);
    const problemId = (raised.json.state as { problemId: string }).problemId;
    const claimed = await call(
      'claimProblem',
      'sec-c1',
      { problemId },
      { plan: '联系供电所更换灯具', promisedBy: inAWeek() },
      { 'if-match': raised.etag! },
    );
    expect(claimed.status).toBe(200);
    expect((await call('noteProblemProgress', 'sec-c1', { problemId }, { note: '灯具已订购' })).status).toBe(200);
    const solved = await call(
      'solveProblem',
      'sec-c1',
      { problemId },
      {
        summary: '更换路灯两盏',
        evidence: [{ kind: 'photo', uri: 'sha256:0f343b0931126a20f133d67c2b018a3b5e3d1f3c2d1a0b9c8d7e6f5a4b3c2d1e' }],
      },
    );
    expect(solved.status).toBe(200);
    const refused = await call('evaluateProblem', 'res2', { problemId }, { kind: 'resident', verdict: 'satisfied' });
    expect(refused.status).toBe(403);
    expect(refused.json.rule).toBe('problem.evaluate.not_raiser');
    expect(
      (await call('evaluateProblem', 'res1', { problemId }, { kind: 'resident', verdict: 'satisfied' })).status,
    ).toBe(200);
    const read = await call('getProblem', 'office1', { problemId });
    // The satisfied 百姓评 is recorded, then the problem is closed (销号): two events.
    expect(read.json).toMatchObject({ status: 'closed', revision: 5 });
  });

  it('carries a wish from 寻梦 to 亮梦: collected, claimed in the district, fulfilled, confirmed and shown', async () => {
    const collected = await call(
      'collectWish',
      'res1',
      {},
      {
        wishId: 'walk-wish-1',
        unitId: 'd1-s1-c1',
        category: 'study',
        description: '希望有人每周辅导孩子数学',
        consent: 'named',
        wisher: { name: '李秀英' },
      },
    );
    expect(collected.status).toBe(201);
    const wishId = 'walk-wish-1';
    expect((await call('claimWish', 'member2', { wishId }, {})).status).toBe(403);
    expect((await call('claimWish', 'member1', { wishId }, {})).status).toBe(200);
    expect(
      (await call('fulfilWish', 'member1', { wishId }, { summary: '每周六辅导一小时', evidence: ['sha256:aa11'] }))
        .status,
    ).toBe(200);
    expect((await call('confirmWish', 'res1', { wishId }, { verdict: 'satisfied' })).status).toBe(200);
    expect(
      (await call('showcaseWish', 'office1', { wishId }, { story: '党员志愿者每周为孩子辅导数学，孩子成绩进步明显。' }))
        .status,
    ).toBe(200);
    expect((await call('getWish', 'member1', { wishId })).json).toMatchObject({ status: 'showcased' });
  });
});
