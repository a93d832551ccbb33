// The JSON Schema written for core's codecs, kind by kind, and the undeclared fields of a body found by
// walking the same codecs: by example, and for any extra key added anywhere in a route's example body.
import {
  ClaimProblemData,
  CollectWishData,
  FulfilWishData,
  isoDate,
  problemGrade,
  problemRaiser,
  ShowcaseWishData,
  SolicitProblemData,
  SolveProblemData,
  WishVerdict,
} from '@banshishi/core';
import fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { commandRoutes } from '../routes/command-routes.js';
import { jsonSchemaOf, personalDescription, schemaComponents, unknownFieldsOf } from './json-schema.js';

describe('jsonSchemaOf', () => {
  it('writes an exact intersection of required and optional properties as one closed object', () => {
    const codec = t.exact(t.intersection([t.type({ a: t.string, b: t.number }), t.partial({ c: t.boolean })]));
    expect(jsonSchemaOf(codec)).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' } },
      required: ['a', 'b'],
      additionalProperties: false,
    });
  });

  it('writes a keyof as a string enum, and a union of literals as an enum', () => {
    expect(jsonSchemaOf(problemGrade)).toEqual({ type: 'string', enum: ['minor', 'small', 'medium', 'major'] });
    expect(jsonSchemaOf(t.union([t.literal('a'), t.literal('b')]))).toEqual({ enum: ['a', 'b'] });
    expect(jsonSchemaOf(t.literal(3))).toEqual({ type: 'number', const: 3 });
  });

  it('writes a union of objects told apart by a constant as oneOf, and any other union as anyOf', () => {
    const schema = jsonSchemaOf(problemRaiser);
    expect(schema.oneOf).toHaveLength(2);
    expect(schema.oneOf![0]).toMatchObject({
      type: 'object',
      properties: { kind: { const: 'resident' } },
      required: ['kind'],
      additionalProperties: false,
    });
    expect(schema.oneOf![1]).toMatchObject({ required: ['kind', 'enterpriseName'], additionalProperties: false });
    expect(jsonSchemaOf(t.union([t.string, t.number]))).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(jsonSchemaOf(t.union([t.string, t.null]))).toEqual({ type: ['string', 'null'] });
  });

  it('writes arrays with their items, and a non-empty bounded list with its bounds', () => {
    expect(jsonSchemaOf(t.array(t.string))).toEqual({ type: 'array', items: { type: 'string' } });
    expect(jsonSchemaOf(FulfilWishData.type.props.evidence)).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string', maxLength: 500 },
    });
  });

  it('marks personal data with its kind and says it is stored encrypted', () => {
    const name = CollectWishData.type.types[0].props.wisher.type.types[0].props.name;
    expect(jsonSchemaOf(name)).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 50,
      pattern: '\\S',
      'x-personal-data': 'name',
      description: personalDescription('name'),
    });
    expect(personalDescription('name')).toMatch(/encrypted/);
  });

  it('writes a calendar date as format date, and non-blank text with its maximum length', () => {
    expect(jsonSchemaOf(isoDate)).toMatchObject({ type: 'string', format: 'date' });
    expect(jsonSchemaOf(ClaimProblemData).properties?.promisedBy).toMatchObject({ format: 'date' });
    expect(jsonSchemaOf(ShowcaseWishData).properties?.story).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 2000,
    });
  });

  it('omits path parameters and makes a server-made id optional, at the top only', () => {
    const schema = jsonSchemaOf(SolicitProblemData, { omit: ['unitId'], optional: ['problemId'] });
    expect(Object.keys(schema.properties!)).not.toContain('unitId');
    expect(schema.properties!.problemId).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(schema.required).toEqual(['source', 'grade', 'title']);
  });

  it('refers to named codecs through components, and writes the same name only once', () => {
    const components = schemaComponents();
    const schema = jsonSchemaOf(t.type({ verdict: WishVerdict, again: WishVerdict }), { components });
    expect(schema.properties).toEqual({
      verdict: { $ref: '#/components/schemas/WishVerdict' },
      again: { $ref: '#/components/schemas/WishVerdict' },
    });
    expect(components.schemas).toEqual({ WishVerdict: { type: 'string', enum: ['satisfied', 'unsatisfied'] } });
  });

  it('describes a codec of a kind it does not know as anything, without throwing', () => {
    const odd = new t.Type<string, string, unknown>('Odd', t.string.is, t.string.validate, t.identity);
    expect(jsonSchemaOf(odd)).toEqual({ description: 'not described here: Odd' });
  });
});

