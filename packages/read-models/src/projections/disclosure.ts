// 公示: every problem and wish with its public fields and where it stands, a redacted timeline per item,
// and the 亮梦 showcase. Rows are folded from whitelisted fields only (public-fields.ts): no resident's
// name, phone, address or free text reaches these tables.
import {
  calendarDateOf,
  createEventRegistry,
  type ProblemEvent,
  type ProblemStatus,
  problemEvents,
  type WishConsent,
  type WishEvent,
  type WishStatus,
  wishEvents,
} from '@banshishi/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import { defineProjection, type Projected } from '../runtime/projection.js';
import { isMaskedName, type PublicEventType, publicPart } from './public-fields.js';
import { insertOnce, rowCache, upsertRows } from './rows.js';

export interface PublicProblemsTable {
  problem_id: string;
  status: ProblemStatus;
  source: string;
  grade: string;
  category: string | null;
  title: string;
  /** `resident` or `enterprise`; who the resident is stays private. */
  raiser_kind: string | null;
  enterprise_name: string | null;
  /** Where it was raised, and where it sits now (after 转办 and 上报). */
  origin_unit_id: string;
  unit_id: string;
  solicited_at: string;
  solicited_date: string;
  claimant_id: string | null;
  claimant_role: string | null;
  claimant_unit_id: string | null;
  plan: string | null;
  promised_by: string | null;
  first_claimed_at: string | null;
  claimed_at: string | null;
  solved_at: string | null;
  solved_date: string | null;
  solution_summary: string | null;
  evidence_count: number;
  closed_at: string | null;
  closed_date: string | null;
  close_basis: string | null;
  closing_verdict: string | null;
  rejected_at: string | null;
  rejection_ground: string | null;
  rejection_reason: string | null;
  duplicate_of: string | null;
  escalation_count: number;
  rework_count: number;
  supervision_count: number;
  evaluation_count: number;
  last_verdict: string | null;
  last_verdict_kind: string | null;
  last_event_at: string;
  revision: number;
}

export interface PublicWishesTable {
  wish_id: string;
  status: WishStatus;
  category: string;
  /** The wish as disclosed; null when the wisher consented to no showing at all. */
  description: string | null;
  consent: WishConsent;
  unit_id: string;
  collected_at: string;
  collected_date: string;
  collector_id: string | null;
  collector_role: string | null;
  collector_unit_id: string | null;
  claimant_id: string | null;
  home_district_id: string | null;
  first_claimed_at: string | null;
  claimed_at: string | null;
  fulfilled_at: string | null;
  fulfilled_date: string | null;
  fulfilment_summary: string | null;
  evidence_count: number;
  confirmed_at: string | null;
  confirmed_on_behalf: boolean | null;
  reopen_count: number;
  release_count: number;
  showcased_at: string | null;
  cancelled_at: string | null;
  cancel_grounds: string | null;
  last_event_at: string;
  revision: number;
}

export interface PublicTimelineTable {
  stream_id: string;
  revision: number;
  item_kind: 'problem' | 'wish';
  item_id: string;
  event_type: string;
  occurred_at: string;
  /** The acting role; the person only when they acted as an official (never a resident or enterprise). */
  actor_role: string;
  actor_id: string | null;
  details: Record<string, unknown>;
  global_position: number;
}

export interface ShowcaseTable {
  wish_id: string;
  category: string;
  unit_id: string;
  member_id: string | null;
  story: string;
  shown_as: 'anonymous' | 'named';
  /** 张**: set only where the wisher consented to `named`. */
  masked_name: string | null;
  fulfilled_at: string | null;
  showcased_at: string;
}

export interface DisclosureTables {
  public_problems: PublicProblemsTable;
  public_wishes: PublicWishesTable;
  public_timeline: PublicTimelineTable;
  showcase: ShowcaseTable;
}

type DisclosureEvent = ProblemEvent | WishEvent;
const registry = createEventRegistry([...problemEvents, ...wishEvents]);

/** Roles whose holders act in public office; residents and enterprises appear by role only. */
const publicActorRoles = new Set(['grid_worker', 'member', 'secretary', 'department_handler', 'office', 'system']);

