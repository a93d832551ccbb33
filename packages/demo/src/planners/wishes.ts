// The wishes' part of the demo (寻梦 → 领梦 → 圆梦 → 亮梦): each wish's fate is planned when it is
// collected — cancelled, released and claimed again, reopened, showcased — and the claiming member is
// picked when the claim is due, among those under the campaign's open-claim quota, members who have not
// claimed yet first. The first wishes of every run take the coverage plans.
import {
  type Actor,
  openClaimDelta,
  revealsWisher,
  type WishCategory,
  type WishCommand,
  type WishConsent,
  type WishEvent,
  type WishState,
} from '@banshishi/core';
import type { Issued } from '../agenda.js';
import type { OrgPerson, OrgUnit } from '../organisation.js';
import {
  actorOf,
  communityOf,
  countBy,
  countSeen,
  type DemoCommand,
  type DemoOutcome,
  meta,
  type PlanningContext,
  streetOf,
} from '../planning.js';
import type { Random } from '../random.js';
import { cancelReasons, releaseReasons, type WishTheme, wishConfirmComments, wishThemes } from '../vocabulary.js';

type WishOutcome = 'collected' | 'claimed' | 'fulfilled' | 'confirmed' | 'showcased' | 'cancelled';

interface WishPlan {
  readonly collector: 'self' | 'grid_worker' | 'member' | 'secretary';
  readonly registered: boolean;
  readonly consent: WishConsent;
  readonly outcome: WishOutcome;
  readonly cancel: { readonly at: 'collected' | 'claimed'; readonly grounds: 'withdrawn' | 'invalid' } | null;
  readonly release: boolean;
  readonly reopen: boolean;
}

const wishPlan = (p: Partial<WishPlan> & Pick<WishPlan, 'outcome'>): WishPlan => ({
  collector: 'grid_worker',
  registered: false,
  consent: 'anonymous',
  cancel: null,
  release: false,
  reopen: false,
  ...p,
});

const coverageWishes: readonly WishPlan[] = [
  wishPlan({ outcome: 'collected' }),
  wishPlan({ outcome: 'claimed', collector: 'secretary' }),
  wishPlan({ outcome: 'fulfilled', collector: 'self', registered: true }),
  wishPlan({ outcome: 'confirmed', consent: 'none' }),
  wishPlan({ outcome: 'showcased', consent: 'anonymous', collector: 'self', registered: true }),
  wishPlan({ outcome: 'showcased', consent: 'named', collector: 'member' }),
  wishPlan({ outcome: 'showcased', consent: 'named', release: true }),
  wishPlan({ outcome: 'showcased', consent: 'anonymous', reopen: true, registered: true, collector: 'secretary' }),
  wishPlan({
    outcome: 'cancelled',
    collector: 'self',
    registered: true,
    cancel: { at: 'collected', grounds: 'withdrawn' },
  }),
  wishPlan({ outcome: 'cancelled', collector: 'secretary', cancel: { at: 'claimed', grounds: 'invalid' } }),
  wishPlan({ outcome: 'cancelled', cancel: { at: 'claimed', grounds: 'withdrawn' } }),
  wishPlan({ outcome: 'fulfilled', reopen: true, collector: 'member' }),
];

const randomWishPlan = (random: Random): WishPlan => {
  const collector = random.weighted<WishPlan['collector']>([
    ['self', 25],
    ['grid_worker', 35],
    ['member', 20],
    ['secretary', 20],
  ]);
  const consent = random.weighted<WishConsent>([
    ['none', 25],
    ['anonymous', 40],
    ['named', 35],
  ]);
  let outcome = random.weighted<WishOutcome>([
    ['cancelled', 5],
    ['collected', 3],
    ['claimed', 7],
    ['fulfilled', 5],
    ['confirmed', 30],
    ['showcased', 50],
  ]);
  if (outcome === 'showcased' && consent === 'none') outcome = 'confirmed';
  return {
    collector,
    registered: collector === 'self' || random.chance(0.5),
    consent,
    outcome,
    cancel:
      outcome === 'cancelled'
        ? {
            at: random.chance(0.6) ? 'collected' : 'claimed',
            grounds: random.chance(0.65) ? 'withdrawn' : 'invalid',
          }
        : null,
    release: random.chance(0.08),
    reopen: random.chance(0.06),
  };
};

interface WishItem {
  readonly wishId: string;
  readonly plan: WishPlan;
  readonly category: WishCategory;
  readonly theme: WishTheme;
  readonly unit: OrgUnit;
  /** The registered resident whose wish it is, if they are registered. */
  readonly wisher: OrgPerson | null;
  readonly wisherDetails: { readonly name: string; readonly phone: string | null; readonly address: string | null };
  readonly collector: Actor | null;
  state: WishState;
  claimant: OrgPerson | null;
  released: boolean;
  round: number;
  readonly seen: Set<string>;
}

/**
 * Shuffles the members when it is created (the order in which they are asked to claim), so it must be
 * created at the same point of every run; `claimLimit` is the campaign's open-claim quota.
 */
