// Random command sequences by random actors, through command handling on the in-memory store, against
// a small reference model written separately from the decider (explicit tables instead of the
// directory's ancestry, plain records instead of the decider's helpers). After every step: the outcome
// and the folded state match the model, the hash chain verifies, and the lifecycle's promises hold on
// what was stored — one claimant at a time, showcases within consent, claims only inside home districts.

import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor, StoredEvent } from '../envelope.js';
import { commandHandler } from '../handling/command-handler.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { verifyStream } from '../integrity/hash-chain.js';
import { createCorePersonalDataSealer } from '../personal-data.js';
import { getInMemorySubjectKeyStore } from '../privacy/key-store.js';
import { personalDataMarkers } from '../privacy/sealed-value.js';
import { getInMemoryEventStore } from '../store/in-memory.js';
import { wishRevealFor } from './claim-quota.js';
import { countOpenClaims } from './claims.js';
import { type CollectWishData, type WishCommand, wishStreamIdOf } from './commands.js';
import { type WishState, wishDecider } from './decider.js';
import { type WishEvent, wishEventRegistry, wishStreamId } from './events.js';

// ── the world ───────────────────────────────────────────────────────────────────────────────────────
// D1 ⊃ S1 ⊃ {C1 ⊃ {G1, G9 (retired)}, C2 ⊃ G2}; D2 ⊃ G3.
const units = [
  { unitId: 'D1', name: '一区', kind: 'district', parentId: null },
  { unitId: 'S1', name: '一街道', kind: 'street', parentId: 'D1' },
  { unitId: 'C1', name: '一社区', kind: 'community', parentId: 'S1' },
  { unitId: 'G1', name: '一网格', kind: 'grid', parentId: 'C1' },
  { unitId: 'C2', name: '二社区', kind: 'community', parentId: 'S1' },
  { unitId: 'G2', name: '二网格', kind: 'grid', parentId: 'C2' },
  { unitId: 'D2', name: '二区', kind: 'district', parentId: null },
  { unitId: 'G3', name: '三网格', kind: 'grid', parentId: 'D2' },
  { unitId: 'G9', name: '已撤并网格', kind: 'grid', parentId: 'C1', retired: true },
] as const;

// The model's own notion of "inside", written out by hand rather than derived from parents.
const unitsInside: Readonly<Record<string, readonly string[]>> = {
  D1: ['D1', 'S1', 'C1', 'G1', 'G9', 'C2', 'G2'],
  S1: ['S1', 'C1', 'G1', 'G9', 'C2', 'G2'],
  C1: ['C1', 'G1', 'G9'],
  C2: ['C2', 'G2'],
  G1: ['G1'],
  G2: ['G2'],
  D2: ['D2', 'G3'],
  G3: ['G3'],
  G9: ['G9'],
};
const retiredUnits = ['G9'];

const holdings = [
  { personId: 'gw1', role: 'grid_worker', unitId: 'G1' },
  { personId: 'gw3', role: 'grid_worker', unitId: 'G3' },
  { personId: 'm1', role: 'member', unitId: 'D1' },
  { personId: 'm2', role: 'member', unitId: 'C1' },
  { personId: 'm3', role: 'member', unitId: 'D2' },
  { personId: 'm4', role: 'member', unitId: 'C2' },
  { personId: 'sec1', role: 'secretary', unitId: 'S1' },
  { personId: 'sec3', role: 'secretary', unitId: 'D2' },
  { personId: 'off', role: 'office', unitId: 'D1' },
] as const;

const directory = directoryViewOf({
  units,
  holdings: holdings.map((h) => ({ ...h, since: '2026-01-01' })),
});

const wishIds = ['w1', 'w2', 'w3'] as const;