describe('unknownFieldsOf', () => {
  const solve = { problemId: 'P-1', summary: '已修复', evidence: [{ kind: 'photo', uri: 'sha256:ab' }] };
  const solicit = {
    problemId: 'P-1',
    unitId: 'u',
    source: 'resident',
    grade: 'small',
    title: '路灯',
    raiser: { kind: 'resident', name: '张三' },
  };

  it('finds nothing in a body the codec declares throughout', () => {
    expect(unknownFieldsOf(SolveProblemData, solve)).toEqual([]);
    expect(unknownFieldsOf(SolicitProblemData, solicit)).toEqual([]);
  });

  it('names an undeclared top-level field', () => {
    expect(unknownFieldsOf(SolveProblemData, { ...solve, x: 1 })).toEqual(['body.x']);
  });

  it('names an undeclared field of the union member the value is', () => {
    expect(unknownFieldsOf(SolicitProblemData, { ...solicit, raiser: { kind: 'resident', x: 1 } })).toEqual([
      'body.raiser.x',
    ]);
    // An enterprise's name is declared for enterprises only.
    expect(
      unknownFieldsOf(SolicitProblemData, { ...solicit, raiser: { kind: 'resident', enterpriseName: 'ACME' } }),
    ).toEqual(['body.raiser.enterpriseName']);
  });

  it('names an undeclared field of an array element by its index', () => {
    const evidence = [
      { kind: 'photo', uri: 'a' },
      { kind: 'photo', uri: 'b', x: 1 },
    ];
    expect(unknownFieldsOf(SolveProblemData, { ...solve, evidence })).toEqual(['body.evidence.1.x']);
    expect(unknownFieldsOf(SolveProblemData, { ...solve, evidence: [{ kind: 'photo', uri: 'a', x: 1 }] })).toEqual([
      'body.evidence.0.x',
    ]);
  });

  /** Paths (as key lists) of every object in a JSON value, the value itself included. */
  const objectPaths = (value: unknown, path: readonly string[] = []): (readonly string[])[] => {
    if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, String(i)]));
    if (typeof value !== 'object' || value === null) return [];
    return [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
  };

  const withExtra = (value: unknown, path: readonly string[], key: string): unknown => {
    const copy = structuredClone(value) as Record<string, unknown>;
    let at: Record<string, unknown> = copy;
    for (const step of path) at = at[step] as Record<string, unknown>;
    at[key] = 'extra';
    return copy;
  };

  it('reports exactly the one extra key added at any object of any route example', () => {
    const cases = fc.constantFrom(...commandRoutes).chain((route) => {
      const body = { ...route.example, ...Object.fromEntries(route.pathParams.map((p) => [p, 'X-1'])) };
      return fc.record({
        route: fc.constant(route),
        body: fc.constant(body),
        at: fc.constantFrom(...objectPaths(body)),
        key: fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,11}$/).map((k) => `zz${k}`),
      });
    });
    fc.assert(
      fc.property(cases, ({ route, body, at, key }) => {
        expect(unknownFieldsOf(route.codec, body)).toEqual([]);
        expect(unknownFieldsOf(route.codec, withExtra(body, at, key))).toEqual([['body', ...at, key].join('.')]);
      }),
      { numRuns: 300 },
    );
  });
});
