// The command codecs at the boundary: what they admit, what they refuse and with which field path, and
// that no input whatever makes them throw.

import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeWith, type FieldProblem } from '../codec/decode.js';
import { personalFields } from '../codec/personal.js';
import { CollectWishData, FulfilWishData, wishCommandCodecs } from './commands.js';

const validBodies = {
  collectWish: {
    wishId: 'w-1',
    unitId: 'u-jz-g1',
    category: 'life',
    description: '想学用智能手机和子女视频',
    consent: 'anonymous',
    wisher: { name: '王秀英', phone: '+86 138 0000 1111', address: '云溪小区3号楼2单元' },
  },
  claimWish: { wishId: 'w-1' },
  releaseWish: { wishId: 'w-1', reason: '工作调动' },
  fulfilWish: { wishId: 'w-1', summary: '上门教会了视频通话', evidence: ['photo-1.jpg', 'photo-2.jpg'] },
  confirmWish: { wishId: 'w-1', verdict: 'satisfied', comment: '很满意' },
  showcaseWish: { wishId: 'w-1', story: '一位老人学会了和子女视频' },
  cancelWish: { wishId: 'w-1', grounds: 'invalid', reason: '重复登记' },
} as const;

const commandTypes = Object.keys(wishCommandCodecs) as (keyof typeof wishCommandCodecs)[];
// Each codec with its own types erased, so the specs can loop over all of them.
const codecFor = (type: keyof typeof wishCommandCodecs): t.Mixed => wishCommandCodecs[type];

const fieldsOf = (result: E.Either<{ details?: Readonly<Record<string, unknown>> }, unknown>): FieldProblem[] =>
  E.isLeft(result) ? ((result.left.details?.fields as FieldProblem[] | undefined) ?? []) : [];

describe('wish command codecs', () => {
  it.each(commandTypes)('a well-formed %s body decodes to itself', (type) => {
    const result = decodeWith(codecFor(type))(validBodies[type]);
    expect(result).toEqual(E.right(validBodies[type]));
  });

  it('unknown properties are dropped, so nothing unmarked rides into an event', () => {
    const result = decodeWith(CollectWishData)({ ...validBodies.collectWish, idNumber: '370281199001011234' });
    expect(E.isRight(result) && 'idNumber' in result.right).toBe(false);
  });

  it('a category outside study | life | work is refused with its path and the choices', () => {
    const result = decodeWith(CollectWishData)({ ...validBodies.collectWish, category: 'money' });
    expect(fieldsOf(result)).toEqual([
      { path: 'body.category', message: 'body.category: expected one of study | life | work, got "money"' },
    ]);
  });

  it('a blank wisher name is refused at body.wisher.name', () => {
    const result = decodeWith(CollectWishData)({
      ...validBodies.collectWish,
      wisher: { ...validBodies.collectWish.wisher, name: '   ' },
    });
    expect(fieldsOf(result).map((f) => f.path)).toEqual(['body.wisher.name']);
  });

  it('a fulfilment without evidence is refused at body.evidence', () => {
    const result = decodeWith(FulfilWishData)({ ...validBodies.fulfilWish, evidence: [] });
    expect(fieldsOf(result).map((f) => f.path)).toEqual(['body.evidence']);
  });

  it('a wish id with spaces is refused, since it becomes part of a stream name', () => {
    const result = decodeWith(wishCommandCodecs.claimWish)({ wishId: 'w 1' });
    expect(fieldsOf(result).map((f) => f.path)).toEqual(['body.wishId']);
  });

  it('the wisher’s name, phone and address, and the wisher’s comment, are marked personal', () => {
    expect(personalFields(CollectWishData)).toEqual([
      { path: 'wisher.name', kind: 'name' },
      { path: 'wisher.phone', kind: 'phone' },
      { path: 'wisher.address', kind: 'address' },
    ]);
    expect(personalFields(wishCommandCodecs.confirmWish)).toEqual([{ path: 'comment', kind: 'free_text_contact' }]);
  });
});

describe('decoding fuzz: any input gives a command or a validation error with field paths, never a throw', () => {
  const expectDecodedOrExplained = (type: keyof typeof wishCommandCodecs, input: unknown) => {
    const codec = codecFor(type);
    const result = decodeWith(codec)(input);
    if (E.isRight(result)) {
      expect(codec.is(result.right)).toBe(true);
      return result;
    }
    expect(result.left).toMatchObject({ code: 'validation', rule: 'input.invalid' });
    const fields = fieldsOf(result);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) {
      expect(f.path === 'body' || f.path.startsWith('body.')).toBe(true);
      expect(f.message.startsWith(`${f.path}: `)).toBe(true);
    }
    return result;
  };

  it.each(commandTypes)('%s: fc.anything()', (type) => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        expectDecodedOrExplained(type, input);
      }),
      { numRuns: 300 },
    );
  });

  it.each(commandTypes)('%s: fc.jsonValue()', (type) => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        expectDecodedOrExplained(type, input);
      }),
      { numRuns: 300 },
    );
  });

  it.each(commandTypes)('%s: one field of a valid body replaced by anything is reported at that field', (type) => {
    const body: Record<string, unknown> = validBodies[type];
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(body)), fc.jsonValue(), (key, value) => {
        const result = expectDecodedOrExplained(type, { ...body, [key]: value });
        if (E.isLeft(result)) expect(fieldsOf(result).some((f) => f.path.startsWith(`body.${key}`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