const fixedActors: readonly Actor[] = [
  { personId: 'r1', role: 'resident' },
  { personId: 'r2', role: 'resident' },
  { personId: 'gw1', role: 'grid_worker' },
  { personId: 'gw3', role: 'grid_worker' },
  { personId: 'm1', role: 'member' },
  { personId: 'm2', role: 'member' },
  { personId: 'm3', role: 'member' },
  { personId: 'm4', role: 'member' },
  { personId: 'sec1', role: 'secretary' },
  { personId: 'sec3', role: 'secretary' },
  { personId: 'off', role: 'office' },
  { personId: 'm1', role: 'office' },
  { personId: 'gw1', role: 'member' },
  { personId: 'aud', role: 'auditor' },
];

// ── the reference model ─────────────────────────────────────────────────────────────────────────────
type Model = Readonly<Record<string, WishState>>;
type Expected = { readonly ok: true; readonly next: WishState } | { readonly ok: false; readonly rule: string };

const homesOf = (personId: string, role: string) =>
  holdings.filter((h) => h.personId === personId && h.role === role).map((h) => h.unitId as string);
const covers = (home: string, unitId: string) => unitsInside[home]?.includes(unitId) ?? false;
const squash = (s: string) => s.toLowerCase().replace(/[\s-]+/g, '');
const openClaimsIn = (model: Model, memberId: string) =>
  Object.values(model).filter((w) => w.status === 'claimed' && w.claimantId === memberId).length;
const mask = (name: string) => `${Array.from(name.trim())[0]}**`;

const refuse = (rule: string): Expected => ({ ok: false, rule });

const reference = (model: Model, command: WishCommand, limit: number): Expected => {
  const actor = command.metadata.actor;
  const me = actor.personId;
  const wish = model[command.data.wishId] ?? { status: 'none' as const };
  const isOffice = actor.role === 'office' && homesOf(me, 'office').length > 0;
  const officeElsewhere = (unitId: string) => isOffice && !homesOf(me, 'office').some((h) => covers(h, unitId));

  if (command.type === 'collectWish') {
    const d = command.data;
    if (wish.status !== 'none') return refuse('wish.collect.already_collected');
    if (unitsInside[d.unitId] === undefined) return refuse('wish.collect.unknown_unit');
    if (retiredUnits.includes(d.unitId)) return refuse('wish.collect.retired_unit');
    let collector = null;
    let wisherId = d.wisher.personId ?? null;
    if (actor.role === 'resident') {
      if (wisherId !== null && wisherId !== me) return refuse('wish.collect.resident_for_another');
      wisherId = me;
    } else if (actor.role === 'grid_worker' || actor.role === 'member' || actor.role === 'secretary') {
      const homes = homesOf(me, actor.role);
      if (homes.length === 0) return refuse('wish.collect.role_not_held');
      const home = homes.find((h) => covers(h, d.unitId));
      if (home === undefined) return refuse('wish.collect.outside_collector_unit');
      collector = { personId: me, role: actor.role, unitId: home };
    } else return refuse('wish.collect.not_a_collector');
    return {
      ok: true,
      next: {
        status: 'collected',
        claimantId: null,
        wishId: d.wishId,
        unitId: d.unitId,
        consent: d.consent,
        wisher: {
          personId: wisherId,
          name: d.wisher.name,
          phone: d.wisher.phone ?? null,
          address: d.wisher.address ?? null,
        },
        collector,
      },
    };
  }

  if (wish.status === 'none') return refuse('wish.not_found');
  if (wish.status === 'cancelled') return refuse('wish.cancelled');
  const isWisher = wish.wisher.personId === me;
  const isCollector = wish.collector?.personId === me;

  switch (command.type) {
    case 'claimWish': {
      if (wish.status !== 'collected') return refuse('wish.claim.already_claimed');
      if (actor.role !== 'member' || homesOf(me, 'member').length === 0) return refuse('wish.claim.not_a_member');
      if (isWisher) return refuse('wish.claim.own_wish');
      if (!homesOf(me, 'member').some((h) => covers(h, wish.unitId))) return refuse('wish.claim.outside_home_district');
      if (openClaimsIn(model, me) >= limit) return refuse('wish.claim.quota_reached');
      return { ok: true, next: { ...wish, status: 'claimed', claimantId: me } };
    }
    case 'releaseWish':
      if (wish.status !== 'claimed') return refuse('wish.release.not_claimed');
      if (wish.claimantId !== me) return refuse('wish.release.not_claimant');
      return { ok: true, next: { ...wish, status: 'collected', claimantId: null } };
    case 'fulfilWish':
      if (wish.status !== 'claimed') return refuse('wish.fulfil.not_claimed');
      if (wish.claimantId !== me) return refuse('wish.fulfil.not_claimant');
      return { ok: true, next: { ...wish, status: 'fulfilled' } };
    case 'confirmWish':
      if (wish.status !== 'fulfilled') return refuse('wish.confirm.not_fulfilled');
      if (!isWisher && !isCollector) return refuse('wish.confirm.not_wisher');
      if (wish.claimantId === me) return refuse('wish.confirm.by_claimant');
      return { ok: true, next: { ...wish, status: command.data.verdict === 'satisfied' ? 'confirmed' : 'claimed' } };
    case 'showcaseWish': {
      if (wish.status === 'showcased') return refuse('wish.showcase.already_showcased');
      if (wish.status !== 'confirmed') return refuse('wish.showcase.not_confirmed');
      if (officeElsewhere(wish.unitId)) return refuse('wish.office.outside_district');
      if (!isOffice && wish.claimantId !== me) return refuse('wish.showcase.not_office_or_claimant');
      if (wish.consent === 'none') return refuse('wish.showcase.no_consent');
      const story = squash(command.data.story);
      const { name, phone, address } = wish.wisher;
      if ([name, phone, address].some((v) => v !== null && story.includes(squash(v))))
        return refuse('wish.showcase.story_reveals_wisher');
      return { ok: true, next: { ...wish, status: 'showcased' } };
    }
    case 'cancelWish': {
      if (wish.status !== 'collected' && wish.status !== 'claimed') return refuse('wish.cancel.after_fulfilment');
      if (command.data.grounds === 'withdrawn') {
        if (!isWisher && !isCollector) return refuse('wish.cancel.withdraw_not_wisher');
      } else {
        const answerable = wish.collector?.unitId ?? wish.unitId;
        const secretary = actor.role === 'secretary' && homesOf(me, 'secretary').some((h) => covers(h, answerable));
        if (officeElsewhere(wish.unitId)) return refuse('wish.office.outside_district');
        if (!secretary && !isOffice) return refuse('wish.cancel.invalid_not_office_or_secretary');
        if (command.data.reason === undefined) return refuse('wish.cancel.reason_required');
      }
      return { ok: true, next: { ...wish, status: 'cancelled', claimantId: null } };
    }
  }
};

