// The OpenAPI document against the router that serves it: every route the app registers is documented,
// every documented operation is served (it answers with one of its documented statuses, never "no such
// resource"), and every example in the document is accepted by the codec its route decodes with.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from './http/app.js';
import { commandRoutes } from './routes/command-routes.js';
import { readRoutes } from './routes/read-routes.js';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';

interface Operation {
  readonly operationId: string;
  readonly responses: Record<string, unknown>;
  readonly requestBody?: { content: Record<string, { example?: unknown }> };
  readonly parameters?: readonly { readonly name?: string; readonly in?: string; readonly $ref?: string }[];
}
type Document = { paths: Record<string, Record<string, Operation>> };

let api: ApiFixture;
let document: Document;

beforeAll(async () => {
  api = await startApiFixture({ readModels: false });
  const answer = await fetch(`${api.url}/openapi.json`);
  expect(answer.status).toBe(200);
  document = (await answer.json()) as Document;
});
afterAll(() => api?.close());

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

const documented = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    methods.filter((m) => item[m] !== undefined).map((m) => ({ path, method: m, operation: item[m]! })),
  );

/** `/api/v1/problems/:problemId/claim` and `/api/v1/problems/{problemId}/claim` read alike. */
const normalise = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The routes the express app registered, as `METHOD /path`, from its router's own table. */
const registered = () => {
  const app = createApiApp({
    store: api.store,
    keys: api.keys,
    readModels: api.readModels,
    freshness: async () => ({ dataAsOf: null, lagEvents: null, lagSeconds: null }),
    verifyToken: async () => ({ _tag: 'Left', left: { reason: 'missing', message: 'no token' } }),
    integrations: {},
    logger: pino({ level: 'silent' }),
    limits: { bodyBytes: 1024, perAddressPerMinute: 10, perTokenPerMinute: 10 },
  });
  const stack = (
    app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }
  ).router.stack;
  return stack
    .filter((layer) => layer.route !== undefined)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).flatMap((m) =>
        // Open311's one route serves both formats the document lists.
        layer.route!.path.endsWith('.:format')
          ? ['json', 'xml'].map((f) => `${m.toUpperCase()} ${layer.route!.path.replace(':format', f)}`)
          : [`${m.toUpperCase()} ${normalise(layer.route!.path)}`],
      ),
    );
};

describe('the OpenAPI document and the router', () => {
  it('documents every route the app serves, apart from the document, its docs page and the metrics', () => {
    const inDocument = new Set(documented().map((d) => `${d.method.toUpperCase()} ${d.path}`));
    const undocumented = registered().filter((r) => !inDocument.has(r));
    const meta = new Set(['GET /openapi.json', 'GET /api/docs', 'GET /api/docs/docs.css', 'GET /api/v1/metrics']);
    expect(undocumented.filter((r) => !meta.has(r))).toEqual([]);
    expect(registered().length).toBeGreaterThan(commandRoutes.length + readRoutes.length);
  });

  it('serves every documented operation: each answers with one of the statuses the document lists for it', async () => {
    const token = await api.token('office1');
    const wrong: string[] = [];
    for (const { path, method, operation } of documented()) {
      const url = `${api.url}${path.replace(/\{(\w+)\}/g, 'missing-id')}`;
      const isForm = operation.requestBody?.content['application/x-www-form-urlencoded'] !== undefined;
      const answer = await fetch(url, {
        method: method.toUpperCase(),
        headers: {
          authorization: `Bearer ${token}`,
          ...(method === 'post'
            ? { 'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json' }
            : {}),
        },
        ...(method === 'post' ? { body: isForm ? '' : '{}' } : {}),
      });
      const body = (await answer.text()).slice(0, 200);
      if (!(String(answer.status) in operation.responses) || body.includes('"rule":"api.not_found"'))
        wrong.push(`${method.toUpperCase()} ${path}: ${answer.status} ${body}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists every command and read route of the tables under its operation id', () => {
    const ids = new Set(documented().map((d) => d.operation.operationId));
    for (const route of [...commandRoutes, ...readRoutes]) expect(ids, route.operationId).toContain(route.operationId);
  });

  it("accepts every example in the document with its route's codec, path parameters filled in", () => {
    const byId = new Map([...commandRoutes, ...readRoutes].map((r) => [r.operationId, r]));
    let checked = 0;
    for (const { operation } of documented()) {
      const example = operation.requestBody?.content['application/json']?.example;
      const route = byId.get(operation.operationId);
      if (example === undefined || route === undefined) continue;
      const codec = 'codec' in route ? route.codec : route.body!;
      const withParams = { ...(example as object), ...Object.fromEntries(route.pathParams.map((p) => [p, 'EX-1'])) };
      const decoded = codec.decode(withParams);
      expect(decoded._tag, `${operation.operationId}: ${JSON.stringify(example)}`).toBe('Right');
      checked++;
    }
    expect(checked).toBe(commandRoutes.length + readRoutes.filter((r) => r.body !== undefined).length);
  });
});
