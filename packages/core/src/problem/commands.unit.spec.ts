// Command bodies decoded at the boundary: typed values for good input, a validation error listing the
// bad field paths for anything else — and never a throw, whatever arrives.
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeWith, type FieldProblem } from '../codec/decode.js';
import { personalFields } from '../codec/personal.js';
import { EvaluateProblemData, problemCommandCodecs, SolicitProblemData, SolveProblemData } from './commands.js';

const decode = <A, O>(codec: t.Type<A, O, unknown>) => decodeWith(codec, 'body');
const fieldsOf = (result: E.Either<{ details?: Readonly<Record<string, unknown>> }, unknown>): string[] =>
  E.isLeft(result) ? ((result.left.details?.fields ?? []) as FieldProblem[]).map((f) => f.path) : [];

describe('problem command codecs', () => {
  it('decode a complete body into a typed command', () => {
    expect(
      decode(EvaluateProblemData)({
        problemId: 'p-1',
        kind: 'resident',
        verdict: 'basically_satisfied',
        comment: '还行',
      }),
    ).toEqual(E.right({ problemId: 'p-1', kind: 'resident', verdict: 'basically_satisfied', comment: '还行' }));
  });

  it('name the bad field and what was expected', () => {
    const result = decode(EvaluateProblemData)({ problemId: 'p-1', kind: 'resident', verdict: 'meh' });
    expect(result).toMatchObject(
      E.left({
        code: 'validation',
        message: 'body.verdict: expected one of satisfied | basically_satisfied | unsatisfied, got "meh"',
      }),
    );
  });

  it('list every bad field, nested ones by their path', () => {
    const result = decode(SolveProblemData)({ problemId: '', summary: 3, evidence: [{ kind: 'photo' }] });
    expect(fieldsOf(result).sort()).toEqual(['body.evidence.0.uri', 'body.problemId', 'body.summary']);
  });

  it('refuse a promised date that is not a calendar date', () => {
    const result = decode(problemCommandCodecs.claimProblem)({ problemId: 'p-1', plan: 'x', promisedBy: '2025-02-30' });
    expect(fieldsOf(result)).toEqual(['body.promisedBy']);
  });

  it('refuse a problem id that cannot be part of a stream id', () => {
    expect(fieldsOf(decode(problemCommandCodecs.noteProblemProgress)({ problemId: 'a b', note: 'x' }))).toEqual([
      'body.problemId',
    ]);
  });

  it('drop fields the command does not know, so nothing unchecked reaches a stored event', () => {
    expect(
      decode(problemCommandCodecs.escalateProblem)({ problemId: 'p-1', reason: '需协调', claimantId: 'someone-else' }),
    ).toEqual(E.right({ problemId: 'p-1', reason: '需协调' }));
  });

  it('mark the raiser’s personal data in the solicit body', () => {
    expect(
      personalFields(SolicitProblemData)
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      [
        'description',
        'raiser.address',
        'raiser.contactName',
        'raiser.contactPhone',
        'raiser.email',
        'raiser.location',
        'raiser.name',
        'raiser.phone',
      ].sort(),
    );
  });
});

describe('decoding fuzz: any input gives a command or a validation error, never a throw', () => {
  const knownKeys = [
    'problemId',
    'unitId',
    'toUnitId',
    'source',
    'grade',
    'title',
    'raiser',
    'plan',
    'promisedBy',
    'reason',
    'ground',
    'note',
    'summary',
    'evidence',
    'kind',
    'verdict',
    'comment',
    'raiserUnreachable',
  ];
  // Objects with the right keys and arbitrary values reach the nested codecs, which random values rarely do.
  const nearlyBodies = fc.dictionary(fc.constantFrom(...knownKeys), fc.anything(), { maxKeys: knownKeys.length });
  const inputs = fc.oneof(fc.anything(), fc.jsonValue(), nearlyBodies);

  it.each(Object.entries(problemCommandCodecs))('%s', (_, codec) => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = decode(codec as t.Mixed)(input);
        if (E.isRight(result)) return;
        expect(result.left.code).toBe('validation');
        const fields = fieldsOf(result);
        expect(fields.length).toBeGreaterThan(0);
        for (const path of fields) expect(path.startsWith('body')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