// ── generated commands ──────────────────────────────────────────────────────────────────────────────
// Actors are partly symbolic — "whoever should be doing this", picked among those who may — resolved
// against the model when the step runs, so that sequences reach confirmation and showcase instead of
// stalling on random refusals. The rest are fixed actors, allowed or not.
type ActorChoice = { readonly fixed: Actor } | { readonly rightful: number };
const actorChoice: fc.Arbitrary<ActorChoice> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...fixedActors).map((fixed) => ({ fixed })) },
  { weight: 1, arbitrary: fc.nat(11).map((rightful) => ({ rightful })) },
);

const names = ['张三丰', '李四', 'Ann Lee', '欧阳娜娜'];
const stories = [
  '一位老人圆了梦',
  '张三丰的心愿实现了',
  '电话 138 0000 1111',
  '住在云溪小区3号楼的老人',
  'ANN LEE got a tutor',
];

const collectData = (wishId: string): fc.Arbitrary<CollectWishData> =>
  fc.record({
    wishId: fc.constant(wishId),
    unitId: fc.constantFrom('G1', 'G1', 'C1', 'G2', 'S1', 'G3', 'G9', 'X9'),
    category: fc.constantFrom('study', 'life', 'work'),
    description: fc.constant('想学用智能手机'),
    consent: fc.constantFrom('none', 'anonymous', 'named'),
    wisher: fc.record(
      {
        name: fc.constantFrom(...names),
        personId: fc.constantFrom('r1', 'r1', 'r2', 'm1'),
        phone: fc.constantFrom('138-0000-1111', '13900002222'),
        address: fc.constant('云溪小区3号楼'),
      },
      { requiredKeys: ['name'] },
    ),
  });

