// The OpenAPI document against the route tables: valid OpenAPI 3.1, every route in it and nothing else,
// every example one its codec accepts, both languages everywhere, personal fields marked.
import { Validator } from '@seriousme/openapi-schema-validator';
import * as E from 'fp-ts/lib/Either.js';
import type { OperationObject, PathItemObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { describe, expect, it } from 'vitest';
import { apiBase, commandRoutes } from '../routes/command-routes.js';
import { open311PostRoutes } from '../routes/open311-route.js';
import { readRoutes } from '../routes/read-routes.js';
import { openApiDocument, summaryEnKey } from './document.js';

const doc = openApiDocument({ serverUrl: 'https://api.example.test', version: '0.1.0' });
const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  methods.flatMap((method) => {
    const op = (item as PathItemObject)[method] as OperationObject | undefined;
    return op === undefined ? [] : [{ path, method, op }];
  }),
);

const tableRoutes = [
  ...commandRoutes.map((r) => ({ ...r, fullPath: `${apiBase}${r.path}`, codec: r.codec as unknown })),
  ...readRoutes.map((r) => ({ ...r, fullPath: `${apiBase}${r.path}`, codec: r.body as unknown })),
  ...open311PostRoutes.map((r) => ({ ...r, fullPath: r.path, pathParams: [] as readonly string[], codec: r.codec })),
];

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has every command route with its method and path under the API base', () => {
    for (const route of commandRoutes) {
      const found = operations.find((o) => o.op.operationId === route.operationId);
      expect(found, route.operationId).toBeDefined();
      expect(found!.method).toBe(route.method);
      expect(found!.path).toBe(`${apiBase}${route.path}`);
    }
  });

  it('has every read and Open311 route, and no operation that is not a route of the tables', () => {
    const documented = operations.map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort();
    const tables = tableRoutes.map((r) => `${r.method} ${r.fullPath} ${r.operationId}`).sort();
    expect(documented).toEqual(tables);
  });

  it('gives every example request body that its route accepts, once the path parameters are added', () => {
    let checked = 0;
    for (const { op } of operations) {
      const route = tableRoutes.find((r) => r.operationId === op.operationId)!;
      const content = (op.requestBody as { content?: Record<string, { example?: unknown }> } | undefined)?.content;
      for (const media of Object.values(content ?? {})) {
        if (media.example === undefined) continue;
        const withParams = {
          ...(media.example as object),
          ...Object.fromEntries(route.pathParams.map((p) => [p, 'X-1'])),
        };
        const decoded = (route.codec as { decode(u: unknown): E.Either<unknown, unknown> }).decode(withParams);
        expect(E.isRight(decoded), `${route.operationId}: ${JSON.stringify(media.example)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(commandRoutes.length + readRoutes.filter((r) => r.body).length + open311PostRoutes.length);
  });

  it('summarises every operation in Chinese and in English, and describes it in both', () => {
    for (const { op } of operations) {
      const route = tableRoutes.find((r) => r.operationId === op.operationId)!;
      expect(op.summary).toBe(route.summary.zh);
      expect(op[summaryEnKey]).toBe(route.summary.en);
      expect(op.description).toContain(route.summary.zh);
      expect(op.description).toContain(route.summary.en);
    }
  });

  it('marks the personal fields of request bodies with x-personal-data', () => {
    const body = (id: string) =>
      (
        operations.find((o) => o.op.operationId === id)!.op.requestBody as {
          content: Record<string, { schema: SchemaObject }>;
        }
      ).content;
    const solicit = body('solicitProblem')['application/json']!.schema;
    expect((solicit.properties?.description as SchemaObject)['x-personal-data']).toBe('free_text_contact');
    const wish = body('collectWish')['application/json']!.schema;
    const wisherRef = (wish.properties?.wisher as { $ref: string }).$ref;
    const wisher = doc.components?.schemas?.[wisherRef.split('/').pop() ?? ''] as SchemaObject;
    expect((wisher.properties!.name as SchemaObject)['x-personal-data']).toBe('name');
    expect((wisher.properties!.phone as SchemaObject)['x-personal-data']).toBe('phone');
    const form = body('open311PostRequestJson')['application/x-www-form-urlencoded']!.schema;
    expect((form.properties!.phone as SchemaObject)['x-personal-data']).toBe('phone');
    expect((form.properties!.lat as SchemaObject)['x-personal-data']).toBe('location');
    expect((form.properties!.email as SchemaObject)['x-personal-data']).toBe('email');
    expect((form.properties!.service_code as SchemaObject)['x-personal-data']).toBeUndefined();
  });

  it('leaves path parameters out of the body and lets a creating route leave its id to the server', () => {
    const op = (id: string) => operations.find((o) => o.op.operationId === id)!.op;
    const claim = (op('claimProblem').requestBody as { content: Record<string, { schema: SchemaObject }> }).content[
      'application/json'
    ]!.schema;
    expect(Object.keys(claim.properties!)).not.toContain('problemId');
    expect(claim.required).toEqual(['plan', 'promisedBy']);
    const solicit = (op('solicitProblem').requestBody as { content: Record<string, { schema: SchemaObject }> }).content[
      'application/json'
    ]!.schema;
    expect(Object.keys(solicit.properties!)).toContain('problemId');
    expect(solicit.required).not.toContain('problemId');
    expect(Object.keys(op('solicitProblem').responses ?? {})).toContain('201');
    expect(Object.keys(op('claimProblem').responses ?? {})).toContain('200');
  });

  it('requires a bearer token everywhere but the health check and the Open311 intake', () => {
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const open = operations.filter((o) => o.op.security !== undefined && o.op.security.length === 0);
    expect(open.map((o) => o.op.operationId).sort()).toEqual(
      ['health', ...open311PostRoutes.map((r) => r.operationId)].sort(),
    );
  });

  it('answers every command error as problem details, 400 to 429, and 503 when the store or read models are away', () => {
    for (const route of commandRoutes) {
      const op = operations.find((o) => o.op.operationId === route.operationId)!.op;
      expect(Object.keys(op.responses ?? {})).toEqual(
        expect.arrayContaining(['400', '401', '403', '404', '409', '412', '422', '429', '503']),
      );
    }
    const forbidden = doc.components?.responses?.Forbidden as ResponseObject;
    expect(Object.keys(forbidden.content!)).toEqual(['application/problem+json']);
  });

  it('offers a conditional GET (If-None-Match, 304) on the reads that carry an ETag', () => {
    for (const route of readRoutes) {
      const op = operations.find((o) => o.op.operationId === route.operationId)!.op;
      expect('304' in (op.responses ?? {}), route.operationId).toBe(route.etag);
    }
  });
});