export const evolvePublicProblem = (
  row: PublicProblemsTable | undefined,
  event: Projected<ProblemEvent>,
): PublicProblemsTable | undefined => {
  const at = event.occurredAt;
  const touched = { last_event_at: at, revision: event.revision };
  if (event.type === 'ProblemSolicited') {
    const d = event.data;
    return {
      problem_id: d.problemId,
      status: 'solicited',
      source: d.source,
      grade: d.grade,
      category: d.category ?? null,
      title: d.title,
      raiser_kind: d.raiser?.kind ?? null,
      enterprise_name: d.raiser?.kind === 'enterprise' ? d.raiser.enterpriseName : null,
      origin_unit_id: d.unitId,
      unit_id: d.unitId,
      solicited_at: d.solicitedAt,
      solicited_date: calendarDateOf(d.solicitedAt),
      claimant_id: null,
      claimant_role: null,
      claimant_unit_id: null,
      plan: null,
      promised_by: null,
      first_claimed_at: null,
      claimed_at: null,
      solved_at: null,
      solved_date: null,
      solution_summary: null,
      evidence_count: 0,
      closed_at: null,
      closed_date: null,
      close_basis: null,
      closing_verdict: null,
      rejected_at: null,
      rejection_ground: null,
      rejection_reason: null,
      duplicate_of: null,
      escalation_count: 0,
      rework_count: 0,
      supervision_count: 0,
      evaluation_count: 0,
      last_verdict: null,
      last_verdict_kind: null,
      ...touched,
    };
  }
  // An event for a problem whose solicitation we never saw cannot be shown meaningfully: skip it.
  if (row === undefined) return undefined;
  switch (event.type) {
    case 'ProblemAssigned':
      return { ...row, status: 'assigned', unit_id: event.data.toUnitId, ...touched };
    case 'ProblemClaimed':
      return {
        ...row,
        status: 'claimed',
        claimant_id: event.data.claimantId,
        claimant_role: event.data.claimantRole,
        claimant_unit_id: event.data.claimantUnitId,
        plan: event.data.plan,
        promised_by: event.data.promisedBy,
        first_claimed_at: row.first_claimed_at ?? at,
        claimed_at: at,
        ...touched,
      };
    case 'ProblemEscalated':
      return {
        ...row,
        status: 'solicited',
        unit_id: event.data.toUnitId,
        claimant_id: null,
        claimant_role: null,
        claimant_unit_id: null,
        plan: null,
        promised_by: null,
        claimed_at: null,
        escalation_count: row.escalation_count + 1,
        ...touched,
      };
    case 'ProblemSupervised':
      return { ...row, supervision_count: row.supervision_count + 1, ...touched };
    case 'ProblemRejected':
      return {
        ...row,
        status: 'rejected',
        rejected_at: at,
        rejection_ground: event.data.ground,
        rejection_reason: event.data.reason,
        duplicate_of: event.data.duplicateOf ?? null,
        ...touched,
      };
    case 'ProblemProgressNoted':
      return { ...row, ...touched };
    case 'ProblemSolved':
      return {
        ...row,
        status: 'solved',
        solved_at: at,
        solved_date: calendarDateOf(at),
        solution_summary: event.data.summary,
        evidence_count: event.data.evidence.length,
        ...touched,
      };
    case 'ProblemEvaluated':
      return {
        ...row,
        evaluation_count: row.evaluation_count + 1,
        last_verdict: event.data.verdict,
        last_verdict_kind: event.data.kind,
        ...touched,
      };
    case 'ProblemClosed':
      return {
        ...row,
        status: 'closed',
        closed_at: at,
        closed_date: calendarDateOf(at),
        close_basis: event.data.basis,
        closing_verdict: event.data.verdict,
        ...touched,
      };
    case 'ProblemReopened':
      return { ...row, status: 'claimed', rework_count: event.data.reworkCount, ...touched };
    default:
      return row;
  }
};

export const evolvePublicWish = (
  row: PublicWishesTable | undefined,
  event: Projected<WishEvent>,
): PublicWishesTable | undefined => {
  const at = event.occurredAt;
  const touched = { last_event_at: at, revision: event.revision };
  if (event.type === 'WishCollected') {
    const d = event.data;
    return {
      wish_id: d.wishId,
      status: 'collected',
      category: d.category,
      description: d.consent === 'none' ? null : d.description,
      consent: d.consent,
      unit_id: d.unitId,
      collected_at: at,
      collected_date: calendarDateOf(at),
      collector_id: d.collector?.personId ?? null,
      collector_role: d.collector?.role ?? null,
      collector_unit_id: d.collector?.unitId ?? null,
      claimant_id: null,
      home_district_id: null,
      first_claimed_at: null,
      claimed_at: null,
      fulfilled_at: null,
      fulfilled_date: null,
      fulfilment_summary: null,
      evidence_count: 0,
      confirmed_at: null,
      confirmed_on_behalf: null,
      reopen_count: 0,
      release_count: 0,
      showcased_at: null,
      cancelled_at: null,
      cancel_grounds: null,
      ...touched,
    };
  }
  if (row === undefined) return undefined;
  switch (event.type) {
    case 'WishClaimed':
      return {
        ...row,
        status: 'claimed',
        claimant_id: event.data.memberId,
        home_district_id: event.data.homeDistrictId,
        first_claimed_at: row.first_claimed_at ?? at,
        claimed_at: at,
        ...touched,
      };
    case 'WishReleased':
      return {
        ...row,
        status: 'collected',
        claimant_id: null,
        home_district_id: null,
        claimed_at: null,
        release_count: row.release_count + 1,
        ...touched,
      };
    case 'WishFulfilled':
      return {
        ...row,
        status: 'fulfilled',
        fulfilled_at: at,
        fulfilled_date: calendarDateOf(at),
        fulfilment_summary: event.data.summary,
        evidence_count: event.data.evidence.length,
        ...touched,
      };
    case 'WishConfirmed':
      return {
        ...row,
        status: 'confirmed',
        confirmed_at: at,
        confirmed_on_behalf: event.data.onBehalfOfWisher,
        ...touched,
      };
    case 'WishReopened':
      return { ...row, status: 'claimed', reopen_count: row.reopen_count + 1, ...touched };
    case 'WishShowcased':
      return { ...row, status: 'showcased', showcased_at: at, ...touched };
    case 'WishCancelled':
      return {
        ...row,
        status: 'cancelled',
        cancelled_at: at,
        cancel_grounds: event.data.grounds,
        claimant_id: null,
        ...touched,
      };
    default:
      return row;
  }
};

