// Where a problem or a wish came from when it was not raised on its own: a need an enterprise service
// officer found on a contact (对接), a need a paired household reported (结亲对象随时提报), or one met on a
// visit (入户走访, 五问五解决, 处长网格员). It links the item to the relationship or visit; the ids are opaque
// and public, as the relationship's existence is (a household's details never are).
import * as t from 'io-ts';

/** Ids that become part of a stream id: letters, digits, . _ : -, at most 128. */
export const fieldworkIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const isFieldworkId = (u: unknown): u is string => typeof u === 'string' && fieldworkIdPattern.test(u);
export const FieldworkId = new t.Type<string, string, unknown>(
  'FieldworkId (letters, digits, . _ : -; at most 128)',
  isFieldworkId,
  (u, c) => (isFieldworkId(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const ItemOrigin = t.union(
  [
    /** 企业服务: found by the officer serving the enterprise, on a contact when known. */
    t.exact(
      t.intersection([
        t.type({ kind: t.literal('enterprise_service'), enterpriseId: FieldworkId }),
        t.partial({ contactId: FieldworkId }),
      ]),
    ),
    /** 结新亲: reported by (or for) a paired household, on a visit when known. */
    t.exact(
      t.intersection([
        t.type({ kind: t.literal('pairing'), pairingId: FieldworkId }),
        t.partial({ visitId: FieldworkId }),
      ]),
    ),
    /** 入户走访 / 五问五解决 / 处长网格员: met on a recorded visit. */
    t.exact(t.type({ kind: t.literal('visit'), visitId: FieldworkId })),
  ],
  'ItemOrigin',
);
export type ItemOrigin = t.TypeOf<typeof ItemOrigin>;

/** The stream the origin points at, for a reader who follows the link. */
export const originStreamId = (origin: ItemOrigin): string =>
  origin.kind === 'enterprise_service'
    ? `service-${origin.enterpriseId}`
    : origin.kind === 'pairing'
      ? `pairing-${origin.pairingId}`
      : `visit-${origin.visitId}`;
