import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeWith } from './decode.js';
import { personal, personalFields, personalValues } from './personal.js';

const evaluation = t.type({
  problemId: t.string,
  evaluation: t.type({ verdict: t.keyof({ satisfied: null, basically_satisfied: null, unsatisfied: null }) }),
});

describe('decoding untrusted input', () => {
  it('names the path of the bad field and what was expected', () => {
    const result = decodeWith(evaluation)({ problemId: 'p1', evaluation: { verdict: 'meh' } });
    expect(E.isLeft(result) && result.left.message).toBe(
      'body.evaluation.verdict: expected one of satisfied | basically_satisfied | unsatisfied, got "meh"',
    );
  });

  it('lists every bad field, once each', () => {
    const result = decodeWith(evaluation)({ evaluation: {} });
    expect(E.isLeft(result) && result.left.details).toEqual({
      fields: [
        { path: 'body.problemId', message: 'body.problemId: expected string, got nothing' },
        {
          path: 'body.evaluation.verdict',
          message:
            'body.evaluation.verdict: expected one of satisfied | basically_satisfied | unsatisfied, got nothing',
        },
      ],
    });
  });

  it('reports the field inside a union branch without the branch index', () => {
    const codec = t.union([t.type({ kind: t.literal('a'), n: t.number }), t.type({ kind: t.literal('b') })]);
    const result = decodeWith(codec, 'cmd')({ kind: 'a', n: 'x' });
    expect(E.isLeft(result) && result.left.details).toMatchObject({
      fields: expect.arrayContaining([expect.objectContaining({ path: 'cmd.n' })]),
    });
  });
});

describe('personal data marks', () => {
  const wish = t.type({
    title: t.string,
    wisher: t.type({ name: personal(t.string, 'name'), phone: personal(t.string, 'phone') }),
    helpers: t.array(t.type({ address: personal(t.string, 'address') })),
  });

  it('lists every personal field of a codec with its kind', () => {
    expect(personalFields(wish)).toEqual([
      { path: 'wisher.name', kind: 'name' },
      { path: 'wisher.phone', kind: 'phone' },
      { path: 'helpers[].address', kind: 'address' },
    ]);
  });

  it('collects the personal values present in a payload', () => {
    const value = {
      title: '想学电脑',
      wisher: { name: '王秀英', phone: '13800000000' },
      helpers: [{ address: '胶州市福州支路12号' }],
    };
    expect(personalValues(wish, value)).toEqual(['王秀英', '13800000000', '胶州市福州支路12号']);
  });

  it('reports only the union branch a value is: an enterprise name is public, a resident name is not', () => {
    const raiser = t.union([
      t.type({ kind: t.literal('resident'), name: personal(t.string, 'name') }),
      t.type({ kind: t.literal('enterprise'), name: t.string }),
    ]);
    expect(personalValues(raiser, { kind: 'enterprise', name: '青岛某机械有限公司' })).toEqual([]);
    expect(personalValues(raiser, { kind: 'resident', name: '王秀英' })).toEqual(['王秀英']);
  });

  it('decodes exactly like the unmarked codec', () => {
    expect(personal(t.string, 'name').decode('李明')).toEqual(E.right('李明'));
    expect(E.isLeft(personal(t.string, 'name').decode(3))).toBe(true);
  });
});
