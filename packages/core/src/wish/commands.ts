// What callers ask of a wish, and the codecs that admit a request's body at the boundary (the HTTP
// API's `decodeWith`). These are strict where events are lenient: blank texts, unknown categories and
// malformed ids stop here, with the path of the offending field, before anything is stored.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
import { withSchemaHint } from '../codec/schema-hint.js';
import { boundedText, stringMatching } from '../codec/text.js';
import type { Command } from '../decider.js';
import { ItemOrigin } from '../fieldwork/origin.js';
import { WishCancellationGrounds, WishCategory, WishConsent, wishStreamId } from './events.js';

const text = boundedText;

/** Ids travel in stream names and URLs: printable ASCII, no spaces. */
const identifierPattern = /^[\x21-\x7e]{1,128}$/;
const identifier = stringMatching(
  'an id of 1-128 printable ASCII characters without spaces',
  (s) => identifierPattern.test(s),
  { pattern: identifierPattern.source, minLength: 1, maxLength: 128 },
);

/** A wish id, e.g. from a URL path, checked as the command bodies check it. */
export const WishId = identifier;

const phonePattern = /^\+?[0-9][0-9 -]{2,23}$/;
const phoneNumber = stringMatching('a phone number', (s) => phonePattern.test(s), { pattern: phonePattern.source });

const nonEmptyArray = <C extends t.Mixed>(item: C, maxItems: number) => {
  const array = t.array(item);
  const fits = (a: readonly unknown[]) => a.length > 0 && a.length <= maxItems;
  return withSchemaHint(
    new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
      `a list of 1 to ${maxItems} items`,
      (u): u is t.TypeOf<C>[] => array.is(u) && fits(u),
      (u, c) => {
        const decoded = array.validate(u, c);
        return E.isRight(decoded) && !fits(decoded.right) ? t.failure(u, c) : decoded;
      },
      array.encode,
    ),
    { type: 'array', items: item, minItems: 1, maxItems, description: `a list of 1 to ${maxItems} items` },
  );
};

/** The wisher as the collector records them. Name, phone and address are the resident's personal data. */
export const WisherInput = t.exact(
  t.intersection([
    t.type({ name: personal(text(50), 'name') }),
    t.partial({
      /** The wisher's own id, when they are known to the system; required for them to confirm themself. */
      personId: identifier,
      phone: personal(phoneNumber, 'phone'),
      address: personal(text(200), 'address'),
    }),
  ]),
  'WisherInput',
);

/** 寻梦 */
export const CollectWishData = t.exact(
  t.intersection([
    t.type({
      wishId: WishId,
      unitId: identifier,
      category: WishCategory,
      description: text(2000),
      consent: WishConsent,
      wisher: WisherInput,
    }),
    t.partial({ origin: ItemOrigin }),
  ]),
  'CollectWish',
);
export type CollectWishData = t.TypeOf<typeof CollectWishData>;

/** 领梦 */
export const ClaimWishData = t.exact(t.type({ wishId: WishId }), 'ClaimWish');
export type ClaimWishData = t.TypeOf<typeof ClaimWishData>;

export const ReleaseWishData = t.exact(
  t.intersection([t.type({ wishId: WishId }), t.partial({ reason: text(500) })]),
  'ReleaseWish',
);
export type ReleaseWishData = t.TypeOf<typeof ReleaseWishData>;

/** 圆梦: a summary of what was done, and evidence (photo or document references). */
export const FulfilWishData = t.exact(
  t.type({ wishId: WishId, summary: text(2000), evidence: nonEmptyArray(text(500), 20) }),
  'FulfilWish',
);
export type FulfilWishData = t.TypeOf<typeof FulfilWishData>;

export const WishVerdict = t.keyof({ satisfied: null, unsatisfied: null }, 'WishVerdict');
export type WishVerdict = t.TypeOf<typeof WishVerdict>;

/** 确认: the wisher's word on the fulfilment. */
export const ConfirmWishData = t.exact(
  t.intersection([
    t.type({ wishId: WishId, verdict: WishVerdict }),
    t.partial({ comment: personal(text(1000), 'free_text_contact') }),
  ]),
  'ConfirmWish',
);
export type ConfirmWishData = t.TypeOf<typeof ConfirmWishData>;

/** 亮梦: the story as it will stand on the public board. */
export const ShowcaseWishData = t.exact(t.type({ wishId: WishId, story: text(2000) }), 'ShowcaseWish');
export type ShowcaseWishData = t.TypeOf<typeof ShowcaseWishData>;

/** A reason is optional for a withdrawal and required (by the decider) for declaring a wish invalid. */
export const CancelWishData = t.exact(
  t.intersection([t.type({ wishId: WishId, grounds: WishCancellationGrounds }), t.partial({ reason: text(500) })]),
  'CancelWish',
);
export type CancelWishData = t.TypeOf<typeof CancelWishData>;

export type CollectWish = Command<'collectWish', CollectWishData>;
export type ClaimWish = Command<'claimWish', ClaimWishData>;
export type ReleaseWish = Command<'releaseWish', ReleaseWishData>;
export type FulfilWish = Command<'fulfilWish', FulfilWishData>;
export type ConfirmWish = Command<'confirmWish', ConfirmWishData>;
export type ShowcaseWish = Command<'showcaseWish', ShowcaseWishData>;
export type CancelWish = Command<'cancelWish', CancelWishData>;

export type WishCommand = CollectWish | ClaimWish | ReleaseWish | FulfilWish | ConfirmWish | ShowcaseWish | CancelWish;

/** The data codec of every wish command, by command type. */
export const wishCommandCodecs = {
  collectWish: CollectWishData,
  claimWish: ClaimWishData,
  releaseWish: ReleaseWishData,
  fulfilWish: FulfilWishData,
  confirmWish: ConfirmWishData,
  showcaseWish: ShowcaseWishData,
  cancelWish: CancelWishData,
} as const satisfies {
  readonly [K in WishCommand['type']]: t.Type<Extract<WishCommand, { type: K }>['data'], unknown, unknown>;
};

/** The stream a wish command acts on, for `commandHandler`'s `streamIdOf`. */
export const wishStreamIdOf = (command: WishCommand): string => wishStreamId(command.data.wishId);