type Intent = { [K in WishCommand['type']]: Omit<Extract<WishCommand, { type: K }>, 'metadata'> }[WishCommand['type']];
const intent = (wishId: string): fc.Arbitrary<Intent> =>
  fc.oneof(
    { weight: 1, arbitrary: collectData(wishId).map((data) => ({ type: 'collectWish' as const, data })) },
    { weight: 3, arbitrary: fc.constant<Intent>({ type: 'claimWish' as const, data: { wishId } }) },
    { weight: 1, arbitrary: fc.constant<Intent>({ type: 'releaseWish' as const, data: { wishId } }) },
    {
      weight: 2,
      arbitrary: fc.constant<Intent>({
        type: 'fulfilWish' as const,
        data: { wishId, summary: '教会了视频通话', evidence: ['photo.jpg'] },
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('satisfied', 'satisfied', 'unsatisfied')
        .map((verdict) => ({ type: 'confirmWish' as const, data: { wishId, verdict } })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...stories)
        .map((story) => ({ type: 'showcaseWish' as const, data: { wishId, story } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ grounds: fc.constantFrom('withdrawn', 'invalid'), reason: fc.constantFrom(undefined, '重复登记') })
        .map(({ grounds, reason }) => ({
          type: 'cancelWish' as const,
          data: reason === undefined ? { wishId, grounds } : { wishId, grounds, reason },
        })),
    },
  );

// Half the steps "move the wish along": whatever its status calls for next, so runs get deep into the
// lifecycle; the other half are any command at all.
const step = fc.constantFrom(...wishIds).chain((wishId) =>
  fc.record({
    intent: intent(wishId),
    advance: fc.boolean(),
    verdict: fc.constantFrom('satisfied', 'satisfied', 'unsatisfied'),
    story: fc.constantFrom(...stories),
    actor: actorChoice,
  }),
);
interface Step {
  readonly intent: Intent;
  readonly actor: ActorChoice;
  readonly advance?: boolean;
  readonly verdict?: 'satisfied' | 'unsatisfied';
  readonly story?: string;
}

const chooseIntent = (s: Step, wish: WishState | undefined): Intent => {
  if (s.advance !== true || wish === undefined) return s.intent;
  const wishId = s.intent.data.wishId;
  switch (wish.status) {
    case 'collected':
      return { type: 'claimWish', data: { wishId } };
    case 'claimed':
      return { type: 'fulfilWish', data: { wishId, summary: '教会了视频通话', evidence: ['photo.jpg'] } };
    case 'fulfilled':
      return { type: 'confirmWish', data: { wishId, verdict: s.verdict ?? 'satisfied' } };
    case 'confirmed':
      return { type: 'showcaseWish', data: { wishId, story: s.story ?? stories[0]! } };
    default:
      return s.intent;
  }
};

// Each run opens by collecting most wishes, by someone who may (a resident for themself, a collector
// inside their unit), so that the random steps after it mostly act on wishes that exist; the wishes left
// out are collected, or not, by the random steps.
const validCollections: readonly (readonly [Actor, readonly string[]])[] = [
  [{ personId: 'r1', role: 'resident' }, ['G1', 'G2', 'G3']],
  [{ personId: 'r2', role: 'resident' }, ['C1', 'S1']],
  [{ personId: 'gw1', role: 'grid_worker' }, ['G1']],
  [{ personId: 'gw3', role: 'grid_worker' }, ['G3']],
  [{ personId: 'm2', role: 'member' }, ['C1', 'G1']],
  [{ personId: 'sec1', role: 'secretary' }, ['G1', 'G2', 'C2']],
];
const opening = fc.tuple(
  ...wishIds.map((wishId) =>
    fc.option(fc.tuple(fc.constantFrom(...validCollections), collectData(wishId)), { freq: 3 }).chain((chosen) => {
      if (chosen === null) return fc.constant(null);
      const [[actor, unitIds], data] = chosen;
      return fc.constantFrom(...unitIds).map((unitId) => {
        const { personId: _, ...wisher } = data.wisher;
        return {
          intent: {
            type: 'collectWish' as const,
            data: { ...data, unitId, wisher: actor.role === 'resident' ? wisher : data.wisher },
          },
          actor: { fixed: actor } as ActorChoice,
        };
      });
    }),
  ),
);
// The open-claim limit varies between runs (1 or 2, against three wishes), so the quota is both reached
// and not reached on the way.
const run = fc.record({
  limit: fc.constantFrom(1, 2),
  steps: fc
    .tuple(opening, fc.array(step, { minLength: 1, maxLength: 30, size: 'max' }))
    .map(([first, rest]): Step[] => [...first.filter((s) => s !== null), ...rest]),
});

const resolveActor = (choice: ActorChoice, command: Intent, wish: WishState | undefined): Actor => {
  if ('fixed' in choice) return choice.fixed;
  const fallback = fixedActors[0]!;
  if (wish === undefined || wish.status === 'none') return fallback;
  const wisher: Actor[] = wish.wisher.personId === null ? [] : [{ personId: wish.wisher.personId, role: 'resident' }];
  const collector: Actor[] =
    wish.collector === null ? [] : [{ personId: wish.collector.personId, role: wish.collector.role }];
  const claimant: Actor[] = wish.claimantId === null ? [] : [{ personId: wish.claimantId, role: 'member' }];
  const office: Actor = { personId: 'off', role: 'office' };
  const candidates: Actor[] = (() => {
    switch (command.type) {
      case 'claimWish':
        return holdings
          .filter((h) => h.role === 'member' && covers(h.unitId, wish.unitId))
          .map((h): Actor => ({ personId: h.personId, role: 'member' }));
      case 'releaseWish':
      case 'fulfilWish':
        return claimant;
      case 'showcaseWish':
        return [office, ...claimant];
      case 'cancelWish':
        return command.data.grounds === 'invalid'
          ? [office, { personId: 'sec1', role: 'secretary' }, { personId: 'sec3', role: 'secretary' }]
          : [...wisher, ...collector];
      default:
        return [...wisher, ...collector];
    }
  })();
  return candidates[choice.rightful % Math.max(1, candidates.length)] ?? fallback;
};

// ── invariants on what was stored ───────────────────────────────────────────────────────────────────
const decodeAll = (stored: readonly StoredEvent[]): WishEvent[] =>
  stored.map((e) => {
    const decoded = wishEventRegistry.decode(e);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    return decoded.right;
  });

const checkStoredPromises = (stream: readonly StoredEvent[]) => {
  const events = decodeAll(stream);
  const first = events[0];
  if (first?.type !== 'WishCollected') throw new Error('a wish stream starts with WishCollected');
  const { wisher, consent, unitId } = first.data;
  let holder: string | null = null;
  events.forEach((event, i) => {
    switch (event.type) {
      case 'WishClaimed':
        expect(holder, 'never two claimants').toBeNull();
        holder = event.data.memberId;
        expect(stream[i]!.actor).toMatchObject({ personId: holder, role: 'member' });
        expect(
          homesOf(event.data.memberId, 'member').some((h) => covers(h, unitId)),
          'a member never claims outside their district',
        ).toBe(true);
        break;
      case 'WishReopened':
        expect(event.data.memberId, 'a reopened wish returns to its one claimant').toBe(holder);
        break;
      case 'WishReleased':
      case 'WishCancelled':
        holder = null;
        break;
      case 'WishShowcased': {
        expect(consent, 'a wish without consent is never shown').not.toBe('none');
        const shown = JSON.stringify(event.data);
        for (const personal of [wisher.name, wisher.phone, wisher.address])
          if (personal !== null) expect(shown, 'a showcase carries no personal data').not.toContain(personal);
        if (consent === 'anonymous') expect(event.data.display).toEqual({ shownAs: 'anonymous' });
        else expect(event.data.display).toEqual({ shownAs: 'named', maskedName: mask(wisher.name) });
        break;
      }
      default:
        break;
    }
  });
};

describe('the wish lifecycle under random commands by random actors', () => {
  it('matches the reference model and keeps its promises after every step', async () => {
    const seen = new Map<string, number>();
    const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

    await fc.assert(
      fc.asyncProperty(run, async ({ limit, steps }) => {
        const store = getInMemoryEventStore({ clock: () => new Date('2026-11-22T10:00:00.000Z') });
        let ids = 0;
        const context = async (): Promise<DecisionContext> => {
          const { events } = await store.readAll({ categories: ['wish'] });
          const open = countOpenClaims(decodeAll(events));
          return { directory, wishClaims: { limit, openClaimsOf: (m) => open.get(m) ?? 0 } };
        };
        const sealer = createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });
        const handle = commandHandler({
          personalData: sealer,
          revealFor: wishRevealFor,
          store,
          decider: wishDecider,
          registry: wishEventRegistry,
          streamIdOf: wishStreamIdOf,
          context,
          newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
        });
        let model: Model = {};

        for (const [i, s] of steps.entries()) {
          const intent = chooseIntent(s, model[s.intent.data.wishId]);
          const wishId = intent.data.wishId;
          const command = {
            ...intent,
            metadata: {
              actor: resolveActor(s.actor, intent, model[wishId]),
              now: `2026-11-22T09:00:${String(i).padStart(2, '0')}.000Z`,
            },
          } as WishCommand;
          const expected = reference(model, command, limit);
          const before = store.log.length;
          const result = await handle(command);

          if (expected.ok) {
            if (E.isLeft(result)) throw new Error(`expected ${command.type} to pass, got ${result.left.rule}`);
            model = { ...model, [wishId]: expected.next };
            for (const e of result.right.events) note(e.type);
          } else {
            expect(E.isLeft(result) && result.left.rule, `${command.type} by ${command.metadata.actor.personId}`).toBe(
              expected.rule,
            );
            expect(store.log.length, 'a refused command stores nothing').toBe(before);
            note(expected.rule);
          }

          // Only the command's own stream may have changed: check it through and through.
          const streamId = wishStreamId(wishId);
          expect(store.log.slice(before).every((e) => e.streamId === streamId)).toBe(true);
          const stream = await store.readStream(streamId);
          expect(verifyStream(streamId, stream).ok).toBe(true);
          // Stored sealed, the stream folds with the wisher's details withheld; revealed, to the model itself.
          const sealedFold = decodeAll(stream).reduce(wishDecider.evolve, wishDecider.initialState);
          if (stream.length > 0) expect(sealedFold).toHaveProperty('wisher.name', personalDataMarkers.sealed);
          const revealed = await sealer.reveal(stream, { code: 'verification', statement: 'the property' });
          if (E.isLeft(revealed)) throw new Error(revealed.left.message);
          const folded = decodeAll(revealed.right).reduce(wishDecider.evolve, wishDecider.initialState);
          expect(folded).toEqual(model[wishId] ?? { status: 'none' });
          if (stream.length > 0) checkStoredPromises(revealed.right);
        }
      }),
      { numRuns: 1000 },
    );

    // The generator must actually reach the interesting corners, or the property proves little.
    for (const key of [
      'WishShowcased',
      'WishReopened',
      'WishCancelled',
      'WishReleased',
      'wish.collect.outside_collector_unit',
      'wish.collect.retired_unit',
      'wish.collect.unknown_unit',
      'wish.claim.outside_home_district',
      'wish.claim.quota_reached',
      'wish.claim.already_claimed',
      'wish.showcase.no_consent',
      'wish.showcase.story_reveals_wisher',
      'wish.office.outside_district',
      'wish.confirm.by_claimant',
    ])
      expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
  });
});