export const createWishPlanner = (ctx: PlanningContext, claimLimit: number) => {
  const { random, people, org, unitsById, office, schedule, later, secretaryActor, idOf, make } = ctx;
  const wishes: WishItem[] = [];
  const wishesById = new Map<string, WishItem>();
  const openClaims = new Map<string, number>();
  const claimingMembers: OrgPerson[] = [];
  const claimedOnce = new Set<string>();

  const freshMembers = random.shuffle(org.members);
  const pickMember = (exclude: readonly (string | undefined)[]): OrgPerson | null => {
    const fits = (m: OrgPerson) => !exclude.includes(m.personId) && (openClaims.get(m.personId) ?? 0) < claimLimit;
    // Members who have not claimed yet go first: the campaign asks every member to claim one (领梦).
    while (freshMembers.length > 0) {
      const m = freshMembers[freshMembers.length - 1]!;
      if (!fits(m)) break;
      freshMembers.pop();
      return m;
    }
    for (let attempt = 0; attempt < 40; attempt++) {
      const m = random.pick(org.members);
      if (fits(m)) return m;
    }
    return null;
  };
  const wishCommand = (item: WishItem, command: Omit<WishCommand, 'data'> & { data: object }): DemoCommand =>
    make('wish', { ...command, data: { wishId: item.wishId, ...command.data } } as WishCommand);

  const collectWish = (index: number, plan: WishPlan, at: number): Issued => {
    const wishId = idOf('wish', index);
    const wisher = plan.registered ? random.pick(org.residents) : null;
    const unit = wisher?.unit ?? (random.chance(0.8) ? random.pick(org.grids) : random.pick(org.communities));
    const details = wisher
      ? { name: wisher.name, phone: wisher.phone, address: people.record('addresses', wisher.address!) }
      : {
          name: people.name(true),
          phone: random.chance(0.9) ? people.record('phones', people.phone()) : null,
          address: random.chance(0.8)
            ? people.record('addresses', people.address(streetOf(unit).name, communityOf(unit).name, unit.urban))
            : null,
        };
    let collector: Actor | null;
    if (plan.collector === 'self' && wisher !== null) collector = null;
    else if (plan.collector === 'grid_worker' && unit.kind === 'grid') collector = actorOf(unit.gridWorkers[0]!);
    else if (plan.collector === 'member') collector = actorOf(random.pick(org.members));
    else collector = secretaryActor(communityOf(unit));
    const category = random.weighted<WishCategory>([
      ['study', 25],
      ['life', 55],
      ['work', 20],
    ]);
    const theme = random.pick(wishThemes[category]);
    const item: WishItem = {
      wishId,
      plan,
      category,
      theme,
      unit,
      wisher,
      wisherDetails: details,
      collector,
      state: { status: 'none' },
      claimant: null,
      released: false,
      round: 0,
      seen: new Set(),
    };
    wishes.push(item);
    wishesById.set(wishId, item);
    return {
      command: wishCommand(item, {
        type: 'collectWish',
        data: {
          unitId: unit.unitId,
          category,
          description: theme.description,
          consent: plan.consent,
          wisher: {
            name: details.name,
            ...(wisher === null ? {} : { personId: wisher.personId }),
            ...(details.phone === null ? {} : { phone: details.phone }),
            ...(details.address === null ? {} : { address: details.address }),
          },
        },
        metadata: meta(collector ?? actorOf(wisher!), at),
      }),
      afterwards: () => afterCollect(item, at),
    };
  };

  /** The wisher in person, or the collector on their behalf. */
  const wisherVoice = (item: WishItem): Actor => (item.wisher !== null ? actorOf(item.wisher) : item.collector!);

  const scheduleCancel = (item: WishItem, at: number) =>
    schedule(at, (now) => {
      const { grounds } = item.plan.cancel!;
      let actor: Actor;
      if (grounds === 'withdrawn') actor = wisherVoice(item);
      else if (random.chance(0.5)) actor = office;
      else actor = secretaryActor(unitsById.get(item.collector?.unitId ?? item.unit.unitId)!);
      const reason = grounds === 'invalid' || random.chance(0.5) ? cancelReasons[grounds] : undefined;
      return {
        command: wishCommand(item, {
          type: 'cancelWish',
          data: { grounds, ...(reason === undefined ? {} : { reason }) },
          metadata: meta(actor, now),
        }),
      };
    });

  const afterCollect = (item: WishItem, from: number): void => {
    const { plan } = item;
    if (plan.cancel?.at === 'collected') scheduleCancel(item, later(from, 0, 5, [8, 21]));
    else if (plan.outcome !== 'collected') scheduleClaim(item, later(from, 0, 8, [8, 21]));
  };

  const scheduleClaim = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const member = pickMember([item.collector?.personId, item.wisher?.personId, item.claimant?.personId]);
      if (member === null) {
        // Every member in reach holds as many open claims as allowed: the wish waits a few days.
        scheduleClaim(item, later(now, 1, 3, [8, 21]));
        return null;
      }
      return {
        command: wishCommand(item, { type: 'claimWish', data: {}, metadata: meta(actorOf(member), now) }),
        afterwards: () => {
          item.claimant = member;
          if (!claimedOnce.has(member.personId)) {
            claimedOnce.add(member.personId);
            if (claimingMembers.length < 10) claimingMembers.push(member);
          }
          afterClaimWish(item, now);
        },
      };
    });

  const afterClaimWish = (item: WishItem, from: number): void => {
    const { plan } = item;
    if (plan.release && !item.released) {
      schedule(later(from, 1, 5, [8, 21]), (at) => ({
        command: wishCommand(item, {
          type: 'releaseWish',
          data: { reason: random.pick(releaseReasons) },
          metadata: meta(actorOf(item.claimant!), at),
        }),
        afterwards: () => {
          item.released = true;
          scheduleClaim(item, later(at, 0, 3, [8, 21]));
        },
      }));
    } else if (plan.cancel?.at === 'claimed') {
      scheduleCancel(item, later(from, 1, 5, [8, 21]));
    } else if (plan.outcome !== 'claimed') {
      scheduleFulfil(item, later(from, 1, 15, [8, 21]));
    }
  };

  const scheduleFulfil = (item: WishItem, at: number): void =>
    schedule(at, (now) => ({
      command: wishCommand(item, {
        type: 'fulfilWish',
        data: {
          summary: item.theme.summary,
          evidence: [`https://demo.banshishi.cn/evidence/${item.wishId}/${item.round + 1}.jpg`],
        },
        metadata: meta(actorOf(item.claimant!), now),
      }),
      afterwards: () => {
        if (item.plan.outcome === 'fulfilled' && !(item.plan.reopen && item.round === 0)) return;
        scheduleConfirm(item, later(now, 0, 5, [8, 21]));
      },
    }));

  const scheduleConfirm = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const satisfied = !(item.plan.reopen && item.round === 0);
      const comments = satisfied ? wishConfirmComments.satisfied : wishConfirmComments.unsatisfied;
      const comment = random.chance(0.5) ? people.record('freeText', random.pick(comments)) : undefined;
      return {
        command: wishCommand(item, {
          type: 'confirmWish',
          data: { verdict: satisfied ? 'satisfied' : 'unsatisfied', ...(comment === undefined ? {} : { comment }) },
          metadata: meta(wisherVoice(item), now),
        }),
        afterwards: () => {
          if (!satisfied) {
            item.round += 1;
            if (item.plan.outcome !== 'claimed') scheduleFulfil(item, later(now, 2, 8, [8, 21]));
          } else if (item.plan.outcome === 'showcased') {
            scheduleShowcase(item, later(now, 1, 10));
          }
        },
      };
    });

  const scheduleShowcase = (item: WishItem, at: number): void =>
    schedule(at, (now) => {
      const told = `${communityOf(item.unit).name}：${item.theme.story}`;
      const story = revealsWisher(told, item.wisherDetails) ? item.theme.story : told;
      return {
        command: wishCommand(item, {
          type: 'showcaseWish',
          data: { story },
          metadata: meta(random.chance(0.5) ? office : actorOf(item.claimant!), now),
        }),
      };
    });

  /** Follows a wish command's outcome: the item's state, its event types and every member's open claims. */
  const observe = (issued: DemoCommand & { lifecycle: 'wish' }, outcome: DemoOutcome): void => {
    const item = wishesById.get(issued.command.data.wishId)!;
    item.state = outcome.state as WishState;
    for (const event of outcome.events) {
      item.seen.add(event.type);
      for (const { memberId, delta } of openClaimDelta(event as unknown as WishEvent))
        openClaims.set(memberId, (openClaims.get(memberId) ?? 0) + delta);
    }
  };

  /** Schedules every wish of the population, half an hour after the problem of the same index. */
  const spawn = (): void => {
    for (let i = 0; i < ctx.population.wishes; i++) {
      const coverage = i < coverageWishes.length;
      const plan = coverage ? coverageWishes[i]! : randomWishPlan(random);
      schedule(ctx.spawnTime(i, coverage) + 1_800_000, (at) => collectWish(i, plan, at));
    }
  };

  /** The wishes as the clock stopped, for the manifest. */
  const manifest = () => ({
    total: wishes.length,
    byStatus: countBy(wishes, (w) => w.state.status),
    byConsent: countBy(wishes, (w) => w.plan.consent),
    byCategory: countBy(wishes, (w) => w.category),
    released: countSeen(wishes, 'WishReleased'),
    reopened: countSeen(wishes, 'WishReopened'),
    showcased: {
      anonymous: wishes.filter((w) => w.seen.has('WishShowcased') && w.plan.consent === 'anonymous').length,
      named: wishes.filter((w) => w.seen.has('WishShowcased') && w.plan.consent === 'named').length,
    },
    cancelled: {
      withdrawn: wishes.filter((w) => w.seen.has('WishCancelled') && w.plan.cancel?.grounds === 'withdrawn').length,
      invalid: wishes.filter((w) => w.seen.has('WishCancelled') && w.plan.cancel?.grounds === 'invalid').length,
    },
  });

  return { spawn, observe, manifest, claimingMembers };
};
