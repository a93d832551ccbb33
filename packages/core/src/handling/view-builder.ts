// The directory as deciders see it, folded from the log: every unit and person stream, the campaigns (for
// the open-claim cap) and the wish streams (for open claims per member). It folds several lifecycles'
// streams, so it sits above them, in handling/, beside the loader that feeds it from the store. The fold keeps the whole dated
// history, so the directory can be read as it stood at any moment — the moment a command was issued, or
// the moment of an act an auditor is looking at.
import * as E from 'fp-ts/lib/Either.js';
import { campaignEventRegistry } from '../campaign/events.js';
import { type DirectoryEvent, type PersonKind, personEventRegistry, unitEventRegistry } from '../directory/events.js';
import type { DirectorySnapshot } from '../directory/static-view.js';
import type { DirectoryView, PersonInfo, RoleHolding, UnitInfo, UnitKind } from '../directory/view.js';
import { categoryOf, type StoredEvent } from '../envelope.js';
import { BanshishiError, type DomainError } from '../errors.js';
import { openClaimDelta } from '../wish/claims.js';
import { wishEventRegistry } from '../wish/events.js';

/** The stream categories the directory context is folded from. */
export const directoryContextCategories = ['unit', 'person', 'campaign', 'wish'] as const;

/** A unit over its whole life. Times are business times (`occurredAt`) of the events. */
export interface UnitRecord {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly parentId: string | null;
  readonly registeredAt: string;
  /** Every name it bore, oldest first, each from its time on. */
  readonly names: readonly { readonly at: string; readonly name: string }[];
  readonly retiredAt: string | null;
}

export interface PersonRecord {
  readonly personId: string;
  readonly kind: PersonKind;
  readonly registeredAt: string;
  readonly deactivatedAt: string | null;
}

/** One tenure: the role was held over [since, until). */
export interface Tenure extends RoleHolding {
  readonly personId: string;
  readonly until: string | null;
}

export interface CampaignRecord {
  readonly campaignId: string;
  readonly districtId: string;
  readonly period: { readonly from: string; readonly to: string };
  /** The open-claim cap over time: launched value, then every adjustment, oldest first. */
  readonly claimCaps: readonly { readonly at: string; readonly cap: number }[];
  readonly launchedAt: string;
  readonly closedAt: string | null;
}

type StoredLike = Pick<
  StoredEvent,
  'streamId' | 'revision' | 'type' | 'schemaVersion' | 'data' | 'occurredAt' | 'actor'
>;

export interface DirectoryViewBuilderOptions {
  /** The cap on open wish claims when no campaign sets one (docs/domain.md, "Campaigns": 3). */
  readonly defaultWishClaimLimit?: number;
  /**
   * Offset of the campaigns' calendar from UTC, in minutes, to tell on which day an instant falls
   * (default 480: China Standard Time, which has no daylight saving).
   */
  readonly utcOffsetMinutes?: number;
}

export interface DirectoryViewBuilder {
  /**
   * Folds events in log order. An event already applied (same stream, revision not beyond the last one
   * seen) changes nothing, so a batch delivered twice is harmless. Throws an integrity BanshishiError on
   * an event of the directory or of a campaign that does not decode.
   */
  apply(events: Iterable<StoredLike>): void;
  /** The directory as it stood at `at` (ISO-8601); the latest state when `at` is omitted. */
  viewAt(at?: string): DirectoryView;
  /** The same as plain lists, for `directoryViewOf`, exports and tests. */
  snapshotAt(at?: string): DirectorySnapshot;
  /** Every tenure ever recorded for a person, ended ones included, oldest first. */
  tenuresOf(personId: string): readonly Tenure[];
  /** Open wish claims the member holds now. */
  openClaimsOf(memberId: string): number;
  /** The wishes the member holds an open claim on now. */
  openWishesOf(memberId: string): ReadonlySet<string>;
  /** The cap on open wish claims for this member at `at`: the strictest running campaign of their district. */
  wishClaimLimitFor(memberId: string, at?: string): number;
}

const noWishes: ReadonlySet<string> = new Set();
const instant = (at: string | undefined): number => (at === undefined ? Number.POSITIVE_INFINITY : Date.parse(at));
const reached = (time: string | null, t: number): boolean => time !== null && Date.parse(time) <= t;