/** 亮梦 as the wisher consented, whatever the event says: `none` shows nothing, `anonymous` no name. */
export const showcaseRow = (
  wish: PublicWishesTable,
  event: Projected<WishEvent> & { type: 'WishShowcased' },
): ShowcaseTable | undefined => {
  if (wish.consent === 'none') return undefined;
  const display = event.data.display;
  const named = wish.consent === 'named' && display.shownAs === 'named' && isMaskedName(display.maskedName);
  return {
    wish_id: wish.wish_id,
    category: wish.category,
    unit_id: wish.unit_id,
    member_id: wish.claimant_id,
    story: event.data.story,
    shown_as: named ? 'named' : 'anonymous',
    masked_name: named && display.shownAs === 'named' ? display.maskedName : null,
    fulfilled_at: wish.fulfilled_at,
    showcased_at: event.occurredAt,
  };
};

const timelineRow = (
  event: Projected<DisclosureEvent>,
  itemKind: 'problem' | 'wish',
  itemId: string,
  consent: string | undefined,
): PublicTimelineTable => {
  const details = publicPart(event.type as PublicEventType, event.data);
  if (event.type === 'WishCollected' && consent === 'none') delete details.description;
  return {
    stream_id: event.streamId,
    revision: event.revision,
    item_kind: itemKind,
    item_id: itemId,
    event_type: event.type,
    occurred_at: event.occurredAt,
    actor_role: event.actor.role,
    actor_id: publicActorRoles.has(event.actor.role) ? event.actor.personId : null,
    details,
    global_position: event.globalPosition,
  };
};

const isProblemEvent = (e: Projected<DisclosureEvent>): e is Projected<ProblemEvent> => e.type.startsWith('Problem');

export const disclosureProjection = defineProjection<DisclosureEvent, DisclosureTables>({
  name: 'disclosure',
  // 2: indexes for the list's orders (public_problems_raised, public_problems_closed).
  // 3: the timeline shows that a verdict was taken by the office's callback (回访, `onBehalfOfRaiser`).
  version: 3,
  categories: ['problem', 'wish'],
  events: registry,
  tables: {
    public_problems: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('public_problems')
        .addColumn('problem_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('grade', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('raiser_kind', 'text')
        .addColumn('enterprise_name', 'text')
        .addColumn('origin_unit_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('solicited_at', 'timestamptz', (c) => c.notNull())
        .addColumn('solicited_date', 'date', (c) => c.notNull())
        .addColumn('claimant_id', 'text')
        .addColumn('claimant_role', 'text')
        .addColumn('claimant_unit_id', 'text')
        .addColumn('plan', 'text')
        .addColumn('promised_by', 'date')
        .addColumn('first_claimed_at', 'timestamptz')
        .addColumn('claimed_at', 'timestamptz')
        .addColumn('solved_at', 'timestamptz')
        .addColumn('solved_date', 'date')
        .addColumn('solution_summary', 'text')
        .addColumn('evidence_count', 'integer', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .addColumn('closed_date', 'date')
        .addColumn('close_basis', 'text')
        .addColumn('closing_verdict', 'text')
        .addColumn('rejected_at', 'timestamptz')
        .addColumn('rejection_ground', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('duplicate_of', 'text')
        .addColumn('escalation_count', 'integer', (c) => c.notNull())
        .addColumn('rework_count', 'integer', (c) => c.notNull())
        .addColumn('supervision_count', 'integer', (c) => c.notNull())
        .addColumn('evaluation_count', 'integer', (c) => c.notNull())
        .addColumn('last_verdict', 'text')
        .addColumn('last_verdict_kind', 'text')
        .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('public_problems_unit')
        .on('public_problems')
        .columns(['unit_id', 'solicited_date'])
        .execute();
      await db.schema.createIndex('public_problems_status').on('public_problems').column('status').execute();
      // The 公示栏's orders read from an index, so a page costs its own rows, not a sort of every problem
      // (at 1,000,000 events, 40,000 of them): newest raised first, and newest closed first (the home page).
      await db.schema
        .createIndex('public_problems_raised')
        .on('public_problems')
        .columns(['solicited_at', 'problem_id'])
        .execute();
      await db.schema
        .createIndex('public_problems_closed')
        .on('public_problems')
        .expression(sql`closed_at desc nulls last, solicited_at desc, problem_id desc`)
        .execute();
    },
    public_wishes: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('public_wishes')
        .addColumn('wish_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('consent', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('collected_at', 'timestamptz', (c) => c.notNull())
        .addColumn('collected_date', 'date', (c) => c.notNull())
        .addColumn('collector_id', 'text')
        .addColumn('collector_role', 'text')
        .addColumn('collector_unit_id', 'text')
        .addColumn('claimant_id', 'text')
        .addColumn('home_district_id', 'text')
        .addColumn('first_claimed_at', 'timestamptz')
        .addColumn('claimed_at', 'timestamptz')
        .addColumn('fulfilled_at', 'timestamptz')
        .addColumn('fulfilled_date', 'date')
        .addColumn('fulfilment_summary', 'text')
        .addColumn('evidence_count', 'integer', (c) => c.notNull())
        .addColumn('confirmed_at', 'timestamptz')
        .addColumn('confirmed_on_behalf', 'boolean')
        .addColumn('reopen_count', 'integer', (c) => c.notNull())
        .addColumn('release_count', 'integer', (c) => c.notNull())
        .addColumn('showcased_at', 'timestamptz')
        .addColumn('cancelled_at', 'timestamptz')
        .addColumn('cancel_grounds', 'text')
        .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('public_wishes_unit')
        .on('public_wishes')
        .columns(['unit_id', 'collected_date'])
        .execute();
    },
    public_timeline: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('public_timeline')
        .addColumn('stream_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('item_kind', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('details', 'jsonb', (c) => c.notNull())
        .addColumn('global_position', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('public_timeline_pk', ['stream_id', 'revision'])
        .execute();
      await db.schema
        .createIndex('public_timeline_item')
        .on('public_timeline')
        .columns(['item_kind', 'item_id', 'revision'])
        .execute();
    },
    showcase: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable('showcase')
        .addColumn('wish_id', 'text', (c) => c.primaryKey())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text')
        .addColumn('story', 'text', (c) => c.notNull())
        .addColumn('shown_as', 'text', (c) => c.notNull())
        .addColumn('masked_name', 'text')
        .addColumn('fulfilled_at', 'timestamptz')
        .addColumn('showcased_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  async apply(trx, events, build) {
    const t = { trx: trx as unknown as Transaction<unknown>, schema: build.schema };
    const problems = rowCache<PublicProblemsTable>(t, 'public_problems', 'problem_id');
    const wishes = rowCache<PublicWishesTable>(t, 'public_wishes', 'wish_id');
    await problems.load(events.filter(isProblemEvent).map((e) => e.data.problemId));
    await wishes.load(events.filter((e): e is Projected<WishEvent> => !isProblemEvent(e)).map((e) => e.data.wishId));
    const timeline: PublicTimelineTable[] = [];
    const showcase = new Map<string, ShowcaseTable>();
    for (const event of events) {
      if (isProblemEvent(event)) {
        const id = event.data.problemId;
        const next = evolvePublicProblem(problems.get(id), event);
        if (next === undefined) continue;
        problems.set(id, next);
        timeline.push(timelineRow(event, 'problem', id, undefined));
      } else {
        const id = event.data.wishId;
        const next = evolvePublicWish(wishes.get(id), event);
        if (next === undefined) continue;
        wishes.set(id, next);
        timeline.push(timelineRow(event, 'wish', id, next.consent));
        if (event.type === 'WishShowcased') {
          const row = showcaseRow(next, event);
          if (row !== undefined) showcase.set(id, row);
        }
      }
    }
    await problems.flush();
    await wishes.flush();
    await insertOnce(t, 'public_timeline', ['stream_id', 'revision'], timeline);
    await upsertRows(t, 'showcase', ['wish_id'], [...showcase.values()]);
  },
});