/**
 * A deterministic, I/O-free incremental fold. Its state lives inside the builder and is updated in place:
 * with 150,000 members, copying the maps on every event would make a bulk import quadratic.
 */
export const createDirectoryViewBuilder = (options: DirectoryViewBuilderOptions = {}): DirectoryViewBuilder => {
  const defaultLimit = options.defaultWishClaimLimit ?? 3;
  const offsetMs = (options.utcOffsetMinutes ?? 480) * 60_000;
  const units = new Map<string, UnitRecord>();
  const people = new Map<string, PersonRecord>();
  const tenures = new Map<string, Tenure[]>();
  const campaigns = new Map<string, CampaignRecord>();
  const openClaims = new Map<string, Set<string>>();
  const lastRevision = new Map<string, number>();

  const decodeOrThrow = <A>(decoded: E.Either<DomainError, A>): A => {
    if (E.isLeft(decoded)) throw new BanshishiError(decoded.left);
    return decoded.right;
  };

  const applyDirectory = (event: DirectoryEvent, at: string): void => {
    switch (event.type) {
      case 'UnitRegistered': {
        const { unitId, name, kind, parentId } = event.data;
        units.set(unitId, { unitId, kind, parentId, registeredAt: at, names: [{ at, name }], retiredAt: null });
        return;
      }
      case 'UnitRenamed': {
        const unit = units.get(event.data.unitId);
        if (unit !== undefined)
          units.set(unit.unitId, { ...unit, names: [...unit.names, { at, name: event.data.name }] });
        return;
      }
      case 'UnitRetired': {
        const unit = units.get(event.data.unitId);
        if (unit !== undefined) units.set(unit.unitId, { ...unit, retiredAt: at });
        return;
      }
      case 'PersonRegistered': {
        const { personId, kind } = event.data;
        people.set(personId, { personId, kind, registeredAt: at, deactivatedAt: null });
        return;
      }
      case 'RoleGranted': {
        const { personId, role, unitId, since } = event.data;
        const list = tenures.get(personId) ?? [];
        list.push({ personId, role, unitId, since, until: null });
        tenures.set(personId, list);
        return;
      }
      case 'RoleRevoked': {
        const { personId, role, unitId, until } = event.data;
        const list = tenures.get(personId) ?? [];
        const open = list.findIndex((h) => h.role === role && h.unitId === unitId && h.until === null);
        if (open >= 0) list[open] = { ...list[open]!, until };
        return;
      }
      case 'PersonDeactivated': {
        const person = people.get(event.data.personId);
        if (person !== undefined) people.set(person.personId, { ...person, deactivatedAt: at });
        return;
      }
    }
  };

  const applyOne = (stored: StoredLike): void => {
    const seen = lastRevision.get(stored.streamId);
    if (seen !== undefined && stored.revision <= seen) return;
    lastRevision.set(stored.streamId, stored.revision);
    const at = stored.occurredAt;
    switch (categoryOf(stored.streamId)) {
      case 'unit':
        applyDirectory(decodeOrThrow(unitEventRegistry.decode(stored)), at);
        return;
      case 'person':
        applyDirectory(decodeOrThrow(personEventRegistry.decode(stored)), at);
        return;
      case 'campaign': {
        const event = decodeOrThrow(campaignEventRegistry.decode(stored));
        const { campaignId } = event.data;
        const campaign = campaigns.get(campaignId);
        if (event.type === 'CampaignLaunched') {
          const { districtId, period, quotas } = event.data;
          campaigns.set(campaignId, {
            campaignId,
            districtId,
            period,
            claimCaps: [{ at, cap: quotas.maxOpenWishClaimsPerMember }],
            launchedAt: at,
            closedAt: null,
          });
        } else if (campaign !== undefined && event.type === 'CampaignTargetsAdjusted') {
          const cap = event.data.quotas.maxOpenWishClaimsPerMember;
          campaigns.set(campaignId, { ...campaign, claimCaps: [...campaign.claimCaps, { at, cap }] });
        } else if (campaign !== undefined) {
          campaigns.set(campaignId, { ...campaign, closedAt: at });
        }
        return;
      }
      case 'wish': {
        // Only the wish events that move a claim matter here; the wish lifecycle owns the rest.
        if (!['WishClaimed', 'WishReopened', 'WishReleased', 'WishFulfilled', 'WishCancelled'].includes(stored.type))
          return;
        const event = decodeOrThrow(wishEventRegistry.decode(stored));
        for (const { memberId, delta } of openClaimDelta(event)) {
          const open = openClaims.get(memberId) ?? new Set<string>();
          if (delta > 0) open.add(event.data.wishId);
          else open.delete(event.data.wishId);
          if (open.size === 0) openClaims.delete(memberId);
          else openClaims.set(memberId, open);
        }
        return;
      }
      default:
        return;
    }
  };

  const unitAt = (unitId: string, t: number): UnitInfo | undefined => {
    const unit = units.get(unitId);
    if (unit === undefined || !reached(unit.registeredAt, t)) return undefined;
    let name = unit.names[0]!.name;
    for (const n of unit.names) if (Date.parse(n.at) <= t) name = n.name;
    const info = { unitId, name, kind: unit.kind, parentId: unit.parentId };
    return reached(unit.retiredAt, t) ? { ...info, retired: true } : info;
  };

  const personAt = (personId: string, t: number): PersonInfo | undefined => {
    const person = people.get(personId);
    if (person === undefined || !reached(person.registeredAt, t)) return undefined;
    return { personId, active: !reached(person.deactivatedAt, t) };
  };

  const holdingsAt = (personId: string, t: number): (RoleHolding & { personId: string })[] =>
    (tenures.get(personId) ?? [])
      .filter((h) => Date.parse(h.since) <= t && !reached(h.until, t))
      .map(({ role, unitId, since }) => ({ personId, role, unitId, since }));

  const viewAt = (at?: string): DirectoryView => {
    const t = instant(at);
    const ancestry = (unitId: string): UnitInfo[] => {
      const out: UnitInfo[] = [];
      const seen = new Set<string>();
      let current = unitAt(unitId, t);
      while (current !== undefined && !seen.has(current.unitId)) {
        out.push(current);
        seen.add(current.unitId);
        current = current.parentId === null ? undefined : unitAt(current.parentId, t);
      }
      return out;
    };
    return {
      unit: (unitId) => unitAt(unitId, t),
      ancestry,
      isWithin: (unitId, ancestorId) => ancestry(unitId).some((u) => u.unitId === ancestorId),
      person: (personId) => personAt(personId, t),
      rolesOf: (personId) =>
        personAt(personId, t)?.active === false
          ? []
          : holdingsAt(personId, t).map(({ role, unitId, since }) => ({ role, unitId, since })),
    };
  };

  const dayOf = (t: number): string => new Date(t + offsetMs).toISOString().slice(0, 10);

  const wishClaimLimitFor = (memberId: string, at?: string): number => {
    const t = instant(at);
    const home = holdingsAt(memberId, t).find((h) => h.role === 'member')?.unitId;
    if (home === undefined || !Number.isFinite(t)) return defaultLimit;
    const day = dayOf(t);
    let limit: number | undefined;
    for (const c of campaigns.values()) {
      const running =
        c.districtId === home &&
        reached(c.launchedAt, t) &&
        !reached(c.closedAt, t) &&
        c.period.from <= day &&
        day <= c.period.to;
      if (!running) continue;
      let cap = c.claimCaps[0]!.cap;
      for (const step of c.claimCaps) if (Date.parse(step.at) <= t) cap = step.cap;
      limit = limit === undefined ? cap : Math.min(limit, cap);
    }
    return limit ?? defaultLimit;
  };

  return {
    apply(events) {
      for (const event of events) applyOne(event);
    },
    viewAt,
    snapshotAt(at) {
      const t = instant(at);
      return {
        units: [...units.keys()].flatMap((id) => unitAt(id, t) ?? []),
        people: [...people.keys()].flatMap((id) => personAt(id, t) ?? []),
        holdings: [...tenures.keys()].flatMap((id) => (personAt(id, t)?.active === false ? [] : holdingsAt(id, t))),
      };
    },
    tenuresOf: (personId) => tenures.get(personId) ?? [],
    openClaimsOf: (memberId) => openClaims.get(memberId)?.size ?? 0,
    openWishesOf: (memberId) => openClaims.get(memberId) ?? noWishes,
    wishClaimLimitFor,
  };
};
